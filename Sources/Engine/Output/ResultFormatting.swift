import Templating

/// How the default callback turns a result dictionary into the text it prints, following
/// ansible-core's `_clean_results` and `_dump_results`.
enum ResultFormatting {
    /// Keys only `debug` may show when it has a `msg`.
    private static let debugAllowedKeys: Set<String> = ["msg", "exception", "warnings", "deprecations"]
    private static let hiddenInDebug: Set<String> = [
        "changed", "failed", "skipped", "invocation", "skip_reason", "ansible_loop_var", "ansible_index_var",
        "ansible_loop",
    ]
    static let censoredMessage = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

    /// The dictionary to print for `result`.
    static func displayed(_ result: HostTaskResult, action: String, verbosity: Int) -> ValueDictionary {
        if result.noLog {
            var censored = ValueDictionary()
            censored["censored"] = .string(censoredMessage)
            censored["changed"] = result.values["changed"] ?? .bool(false)
            return censored
        }
        var shown = ValueDictionary()
        let isDebug = action == "debug" || action == "ansible.builtin.debug" || action == "ansible.legacy.debug"
        let hasMessage = result.values["msg"] != nil
        for (key, value) in result.values {
            guard case .string(let name) = key else { continue }
            // TaskResult.clean_copy drops these; the status is in the line's prefix instead.
            if name == "failed" || name == "skipped" || name.hasPrefix("_ansible") { continue }
            if name == "invocation" && verbosity < 3 { continue }
            if name == "diff" && verbosity < 3 { continue }
            if name == "warnings" || name == "deprecations" || name == "exception" { continue }
            if isDebug {
                if hasMessage && !debugAllowedKeys.contains(name) { continue }
                if !hasMessage && hiddenInDebug.contains(name) { continue }
            }
            shown[key] = value
        }
        return shown
    }

    /// `_dump_results`: compact JSON, or indented by 4 for `debug`-like results and at `-vvv`.
    static func dump(_ dictionary: ValueDictionary, verboseAlways: Bool, verbosity: Int) -> String {
        let indent = (verboseAlways || verbosity > 2) ? 4 : nil
        return JSON.text(.dict(dictionary), .results(indent: indent))
    }

    /// The text of an item label: strings bare, everything else as Python would print it.
    static func label(_ value: Value) -> String {
        PythonRepr.text(value)
    }
}

/// Python's `str()` of a value, which is how ansible-playbook prints loop item labels.
enum PythonRepr {
    static func text(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return repr(value)
    }

    static func repr(_ value: Value) -> String {
        if case .undefined = value { return "None" }
        return value.reprDescription
    }
}
