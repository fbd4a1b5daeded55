import Diagnostics
import Templating

/// The keyword values of a play, block, task or role entry, as written (not yet templated), each
/// with its location. Structural keywords (tasks, block, vars, when, tags, loop, …) are typed
/// fields of their owners instead; this holds the rest (`become`, `serial`, `environment`, …).
public struct Keywords: Sendable, Hashable {
    public private(set) var entries: [String: LocatedValue] = [:]

    public init() {}

    public subscript(name: String) -> LocatedValue? {
        get { entries[name] }
        set { entries[name] = newValue }
    }

    /// The raw value of `name`, or nil when unset.
    public func value(_ name: String) -> Value? {
        entries[name]?.value
    }

    public var isEmpty: Bool { entries.isEmpty }
}

/// The keyword names each kind of object accepts, as ansible-core 2.21's `fattributes`.
public enum KeywordTable {
    /// Keywords every object that runs tasks accepts (Base + Conditional + Taggable + Become + …).
    static let common: Set<String> = [
        "any_errors_fatal", "become", "become_exe", "become_flags", "become_method", "become_user", "check_mode",
        "collections", "connection", "debugger", "diff", "environment", "ignore_errors", "ignore_unreachable",
        "module_defaults", "name", "no_log", "port", "remote_user", "run_once", "tags", "throttle", "timeout", "vars",
    ]

    public static let play: Set<String> = common.union([
        "fact_path", "force_handlers", "gather_facts", "gather_subset", "gather_timeout", "handlers", "hosts",
        "max_fail_percentage", "order", "post_tasks", "pre_tasks", "roles", "serial", "strategy", "tasks",
        "validate_argspec", "vars_files", "vars_prompt",
    ])

    public static let block: Set<String> = common.union([
        "always", "block", "delegate_facts", "delegate_to", "notify", "rescue", "when",
    ])

    public static let task: Set<String> = common.union([
        "action", "args", "async", "changed_when", "delay", "delegate_facts", "delegate_to", "failed_when",
        "local_action", "loop", "loop_control", "notify", "poll", "register", "retries", "until", "when",
    ])

    public static let handler: Set<String> = task.union(["listen"])

    public static let roleEntry: Set<String> = common.union(["delegate_facts", "delegate_to", "role", "when"])

    public static let playbookImport: Set<String> = common.subtracting(["collections"]).union([
        "import_playbook", "when",
    ])

    /// Keywords whose value must be a boolean (or a template that yields one).
    public static let booleans: Set<String> = [
        "any_errors_fatal", "become", "check_mode", "diff", "ignore_errors", "ignore_unreachable", "no_log",
        "run_once", "delegate_facts", "force_handlers", "gather_facts", "validate_argspec",
    ]

    /// Keywords whose value must be an integer (or a numeric string, or a template).
    public static let integers: Set<String> = [
        "port", "throttle", "timeout", "async", "poll", "retries", "gather_timeout",
    ]

    /// Keywords whose value must be a number, fractions allowed (ansible-core's `isa='float'`).
    public static let numbers: Set<String> = ["delay"]

    /// Keywords whose value must be a string.
    public static let strings: Set<String> = [
        "become_exe", "become_flags", "become_method", "become_user", "connection", "remote_user", "strategy",
        "order", "register", "delegate_to", "debugger", "fact_path",
    ]
}
