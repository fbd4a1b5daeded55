import ModuleAPI
import Templating

/// Everything task execution needs that is shared by the whole run.
public struct ExecutionContext: Sendable {
    public var templar: any TemplateEvaluator
    public var state: RunState
    public var bus: EventBus
    public var connections: ConnectionPool
    public var services: ServiceContainer
    public var checkMode: Bool
    public var diffMode: Bool
    public var verbosity: Int
    public var tags: TagSelection
    /// Loads the tasks of `include_tasks` / `include_role` at run time.
    public var includes: any IncludeLoader
    /// Reads variable files for `include_vars` and `vars_files`.
    public var variableFiles: any VariableFileLoader
    /// Gathers facts for `gather_facts` and `setup`.
    public var facts: any FactSource
    /// Hosts the inventory defines beyond the play's (for `delegate_to` and `hostvars`).
    public var inventoryDirectory: String?
    public var inventoryFile: String?
    /// The modules of the run (for the implicit fact gathering task).
    public var registry = ModuleRegistry()
    /// `-c`, `-u`, `--private-key`, `-T`, `-b` and ansible.cfg defaults.
    public var connectionDefaults = ConnectionSettings.Defaults()
    /// `async:` jobs still running; the run waits for them before it ends.
    public var asyncJobs = AsyncJobs()
    /// `[defaults] ansible_managed`: the format of `ansible_managed` in template files.
    public var ansibleManaged = TemplateFileVariables.defaultManaged
    /// Inventory, vault and configuration for `inventory_hostnames`, `unvault` and `config` lookups.
    public var lookupServices: (any LookupRunServices)?
    /// Value of the `omit` placeholder; arguments templated to it are dropped.
    public var omitPlaceholder = "__omit_place_holder__5f3a1f2c9e0b4d7a8c6e2b1d0f9a3c7e"

    public init(
        templar: any TemplateEvaluator, state: RunState, bus: EventBus, connections: ConnectionPool,
        services: ServiceContainer = ServiceContainer(), checkMode: Bool = false, diffMode: Bool = false,
        verbosity: Int = 0, tags: TagSelection = TagSelection(), includes: any IncludeLoader,
        variableFiles: any VariableFileLoader, facts: any FactSource
    ) {
        self.templar = templar
        self.state = state
        self.bus = bus
        self.connections = connections
        self.services = services
        self.checkMode = checkMode
        self.diffMode = diffMode
        self.verbosity = verbosity
        self.tags = tags
        self.includes = includes
        self.variableFiles = variableFiles
        self.facts = facts
    }
}

/// What one play run knows while its tasks execute.
public struct PlayContext: Sendable {
    public var plan: PlayPlan
    /// Every host the play targets (`ansible_play_hosts_all`).
    public var allHosts: [String]
    /// The current `serial` batch (`ansible_play_batch`).
    public var batch: [String]
    /// Hosts of the batch still running (`ansible_play_hosts`).
    public var activeHosts: [String]

    public init(plan: PlayPlan, allHosts: [String], batch: [String], activeHosts: [String]) {
        self.plan = plan
        self.allHosts = allHosts
        self.batch = batch
        self.activeHosts = activeHosts
    }
}

/// Loads task files at run time (`include_tasks`, `include_role`), compiled with the including
/// task's inherited keywords.
public protocol IncludeLoader: Sendable {
    /// The tasks of `file` (relative to the including task's file or role), compiled under `parent`.
    func loadTasks(_ file: String, parent: TaskPlan) throws -> (path: String, items: [PlanItem])
    /// A role's tasks and handlers for `include_role`.
    func loadRole(
        _ name: String, tasksFrom: String?, varsFrom: String?, defaultsFrom: String?, parent: TaskPlan
    ) throws -> (path: String, items: [PlanItem], handlers: [TaskPlan])
}

/// Reads YAML/JSON variable files.
public protocol VariableFileLoader: Sendable {
    /// The variables in `path` (a dictionary at the top), with the resolved path.
    func loadVariables(_ path: String, relativeTo directories: [String]) throws -> (path: String, variables: ValueDictionary)
}
