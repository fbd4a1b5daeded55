import Foundation
import PlaybookCore

/// Settings resolved as ansible-playbook resolves them: command line over `ANSIBLE_*` environment
/// variables over `ansible.cfg` (the first of `$ANSIBLE_CONFIG`, `./ansible.cfg`, `~/.ansible.cfg`,
/// `/etc/ansible/ansible.cfg`) over the defaults.
struct RunSettings: Sendable {
    /// How the play's implicit fact gathering is decided when a play does not say (`gathering`).
    enum Gathering: String, Sendable {
        /// Gather unless the play says `gather_facts: false`.
        case implicit
        /// Gather only when the play says `gather_facts: true`.
        case explicit
        /// Gather unless the play says no, and only on hosts whose facts were not gathered yet.
        case smart
    }

    /// The configuration file and environment the settings came from.
    var config: AnsibleConfig
    var forks: Int
    var inventorySources: [String]
    var rolesPath: [String]
    var hostKeyChecking: Bool
    var remoteUser: String?
    var remotePort: Int?
    var privateKeyFile: String?
    var vaultPasswordFiles: [String]
    /// `--vault-id`s, then ansible.cfg's `vault_identity_list`.
    var vaultIdentities: [String]
    /// Plays that don't say: `--force-handlers` or `force_handlers`, `any_errors_fatal` in ansible.cfg.
    var forceHandlers: Bool
    var anyErrorsFatal: Bool
    var gathering: Gathering
    var timeout: Int?
    /// The default transport (`-c`, `transport`), nil when neither is set.
    var transport: String?
    var become: Bool
    var becomeUser: String?
    var becomeMethod: String?
    var output: RunOptions.OutputFormat
    /// `ansible_managed` for templates (`[defaults] ansible_managed`).
    var ansibleManaged: String
    /// Problems with the settings that do not stop the run.
    var warnings: [String] = []

    /// stackplay's `forks` default: hosts are concurrent tasks, not processes.
    static let defaultForks = 50

    init(options: RunOptions) throws {
        let config = try AnsibleConfig.load(environment: options.environment, workingDirectory: options.workingDirectory)
        try self.init(options: options, config: config)
    }

    init(options: RunOptions, config: AnsibleConfig) throws {
        self.config = config
        let workingDirectory = options.workingDirectory
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") || path.hasPrefix("~") ? path : (workingDirectory as NSString).appendingPathComponent(path)
        }
        let configured = { (setting: ConfigSetting) in config.raw(setting) != nil }

        forks = try options.forks ?? (configured(.forks) ? config.int(.forks) : nil) ?? Self.defaultForks
        if options.inventories.isEmpty {
            let sources = config.paths(.inventory, separator: ",")
            if configured(.inventory) {
                inventorySources = sources
            } else {
                // Ansible's default `/etc/ansible/hosts`; without it only the implicit localhost exists.
                inventorySources = sources.filter { FileManager.default.fileExists(atPath: $0) }
            }
        } else {
            inventorySources = options.inventories
        }
        rolesPath = config.paths(.rolesPath, separator: ":").map(absolute)
        hostKeyChecking = try config.bool(.hostKeyChecking)
        remoteUser = options.remoteUser ?? config.string(.remoteUser)
        remotePort = try config.int(.remotePort)
        privateKeyFile = (options.privateKeyFile ?? config.path(.privateKeyFile)).map(absolute)
        vaultPasswordFiles = options.vaultPasswordFiles + (config.path(.vaultPasswordFile).map { [$0] } ?? [])
        // A plain list in ansible-core (not a path list): sources stay relative to the working directory.
        vaultIdentities = options.vaultIdentities
            + (config.string(.vaultIdentityList) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        forceHandlers = try options.forceHandlers || config.bool(.forceHandlers)
        anyErrorsFatal = try config.bool(.anyErrorsFatal)
        let gatheringText = config.string(.gathering) ?? "implicit"
        guard let gathering = Gathering(rawValue: gatheringText.lowercased()) else {
            throw Self.invalid(.gathering, config: config, expected: "one of: implicit, explicit, smart")
        }
        self.gathering = gathering
        timeout = try options.timeout ?? (configured(.timeout) ? config.int(.timeout) : nil)
        transport = options.connection ?? (configured(.transport) ? config.string(.transport) : nil)
        become = try options.become || config.bool(.become)
        becomeUser = options.becomeUser ?? (configured(.becomeUser) ? config.string(.becomeUser) : nil)
        becomeMethod = options.becomeMethod ?? (configured(.becomeMethod) ? config.string(.becomeMethod) : nil)
        ansibleManaged = config.string(.ansibleManaged) ?? "Ansible managed"
        if let format = options.output {
            output = format
        } else {
            let callback = config.string(.stdoutCallback) ?? "default"
            switch callback {
            case "default", "ansible.builtin.default": output = .text
            case "jsonl", "ansible.posix.jsonl": output = .json
            default:
                output = .text
                warnings.append(
                    "stackplay has no '\(callback)' stdout callback (stdout_callback); using 'default'")
            }
        }
    }

    private static func invalid(_ setting: ConfigSetting, config: AnsibleConfig, expected: String) -> LoadError {
        let text = config.raw(setting)?.value ?? ""
        switch config.raw(setting)?.origin {
        case .file(let location):
            return LoadError("'\(setting.key)' in [\(setting.section)] must be \(expected), got '\(text)'", at: location)
        case .environment(let name):
            return LoadError("environment variable \(name)='\(text)' must be \(expected)", at: nil)
        case .defaultValue, nil:
            return LoadError("'\(setting.key)' must be \(expected)", at: nil)
        }
    }
}
