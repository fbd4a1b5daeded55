import Diagnostics
import Templating

/// One entry of a task list: a task or a block.
public indirect enum PlanItem: Sendable {
    case task(TaskPlan)
    case block(BlockPlan)
}

/// `block:` / `rescue:` / `always:`. Keywords written on the block are already folded into its tasks.
public struct BlockPlan: Sendable {
    public var block: [PlanItem]
    public var rescue: [PlanItem]
    public var always: [PlanItem]
    public var location: SourceLocation?

    public init(block: [PlanItem], rescue: [PlanItem] = [], always: [PlanItem] = [], location: SourceLocation? = nil) {
        self.block = block
        self.rescue = rescue
        self.always = always
        self.location = location
    }
}

/// A play ready to run.
public struct PlayPlan: Sendable {
    public enum Strategy: String, Sendable { case linear, free, hostPinned = "host_pinned" }

    public var name: String
    public var hostPattern: String
    public var location: SourceLocation?
    public var gatherFacts = true
    /// `gathering = smart`: facts are gathered only on hosts that have none yet.
    public var gatherOnlyMissingFacts = false
    public var vars = ValueDictionary()
    /// `vars_prompt:` entries, asked when the play starts.
    public var varsPrompt: [VarsPromptEntry] = []
    /// The answers to `vars_prompt` (the `playVarsPrompt` layer), filled in when the play starts.
    public var promptedVars = ValueDictionary()
    /// `vars_files` as read without a host (play vars, prompt answers and extra vars), in order.
    public var varsFiles = ValueDictionary()
    /// The `vars_files` entries, read again for each host when some are templates.
    public var varsFilesSource: VarsFiles?
    /// Entries the first reading skipped for an undefined variable (warned about when the play starts).
    var varsFilesUndefined: [SourceLocation?] = []
    public var preTasks: [PlanItem] = []
    /// Roles' tasks followed by the play's `tasks:`.
    public var tasks: [PlanItem] = []
    public var postTasks: [PlanItem] = []
    /// Handlers of the play and its roles, in definition order.
    public var handlers: [TaskPlan] = []
    public var serial: [SerialBatches.Size] = []
    public var strategy: Strategy = .linear
    public var anyErrorsFatal = false
    public var maxFailPercentage: Double?
    public var forceHandlers = false
    public var order: String = "inventory"
    /// The play's own `tags:` (already folded into its tasks; kept for `--list-tags`).
    public var tags: Set<String> = []
    /// Directory of the playbook file that holds the play.
    public var playbookDirectory: String = "."
    /// Defaults and vars of the roles in `roles:`, which the whole play sees (Ansible's roles
    /// are public unless included with `include_role`).
    public var exportedRoleDefaults = ValueDictionary()
    public var exportedRoleVars = ValueDictionary()
    /// The playbook as given on the command line (for listings).
    public var playbookPath: String = ""

    public init(name: String, hostPattern: String) {
        self.name = name
        self.hostPattern = hostPattern
    }
}
