import ArgumentParser
import Engine

/// `stackplay [options] PLAYBOOK...`: runs Ansible playbooks, with ansible-playbook's options.
struct PlaybookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stackplay",
        abstract: "Runs Ansible playbooks, unmodified, without Python.",
        discussion: """
            Exit codes: 0 all hosts ok, 1 error, 2 a host failed, 4 a host was unreachable, 5 bad options.
            Reads ansible.cfg (ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg) and
            ANSIBLE_* variables; the command line overrides the environment, which overrides the file.
            """,
        version: StackplayVersion.text)

    @OptionGroup(title: "Inventory and variables") var inventory: InventoryOptions
    @OptionGroup(title: "Execution") var execution: ExecutionOptions
    @OptionGroup(title: "Connection and privilege escalation") var connection: ConnectionOptions
    @OptionGroup(title: "Output and inspection") var output: OutputOptions

    @Argument(help: ArgumentHelp("Playbook(s) to run.", valueName: "PLAYBOOK"))
    var playbooks: [String] = []

    func validate() throws {
        if playbooks.isEmpty { throw ValidationError("the following arguments are required: playbook") }
        let inspections = [output.syntaxCheck, output.listTasks, output.listTags, output.listHosts].filter { $0 }
        if output.syntaxCheck && inspections.count > 1 {
            throw ValidationError("--syntax-check cannot be combined with the --list options")
        }
        if let forks = execution.forks, forks < 1 { throw ValidationError("the number of forks must be at least 1") }
    }

    /// The engine's options from the parsed command line.
    func runOptions(environment: [String: String], workingDirectory: String) -> RunOptions {
        var options = RunOptions(playbooks: playbooks)
        options.inventories = inventory.inventories
        options.extraVars = inventory.extraVars
        options.limit = inventory.limit
        options.vaultPasswordFiles = inventory.vaultPasswordFiles
        options.vaultIdentities = inventory.vaultIDs
        options.askVaultPassword = inventory.askVaultPassword
        options.askConnectionPassword = connection.askPass
        options.askBecomePassword = connection.askBecomePass
        options.connectionPasswordFile = connection.connectionPasswordFile
        options.becomePasswordFile = connection.becomePasswordFile
        options.forceHandlers = execution.forceHandlers
        options.tags = Self.splitTags(execution.tags)
        options.skipTags = Self.splitTags(execution.skipTags)
        options.check = execution.check
        options.diff = execution.diff
        options.forks = execution.forks
        options.startAtTask = execution.startAtTask
        options.remoteUser = connection.user
        options.privateKeyFile = connection.privateKey
        options.connection = connection.connection
        options.timeout = connection.timeout
        options.become = connection.become
        options.becomeUser = connection.becomeUser
        options.becomeMethod = connection.becomeMethod
        options.verbosity = output.verbosity
        options.output = output.output
        options.junitPath = output.junit
        options.mode =
            output.syntaxCheck ? .syntaxCheck
            : output.listTasks ? .listTasks : output.listTags ? .listTags : output.listHosts ? .listHosts : .run
        options.environment = environment
        options.workingDirectory = workingDirectory
        return options
    }

    /// `-t a,b -t c` → `[a, b, c]`, as ansible-playbook splits them.
    static func splitTags(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension Substring {
    fileprivate enum TrimSet { case whitespaces }
    fileprivate func trimmingCharacters(in set: TrimSet) -> String {
        var text = self
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
