import Foundation

/// Controller-side facts that lookups (`lookup('file', …)`, `lookup('env', …)`, …) and the
/// `exists`/`file`/`directory`/`link` tests need.
///
/// The playbook engine builds one per task: a role task searches the role's `files/` (or
/// `templates/`) first, then the role directory, then the playbook directory, as Ansible does.
/// Hand it over either as the `context:` argument of ``TemplateEngine`` methods or by making the
/// ``VariableScope`` conform to ``LookupContextProviding``.
public struct LookupContext: Sendable {
    /// Directories searched, in order, for relative paths given to `file`, `fileglob`,
    /// `first_found`, `lines`-free lookups and the path tests.
    public var fileSearchPaths: [String]
    /// Directories searched, in order, by `lookup('template', …)`.
    public var templateSearchPaths: [String]
    /// The controller's environment for `lookup('env', …)`.
    public var environment: [String: String]
    /// Working directory for `lookup('pipe', …)` and relative paths not found elsewhere.
    public var workingDirectory: String
    /// `[defaults] ansible_managed`: the format of `ansible_managed` in template files.
    public var ansibleManaged: String
    /// The playbook run behind the template (inventory, vault secrets, configuration), for
    /// `inventory_hostnames`, `unvault` and `config`; nil outside a run, where those lookups fail.
    public var run: (any LookupRunServices)?

    /// The process's environment and working directory, read once: the engine builds a context
    /// per task, and `ProcessInfo.environment` builds a new dictionary on every call.
    public static let processEnvironment = ProcessInfo.processInfo.environment
    public static let processDirectory = FileManager.default.currentDirectoryPath

    public init(
        fileSearchPaths: [String] = [], templateSearchPaths: [String] = [],
        environment: [String: String] = LookupContext.processEnvironment,
        workingDirectory: String = LookupContext.processDirectory,
        ansibleManaged: String = TemplateFileVariables.defaultManaged, run: (any LookupRunServices)? = nil
    ) {
        self.run = run
        self.fileSearchPaths = fileSearchPaths
        self.templateSearchPaths = templateSearchPaths
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.ansibleManaged = ansibleManaged
    }

    /// The process's environment and working directory, no search paths.
    public static var current: LookupContext { LookupContext() }

    /// The first existing path for `name`: absolute as is, else under each search path, else the working directory.
    func resolveFile(_ name: String, in paths: [String]? = nil) -> String? {
        let expanded = name.hasPrefix("~") ? (name as NSString).expandingTildeInPath : name
        if expanded.hasPrefix("/") { return FileManager.default.fileExists(atPath: expanded) ? expanded : nil }
        for directory in (paths ?? fileSearchPaths) + [workingDirectory] {
            let candidate = (directory as NSString).appendingPathComponent(expanded)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Where a relative path points (for tests and for files lookups create, such as `password`).
    func absolutePath(_ name: String) -> String {
        let expanded = name.hasPrefix("~") ? (name as NSString).expandingTildeInPath : name
        if expanded.hasPrefix("/") { return expanded }
        return ((fileSearchPaths.first ?? workingDirectory) as NSString).appendingPathComponent(expanded)
    }
}

/// A ``VariableScope`` that also knows the controller paths for lookups.
public protocol LookupContextProviding {
    var lookupContext: LookupContext { get }
}

/// What lookups need from the playbook run that the template engine cannot know. The engine
/// implements it; Templating only sees this protocol, so it does not depend on the engine.
public protocol LookupRunServices: Sendable {
    /// The inventory hosts `patterns` select (`web:&prod:!db1`, `all`, `g[0:2]`, …), in inventory
    /// order, including hosts and groups added during the run (`add_host`, `group_by`).
    func inventoryHostnames(matching patterns: [String]) throws -> [String]
    /// `text` decrypted with the run's vault secrets (`text` starts with `$ANSIBLE_VAULT;`).
    func decryptVault(_ text: String) throws -> String
    /// The value of the ansible-core setting `name` (`DEFAULT_BECOME_USER`, …) as ansible-core
    /// types it, and its origin (`default`, `env: ANSIBLE_FORKS`, the ansible.cfg path); nil when
    /// stackplay does not know the setting.
    func configSetting(_ name: String) throws -> (value: Value, origin: String)?
}
