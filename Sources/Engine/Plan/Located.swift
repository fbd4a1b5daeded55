import Diagnostics
import Templating

/// A playbook value the engine templates at run time, with the place it was written.
public struct LocatedExpression: Sendable, Equatable {
    public var value: Value
    public var location: SourceLocation?

    public init(_ value: Value, at location: SourceLocation?) {
        self.value = value
        self.location = location
    }

    /// The text of a `when:`-style condition (bools and numbers as Jinja2 literals).
    public var conditionText: String {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "True" : "False"
        case .none: "None"
        default: PythonRepr.repr(value)
        }
    }
}
