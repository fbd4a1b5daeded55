import Diagnostics
import Templating

/// What the engine needs from the template engine. ``Templar`` adapts `Templating.TemplateEngine`;
/// tests may supply their own.
public protocol TemplateEvaluator: Sendable {
    /// Whether `text` contains `{{`, `{%` or `{#` and therefore needs templating.
    func containsTemplate(_ text: String) -> Bool
    /// Evaluates a string in Ansible's native mode: exactly one `{{ expr }}` keeps its type.
    func evaluate(_ text: String, at location: SourceLocation?, scope: any VariableScope) throws -> Value
    /// Renders a template to text (template files, `msg:` that mixes text and expressions).
    func render(_ text: String, name: String, at location: SourceLocation?, scope: any VariableScope) throws -> String
    /// Evaluates a bare Jinja2 expression (`when:`, `that:`, `changed_when:`, `until:`).
    func evaluateExpression(_ expression: String, at location: SourceLocation?, scope: any VariableScope) throws
        -> Value
}

extension TemplateEvaluator {
    /// Whether any string inside `value` needs templating.
    public func containsTemplate(in value: Value) -> Bool {
        switch value {
        case .string(let text): return containsTemplate(text)
        case .list(let elements): return elements.contains { containsTemplate(in: $0) }
        case .dict(let dictionary):
            return dictionary.contains { containsTemplate(in: $0.key) || containsTemplate(in: $0.value) }
        default: return false
        }
    }

    /// Templates every string inside `value`, keys included, keeping the structure and native types.
    public func evaluate(_ value: Value, at location: SourceLocation?, scope: any VariableScope) throws -> Value {
        switch value {
        case .string(let text):
            return containsTemplate(text) ? try evaluate(text, at: location, scope: scope) : value
        case .list(let elements):
            guard containsTemplate(in: value) else { return value }
            return .list(try elements.map { try evaluate($0, at: location, scope: scope) })
        case .dict(let dictionary):
            guard containsTemplate(in: value) else { return value }
            var result = ValueDictionary()
            for (key, element) in dictionary {
                result[try evaluate(key, at: location, scope: scope)] = try evaluate(element, at: location, scope: scope)
            }
            return .dict(result)
        default:
            return value
        }
    }
}
