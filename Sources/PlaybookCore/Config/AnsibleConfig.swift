import Diagnostics
import Foundation
import Templating
import ModuleAPI

/// The settings stackplay takes from `ansible.cfg` and `ANSIBLE_*` environment variables, with
/// ansible-core's names, defaults and precedence (environment over file over default).
///
/// The file is the first of `$ANSIBLE_CONFIG` (a file, or a directory holding `ansible.cfg`),
/// `./ansible.cfg`, `~/.ansible.cfg`, `/etc/ansible/ansible.cfg`. Relative paths in the file are
/// resolved against the file's directory, as Ansible does for path settings.
public struct AnsibleConfig: Sendable {
    /// The file that was read, if any.
    public var file: ConfigFile?
    public var environment: [String: String]

    public init(file: ConfigFile?, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    /// Finds and reads the configuration file as ansible-core does.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> AnsibleConfig {
        guard let path = locate(environment: environment, workingDirectory: workingDirectory) else {
            return AnsibleConfig(file: nil, environment: environment)
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw LoadError("could not read config file '\(path)'", at: nil)
        }
        return AnsibleConfig(file: try ConfigFile(path: path, text: text), environment: environment)
    }

    /// The config file path Ansible would use, or nil.
    public static func locate(environment: [String: String], workingDirectory: String) -> String? {
        let manager = FileManager.default
        var candidates: [String] = []
        if let configured = environment["ANSIBLE_CONFIG"], !configured.isEmpty {
            let expanded = (configured as NSString).expandingTildeInPath
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: expanded, isDirectory: &isDirectory), isDirectory.boolValue {
                candidates.append(expanded + "/ansible.cfg")
            } else {
                candidates.append(expanded)
            }
        }
        candidates.append(workingDirectory + "/ansible.cfg")
        if let home = environment["HOME"] { candidates.append(home + "/.ansible.cfg") }
        candidates.append("/etc/ansible/ansible.cfg")
        return candidates.first { candidate in
            guard manager.fileExists(atPath: candidate) else { return false }
            // Ansible ignores ./ansible.cfg in a world-writable directory (a security measure).
            if candidate == workingDirectory + "/ansible.cfg",
                let attributes = try? manager.attributesOfItem(atPath: workingDirectory),
                let permissions = attributes[.posixPermissions] as? Int, permissions & 0o002 != 0
            {
                return false
            }
            return true
        }
    }

    /// Where a setting's value came from.
    public enum Origin: Sendable, Equatable {
        case environment(String)
        case file(SourceLocation)
        case defaultValue
    }

    /// The raw text of a setting: environment first (an empty variable counts as unset), then the
    /// file, with its origin. ansible-core reads the file raw: no `%(name)s` interpolation, `%%` stays.
    public func raw(_ setting: ConfigSetting) -> (value: String, origin: Origin)? {
        for name in setting.environment {
            if let value = environment[name], !value.isEmpty { return (value, .environment(name)) }
        }
        if let file, let entry = file.entry(setting.section, setting.key) {
            return (entry.value, .file(entry.location))
        }
        return nil
    }

    /// A string setting, or its default.
    public func string(_ setting: ConfigSetting) -> String? {
        raw(setting)?.value ?? setting.defaultValue
    }

    /// A boolean setting (Ansible's `boolean()` conversion); a bad value is a located error.
    public func bool(_ setting: ConfigSetting) throws -> Bool {
        guard let (text, origin) = raw(setting) else { return setting.defaultValue.flatMap(ArgumentValidation.bool) ?? false }
        guard let value = ArgumentValidation.bool(text) else {
            throw invalid(setting, text, origin, expected: "a boolean")
        }
        return value
    }

    /// An integer setting; a bad value is a located error.
    public func int(_ setting: ConfigSetting) throws -> Int? {
        guard let (text, origin) = raw(setting) else { return setting.defaultValue.flatMap { Int($0) } }
        guard let value = Int(text.trimmingPythonWhitespace()) else {
            throw invalid(setting, text, origin, expected: "an integer")
        }
        return value
    }

    /// A path setting, `~` expanded and relative paths taken against the config file's directory.
    public func path(_ setting: ConfigSetting) -> String? {
        guard let (text, origin) = raw(setting) else { return setting.defaultValue.map(expand) }
        return resolve(text, origin: origin)
    }

    /// A list of paths: `:`-separated (`pathspec`, roles_path) or `,`-separated (`pathlist`, inventory).
    public func paths(_ setting: ConfigSetting, separator: Character) -> [String] {
        let found = raw(setting)
        guard let text = found?.value ?? setting.defaultValue else { return [] }
        return text.split(separator: separator).map { $0.trimmingPythonWhitespace() }.filter { !$0.isEmpty }.map {
            resolve($0, origin: found?.origin ?? .defaultValue)
        }
    }

    private func resolve(_ text: String, origin: Origin) -> String {
        let expanded = expand(text)
        if case .file(let location) = origin, !expanded.hasPrefix("/") {
            return ((location.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(expanded)
        }
        return expanded
    }

    private func expand(_ text: String) -> String {
        guard text.hasPrefix("~"), let home = environment["HOME"] else { return text }
        return home + text.dropFirst()
    }

    private func invalid(_ setting: ConfigSetting, _ text: String, _ origin: Origin, expected: String) -> LoadError {
        switch origin {
        case .environment(let name):
            return LoadError("environment variable \(name)='\(text)' must be \(expected)", at: nil)
        case .file(let location):
            return LoadError("'\(setting.key)' in [\(setting.section)] must be \(expected), got '\(text)'", at: location)
        case .defaultValue:
            return LoadError("default of '\(setting.key)' must be \(expected)", at: nil)
        }
    }
}

/// One ansible-core configuration setting: where it lives in `ansible.cfg`, its environment
/// variables and its default.
public struct ConfigSetting: Sendable, Hashable {
    public var section: String
    public var key: String
    public var environment: [String]
    public var defaultValue: String?

    public init(_ section: String, _ key: String, env: [String], default defaultValue: String? = nil) {
        self.section = section
        self.key = key
        self.environment = env
        self.defaultValue = defaultValue
    }

    public static let inventory = ConfigSetting("defaults", "inventory", env: ["ANSIBLE_INVENTORY"], default: "/etc/ansible/hosts")
    public static let forks = ConfigSetting("defaults", "forks", env: ["ANSIBLE_FORKS"], default: "5")
    public static let remoteUser = ConfigSetting("defaults", "remote_user", env: ["ANSIBLE_REMOTE_USER"])
    public static let remotePort = ConfigSetting("defaults", "remote_port", env: ["ANSIBLE_REMOTE_PORT"])
    public static let privateKeyFile = ConfigSetting(
        "defaults", "private_key_file", env: ["ANSIBLE_PRIVATE_KEY_FILE"])
    public static let hostKeyChecking = ConfigSetting(
        "defaults", "host_key_checking", env: ["ANSIBLE_HOST_KEY_CHECKING"], default: "True")
    public static let rolesPath = ConfigSetting(
        "defaults", "roles_path", env: ["ANSIBLE_ROLES_PATH"],
        default: "~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles")
    public static let stdoutCallback = ConfigSetting(
        "defaults", "stdout_callback", env: ["ANSIBLE_STDOUT_CALLBACK"], default: "default")
    public static let vaultPasswordFile = ConfigSetting(
        "defaults", "vault_password_file", env: ["ANSIBLE_VAULT_PASSWORD_FILE"])
    public static let vaultIdentityList = ConfigSetting(
        "defaults", "vault_identity_list", env: ["ANSIBLE_VAULT_IDENTITY_LIST"])
    public static let timeout = ConfigSetting("defaults", "timeout", env: ["ANSIBLE_TIMEOUT"], default: "10")
    public static let gathering = ConfigSetting("defaults", "gathering", env: ["ANSIBLE_GATHERING"], default: "implicit")
    public static let transport = ConfigSetting("defaults", "transport", env: ["ANSIBLE_TRANSPORT"], default: "ssh")
    public static let strategy = ConfigSetting("defaults", "strategy", env: ["ANSIBLE_STRATEGY"], default: "linear")
    public static let anyErrorsFatal = ConfigSetting(
        "defaults", "any_errors_fatal", env: ["ANSIBLE_ANY_ERRORS_FATAL"], default: "False")
    public static let forceHandlers = ConfigSetting(
        "defaults", "force_handlers", env: ["ANSIBLE_FORCE_HANDLERS"], default: "False")
    public static let noColor = ConfigSetting("defaults", "nocolor", env: ["ANSIBLE_NOCOLOR"], default: "False")
    public static let forceColor = ConfigSetting("defaults", "force_color", env: ["ANSIBLE_FORCE_COLOR"], default: "False")
    public static let hashBehaviour = ConfigSetting(
        "defaults", "hash_behaviour", env: ["ANSIBLE_HASH_BEHAVIOUR"], default: "replace")
    public static let become = ConfigSetting("privilege_escalation", "become", env: ["ANSIBLE_BECOME"], default: "False")
    public static let becomeUser = ConfigSetting(
        "privilege_escalation", "become_user", env: ["ANSIBLE_BECOME_USER"], default: "root")
    public static let becomeMethod = ConfigSetting(
        "privilege_escalation", "become_method", env: ["ANSIBLE_BECOME_METHOD"], default: "sudo")
    public static let sshArgs = ConfigSetting("ssh_connection", "ssh_args", env: ["ANSIBLE_SSH_ARGS"])
    public static let ansibleManaged = ConfigSetting("defaults", "ansible_managed", env: [], default: "Ansible managed")
    public static let pipelining = ConfigSetting(
        "ssh_connection", "pipelining", env: ["ANSIBLE_PIPELINING", "ANSIBLE_SSH_PIPELINING"], default: "False")
}
