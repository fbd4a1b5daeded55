import Diagnostics
import Foundation
import ModuleAPI
import Templating

/// Loads playbooks, task files, roles and variable files into the typed model, validating
/// everything that can be checked before anything runs: YAML syntax, keywords, action names,
/// keyword value types, static imports and roles. Every error is a located ``LoadError``.
///
/// Module arguments are checked against each module's ``ArgumentSpec`` (with `module_defaults`
/// merged in) when a playbook loads; values that are templates wait for the run-time check, which
/// the engine makes with ``ArgumentValidation`` after templating.
public struct PlaybookLoader: Sendable {
    /// What the loader needs to know about the run.
    public struct Options: Sendable {
        /// Resolves action names (modules plus controller-side actions).
        public var actions: ActionResolver
        /// Secrets for vault-encrypted files and `!vault` values.
        public var vault: VaultSecrets
        /// `roles_path` from ansible.cfg / `ANSIBLE_ROLES_PATH`, searched after the playbook's `roles/`.
        public var rolesPath: [String]
        /// The working directory relative paths and displayed paths are based on.
        public var workingDirectory: String
        /// Check every task's arguments against its module's spec when a playbook loads.
        public var validateArguments: Bool
        /// Variables known before the run (extra vars), for `{{ name }}` in `import_playbook` paths,
        /// which Ansible resolves while loading.
        public var staticVariables: ValueDictionary = ValueDictionary()

        public init(
            actions: ActionResolver, vault: VaultSecrets = VaultSecrets(), rolesPath: [String] = [],
            workingDirectory: String = FileManager.default.currentDirectoryPath, validateArguments: Bool = true
        ) {
            self.actions = actions
            self.vault = vault
            self.rolesPath = rolesPath
            self.workingDirectory = workingDirectory
            self.validateArguments = validateArguments
        }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Loads a playbook file and, statically, everything it imports.
    public func loadPlaybook(_ path: String) throws -> Playbook {
        let playbook = try LoaderSession(options: options).loadPlaybook(path, chain: [])
        if options.validateArguments {
            try ArgumentChecker(actions: options.actions).check(playbook)
        }
        return playbook
    }

    /// Loads a task file at run time (`include_tasks`), resolving `file` as Ansible does: against
    /// the including file's directory, the role's `tasks/`, then the playbook directory.
    public func loadTaskFile(
        _ file: String, includedFrom: PlaybookTask, playbookDirectory: String, at location: SourceLocation? = nil
    ) throws -> [TaskEntry] {
        let session = LoaderSession(options: options)
        let context = LoadContext(
            file: includedFrom.file, playbookDirectory: playbookDirectory, role: includedFrom.role, isHandler: false,
            chain: [])
        let path = try session.resolveTaskFile(file, context: context, at: location ?? includedFrom.location)
        return try session.loadTaskFile(path, context: context)
    }

    /// Loads a role at run time (`include_role`): `name` with optional `tasks_from` etc.
    public func loadRole(
        _ name: String, tasksFrom: String? = nil, varsFrom: String? = nil, defaultsFrom: String? = nil,
        handlersFrom: String? = nil, playbookDirectory: String, at location: SourceLocation
    ) throws -> Role {
        let request = RoleRequest(
            name: name, tasksFrom: tasksFrom, varsFrom: varsFrom, defaultsFrom: defaultsFrom,
            handlersFrom: handlersFrom)
        return try LoaderSession(options: options).loadRole(
            request, playbookDirectory: playbookDirectory, at: location, chain: [])
    }

    /// Loads a variables file (`vars_files`, `include_vars`, `group_vars/x.yml`): a mapping, or empty.
    public func loadVariablesFile(_ path: String) throws -> Variables {
        try LoaderSession(options: options).loadVariablesFile(path)
    }
}

/// Where the node being parsed comes from.
struct LoadContext {
    /// The file being parsed, as displayed.
    var file: String
    var playbookDirectory: String
    var role: RoleScope?
    var isHandler: Bool
    /// Files currently being imported, to detect import cycles.
    var chain: [String]

    /// The absolute directory of ``file``.
    func directory(workingDirectory: String) -> String {
        let absolute = file.hasPrefix("/") ? file : workingDirectory + "/" + file
        return (absolute as NSString).deletingLastPathComponent
    }
}

/// One load operation's state: parsed files and roles are cached so a role used twice is read once.
final class LoaderSession {
    let options: Options
    let yaml: YAMLLoader
    var roleCache: [String: Role] = [:]

    typealias Options = PlaybookLoader.Options

    init(options: Options) {
        self.options = options
        self.yaml = YAMLLoader(vault: options.vault)
    }

    var actions: ActionResolver { options.actions }

    /// An absolute path for `path` (relative paths are taken against `directory`).
    func absolute(_ path: String, relativeTo directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        return (joined as NSString).standardizingPath
    }

    /// The path to show the user: relative to the working directory when inside it.
    func display(_ absolutePath: String) -> String {
        let base = options.workingDirectory.hasSuffix("/") ? options.workingDirectory : options.workingDirectory + "/"
        return absolutePath.hasPrefix(base) ? String(absolutePath.dropFirst(base.count)) : absolutePath
    }

    func fileExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    func directoryExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Parses a file given by absolute path, displaying it relative to the working directory.
    func parseFile(_ absolutePath: String) throws -> (node: YAMLNode?, display: String) {
        let shown = display(absolutePath)
        return (try yaml.loadFile(absolutePath, displayPath: shown), shown)
    }

    func loadVariablesFile(_ path: String) throws -> Variables {
        let absolutePath = absolute(path, relativeTo: options.workingDirectory)
        let (node, shown) = try parseFile(absolutePath)
        guard let node else { return Variables() }
        return try parseVariables(node, owner: "file '\(shown)'")
    }
}
