import Templating

/// The outcome of one module run on one host, before the engine applies `changed_when`,
/// `failed_when` and friends.
///
/// Exposed to templates (through `register:`) as Ansible's result dictionary: ``values`` plus
/// `changed`, `failed`, `msg`, `diff`, `warnings` and `ansible_facts` when present.
public struct ModuleResult: Sendable, Equatable {
    public var changed: Bool
    public var failed: Bool
    public var message: String?
    /// Module-specific return keys (`rc`, `stdout`, `stdout_lines`, `path`, `network`, …).
    public var values: ValueDictionary
    /// Facts to set on the host (`ansible_facts`).
    public var facts: ValueDictionary
    /// Before/after pairs for `--diff`.
    public var diffs: [FileDiff]
    public var warnings: [String]

    public init(
        changed: Bool = false, failed: Bool = false, message: String? = nil, values: ValueDictionary = .init(),
        facts: ValueDictionary = .init(), diffs: [FileDiff] = [], warnings: [String] = []
    ) {
        self.changed = changed
        self.failed = failed
        self.message = message
        self.values = values
        self.facts = facts
        self.diffs = diffs
        self.warnings = warnings
    }

    /// A failed result with a message, as `fail_json(msg=…)`.
    public static func failure(_ message: String, values: ValueDictionary = .init()) -> ModuleResult {
        ModuleResult(failed: true, message: message, values: values)
    }

    /// The result as the dictionary `register:` exposes.
    public var registered: Value {
        var dictionary = values
        dictionary["changed"] = .bool(changed)
        dictionary["failed"] = .bool(failed)
        if let message { dictionary["msg"] = .string(message) }
        if !facts.isEmpty { dictionary["ansible_facts"] = .dict(facts) }
        if !diffs.isEmpty {
            dictionary["diff"] = .list(diffs.map(\.value))
        }
        if !warnings.isEmpty { dictionary["warnings"] = .list(warnings.map(Value.string)) }
        return .dict(dictionary)
    }
}

/// One before/after pair, as Ansible's `diff` entries (`before`, `after`, `before_header`, `after_header`).
public struct FileDiff: Sendable, Equatable {
    public var before: String
    public var after: String
    public var beforeHeader: String?
    public var afterHeader: String?

    public init(before: String, after: String, beforeHeader: String? = nil, afterHeader: String? = nil) {
        self.before = before
        self.after = after
        self.beforeHeader = beforeHeader
        self.afterHeader = afterHeader
    }

    public var value: Value {
        var dictionary = ValueDictionary()
        dictionary["before"] = .string(before)
        dictionary["after"] = .string(after)
        if let beforeHeader { dictionary["before_header"] = .string(beforeHeader) }
        if let afterHeader { dictionary["after_header"] = .string(afterHeader) }
        return .dict(dictionary)
    }
}
