import Diagnostics
import Templating

/// Evaluates `when:`, `changed_when:`, `failed_when:`, `until:` and `assert`'s `that:`.
enum Conditions {
    /// True when every condition holds (a list is an AND). As ansible-core 2.19+, a result that is
    /// not a boolean is an error rather than being coerced.
    static func allHold(_ conditions: [LocatedExpression], scope: TaskScope) throws -> (holds: Bool, failed: String?) {
        for condition in conditions {
            if try !holds(condition, scope: scope) { return (false, condition.conditionText) }
        }
        return (true, nil)
    }

    static func holds(_ condition: LocatedExpression, scope: TaskScope) throws -> Bool {
        switch condition.value {
        case .bool(let flag): return flag
        case .none: return false
        default: break
        }
        let text = condition.conditionText
        var result: Value
        if scope.templar.containsTemplate(text) {
            result = try scope.templar.evaluate(text, at: condition.location, scope: scope)
            if case .string(let inner) = result {
                result = try scope.templar.evaluateExpression(inner, at: condition.location, scope: scope)
            }
        } else {
            result = try scope.templar.evaluateExpression(text, at: condition.location, scope: scope)
        }
        if case .bool(let flag) = result { return flag }
        if case .undefined(let undefined) = result {
            throw SourceError(undefined.hint, at: condition.location)
        }
        throw SourceError(
            "Conditional result (\(PythonRepr.text(result))) was derived from value of type '\(result.pythonTypeName)' "
                + "at '\(text)'. Conditionals must have a boolean result.",
            at: condition.location)
    }

    /// A templated keyword that must be a boolean (`ignore_errors`, `no_log`, `check_mode`, …).
    static func flag(_ expression: LocatedExpression?, scope: TaskScope, default defaultValue: Bool) throws -> Bool {
        guard let expression else { return defaultValue }
        let value = try scope.template(expression.value, at: expression.location)
        switch value {
        case .bool(let flag): return flag
        case .string(let text):
            switch text.lowercased() {
            case "yes", "true", "on", "1", "y", "t": return true
            case "no", "false", "off", "0", "n", "f", "": return false
            default: break
            }
        case .int(let number): return number != 0
        case .none: return defaultValue
        default: break
        }
        throw SourceError("the value \(PythonRepr.repr(value)) is not a valid boolean", at: expression.location)
    }
}
