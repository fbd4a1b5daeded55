/// Everything the command line (or a test) can ask of a run; mirrors ansible-playbook's options.
public struct RunOptions: Sendable {
    /// What to do with the playbooks.
    public enum Mode: Sendable, Equatable {
        case run, syntaxCheck, listTasks, listTags, listHosts
    }

    /// Output format on stdout.
    public enum OutputFormat: String, Sendable, CaseIterable {
        case text, json
    }

    public var playbooks: [String]
    /// `-i`: paths or inline `host1,host2,` lists; empty means ansible.cfg / `/etc/ansible/hosts`.
    public var inventories: [String] = []
    /// `-e`: raw arguments (`k=v …`, JSON/YAML text, `@file`), in the order given.
    public var extraVars: [String] = []
    public var limit: String?
    public var tags: [String] = []
    public var skipTags: [String] = []
    public var check = false
    public var diff = false
    /// nil: `forks` from ansible.cfg / `ANSIBLE_FORKS`, else 50.
    public var forks: Int?
    public var verbosity = 0
    public var remoteUser: String?
    public var privateKeyFile: String?
    public var connection: String?
    public var become = false
    public var becomeUser: String?
    public var becomeMethod: String?
    public var timeout: Int?
    public var startAtTask: String?
    public var vaultPasswordFiles: [String] = []
    /// `--vault-id`: `label@source` or a bare source, the source a file, a script or `prompt`.
    public var vaultIdentities: [String] = []
    /// `-J`/`--ask-vault-password`.
    public var askVaultPassword = false
    /// `-k`/`--ask-pass` and `-K`/`--ask-become-pass`.
    public var askConnectionPassword = false
    public var askBecomePassword = false
    /// `--connection-password-file` / `--become-password-file` (a file, a script, or `-` for stdin).
    public var connectionPasswordFile: String?
    public var becomePasswordFile: String?
    /// `--force-handlers`: the default of plays that don't set `force_handlers`.
    public var forceHandlers = false
    public var mode: Mode = .run
    /// nil: `stdout_callback` from ansible.cfg decides (text by default).
    public var output: OutputFormat?
    public var junitPath: String?
    /// The process environment (ANSIBLE_* settings, NO_COLOR); injected for tests.
    public var environment: [String: String] = [:]
    /// Directory relative paths are resolved from.
    public var workingDirectory: String = "."

    public init(playbooks: [String]) {
        self.playbooks = playbooks
    }
}
