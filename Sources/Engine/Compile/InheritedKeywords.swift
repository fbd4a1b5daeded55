import PlaybookCore
import Templating

/// Keywords a task inherits from its play, role inclusions, blocks and includes: closer
/// definitions win, conditions and tags accumulate, environments stack.
struct InheritedKeywords: Sendable {
    var conditions: [LocatedExpression] = []
    var tags: Set<String> = []
    var blockVars: [ValueDictionary] = []
    var includeParams = ValueDictionary()
    var role: RolePlan?
    var keywords: [String: LocatedValue] = [:]
    var environment: [LocatedExpression] = []
    var notify: [String] = []
    /// `module_defaults:` dictionaries, outermost first.
    var moduleDefaults: [ValueDictionary] = []

    /// Keywords that pass from parents to tasks (the rest belong to plays or tasks only).
    static let inheritable: Set<String> = [
        "any_errors_fatal", "become", "become_exe", "become_flags", "become_method", "become_user", "check_mode",
        "connection", "delegate_facts", "delegate_to", "diff", "ignore_errors", "ignore_unreachable", "no_log",
        "port", "remote_user", "run_once", "throttle", "timeout",
    ]

    /// Adds a parent's keywords, which override the ones inherited from further out.
    mutating func absorb(_ keywords: Keywords) {
        for (name, value) in keywords.entries {
            if name == "module_defaults" {
                // A list of dictionaries is allowed too; later entries win.
                for entry in value.value.array ?? [value.value] {
                    if let dictionary = entry.dictionary { moduleDefaults.append(dictionary) }
                }
            } else if name == "environment" {
                environment.append(LocatedExpression(value.value, at: value.location))
            } else if Self.inheritable.contains(name) {
                self.keywords[name] = value
            }
        }
    }

    /// A task's own `module_defaults` (its other keywords are applied by the compiler).
    mutating func absorb(moduleDefaultsOnly keywords: Keywords) {
        guard let value = keywords["module_defaults"] else { return }
        for entry in value.value.array ?? [value.value] {
            if let dictionary = entry.dictionary { moduleDefaults.append(dictionary) }
        }
    }

    mutating func absorb(when: [LocatedValue], tags: TagList) {
        conditions += when.map { LocatedExpression($0.value, at: $0.location) }
        self.tags.formUnion(tags.tags)
    }
}
