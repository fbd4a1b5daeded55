import Diagnostics
import ModuleAPI
import Templating

/// A task ready to run: its action resolved and every keyword inherited from enclosing blocks,
/// roles, includes and the play already folded in, so the executor never walks parents.
public struct TaskPlan: Sendable {
    /// Unique within the run; callbacks use it to tell tasks apart.
    public var id: Int
    /// The `name:` as written (may contain templates); nil when absent.
    public var name: String?
    /// The action as written (`debug`, `ansible.builtin.command`), for display.
    public var actionName: String
    public var action: TaskAction
    /// The arguments as written (a dictionary; free-form text is under `_raw_params`).
    public var arguments: ValueDictionary
    /// Where each top-level argument is written, for errors about it.
    public var argumentLocations: [String: SourceLocation] = [:]
    public var location: SourceLocation?
    public var role: RolePlan?
    /// All `when:` conditions from the task and its parents, outermost first (a list is an AND).
    public var conditions: [LocatedExpression] = []
    public var loop: LoopPlan?
    public var register: String?
    public var changedWhen: [LocatedExpression]?
    public var failedWhen: [LocatedExpression]?
    public var until: [LocatedExpression]?
    public var retries: LocatedExpression?
    public var delay: LocatedExpression?
    public var notify: [String] = []
    public var tags: Set<String> = []
    public var ignoreErrors: LocatedExpression?
    public var ignoreUnreachable: LocatedExpression?
    public var delegateTo: LocatedExpression?
    public var delegateFacts = false
    public var runOnce = false
    public var noLog: LocatedExpression?
    public var checkMode: LocatedExpression?
    public var diff: LocatedExpression?
    /// `environment:` dictionaries, outermost first; inner keys win.
    public var environment: [LocatedExpression] = []
    /// Block `vars:`, outermost first (inner blocks win).
    public var blockVars: [ValueDictionary] = []
    public var taskVars = ValueDictionary()
    /// `vars:` given to the `include_tasks`/`import_tasks` that brought this task in.
    public var includeParams = ValueDictionary()
    public var become = BecomePlan()
    public var asyncSeconds: LocatedExpression?
    public var poll: LocatedExpression?
    public var timeout: LocatedExpression?
    public var throttle: Int?
    public var anyErrorsFatal: Bool?
    public var connection: String?
    /// Handler-only: the `listen:` topics.
    public var listen: [String] = []
    /// The loaded task this plan comes from (for `include_tasks` path resolution).
    var model: ModelTask?
    /// What the task inherited from its parents, handed on to tasks it includes.
    var inherited = InheritedKeywords()

    public init(
        id: Int, name: String?, actionName: String, action: TaskAction, arguments: ValueDictionary,
        location: SourceLocation?
    ) {
        self.id = id
        self.name = name
        self.actionName = actionName
        self.action = action
        self.arguments = arguments
        self.location = location
    }
}

extension TaskPlan {
    /// `include_tasks` / `include_role`.
    var isInclude: Bool {
        if case .controller(let action) = action { return action == .includeTasks || action == .includeRole }
        return false
    }
}

/// What a task does.
public enum TaskAction: Sendable {
    /// A module from the registry, run through the host's connection.
    case module(any Module.Type)
    /// An action that needs the engine's state (set_fact, debug, meta, include_tasks, …).
    case controller(ControllerAction)
}

/// `loop:` or `with_<lookup>:` and `loop_control:`.
public struct LoopPlan: Sendable {
    /// `loop`, or the lookup name of `with_<lookup>`.
    public var keyword: String
    public var items: LocatedExpression
    public var loopVar = "item"
    public var indexVar: String?
    public var label: LocatedExpression?
    public var pause: Double = 0
    public var extended = false
    public var extendedAllItems = true

    public init(keyword: String, items: LocatedExpression) {
        self.keyword = keyword
        self.items = items
    }
}

/// A role's identity and variables as its tasks see them.
public struct RolePlan: Sendable {
    public var name: String
    public var path: String
    public var defaults = ValueDictionary()
    public var vars = ValueDictionary()
    /// Parameters given where the role is used (`roles: [{role: x, p: 1}]`).
    public var params = ValueDictionary()

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// `become*` keywords after inheritance.
public struct BecomePlan: Sendable, Equatable {
    public var enabled: LocatedExpression?
    public var user: LocatedExpression?
    public var method: LocatedExpression?
    public var flags: LocatedExpression?

    public init() {}
}
