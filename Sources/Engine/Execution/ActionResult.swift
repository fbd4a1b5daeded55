import Templating

/// What running an action once produced, before the engine applies `changed_when`,
/// `failed_when`, `until` and `ignore_errors`.
struct ActionResult: Sendable {
    /// Ansible's result dictionary (`changed`, `failed`, `msg`, module return keys).
    var values: ValueDictionary
    var unreachable = false
    var effects: [ActionEffect] = []
    /// `diff` entries for `--diff`.
    var diffs: [Value] = []
    var verboseAlways = false

    init(values: ValueDictionary, unreachable: Bool = false, effects: [ActionEffect] = [], verboseAlways: Bool = false) {
        self.values = values
        self.unreachable = unreachable
        self.effects = effects
        self.verboseAlways = verboseAlways
    }

    /// A failed result with a message (`changed: false`, `failed: true`, `msg`).
    static func failure(_ message: String, extra: ValueDictionary = .init()) -> ActionResult {
        var values = ValueDictionary()
        values["changed"] = .bool(false)
        for (key, value) in extra { values[key] = value }
        values["failed"] = .bool(true)
        values["msg"] = .string(message)
        return ActionResult(values: values)
    }

    /// A skipped result (`changed: false`, `skipped: true`) with the reason Ansible gives.
    static func skipped(reason: String, extra: ValueDictionary = .init()) -> ActionResult {
        var values = ValueDictionary()
        values["changed"] = .bool(false)
        values["skipped"] = .bool(true)
        values["skip_reason"] = .string(reason)
        for (key, value) in extra { values[key] = value }
        return ActionResult(values: values)
    }

    var isFailed: Bool { values["failed"] == .bool(true) }
    var isSkipped: Bool { values["skipped"] == .bool(true) }
    var isChanged: Bool { values["changed"] == .bool(true) }
}

/// Changes an action asks the engine to make once the task is over on this host.
enum ActionEffect: Sendable {
    case setFacts(ValueDictionary, cacheable: Bool)
    case includeVars(ValueDictionary)
    case addHost(name: String, groups: [String], variables: ValueDictionary)
    case groupBy(group: String, parents: [String])
    case setStats(ValueDictionary, perHost: Bool, aggregate: Bool)
    case gatheredFacts(ValueDictionary)
    case meta(MetaAction)
    case include(IncludedTasks)
}

extension ActionEffect {
    /// Effects on the host's variables, applied as soon as a loop item finishes.
    var changesVariables: Bool {
        switch self {
        case .setFacts, .includeVars, .gatheredFacts: true
        default: false
        }
    }
}

/// `meta:` actions that change control flow.
public enum MetaAction: String, Sendable {
    case flushHandlers = "flush_handlers"
    case endPlay = "end_play"
    case endHost = "end_host"
    case endBatch = "end_batch"
    case endRole = "end_role"
    case clearHostErrors = "clear_host_errors"
    case clearFacts = "clear_facts"
    case refreshInventory = "refresh_inventory"
    case resetConnection = "reset_connection"
    case noop
}

/// Tasks an `include_tasks` / `include_role` brought in for one host.
public struct IncludedTasks: Sendable {
    public var path: String
    /// What the `included:` line names: the task file's absolute path, or the role's name.
    public var shownName: String
    public var items: [PlanItem]
    public var handlers: [TaskPlan]
    /// The loop item label when the include ran in a loop.
    public var itemLabel: Value?

    public init(
        path: String, shownName: String? = nil, items: [PlanItem], handlers: [TaskPlan] = [], itemLabel: Value? = nil
    ) {
        self.path = path
        self.shownName = shownName ?? path
        self.items = items
        self.handlers = handlers
        self.itemLabel = itemLabel
    }
}

extension ValueDictionary {
    /// A dictionary with string keys, in the given order.
    static func pairs(_ pairs: KeyValuePairs<String, Value>) -> ValueDictionary {
        var dictionary = ValueDictionary()
        for (key, value) in pairs { dictionary[key] = value }
        return dictionary
    }
}
