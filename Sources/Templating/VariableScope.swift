/// Where a template finds its variables.
///
/// The playbook engine implements this over its precedence-ordered variable layers and renders
/// variable values lazily on lookup (a variable may itself be a template), which is why lookup
/// can throw: the error is the located error of the inner template.
public protocol VariableScope: Sendable {
    /// The value of a top-level name, or nil when it is not defined.
    func value(of name: String) throws -> Value?
    /// Every top-level name the scope defines (for `lookup('varnames', …)`), in the scope's own order.
    func variableNames() -> [String]
}

extension VariableScope {
    /// Scopes that cannot list their names show none.
    public func variableNames() -> [String] { [] }
}

/// A fixed set of variables; for tests and for template files rendered with explicit vars.
public struct DictionaryScope: VariableScope {
    public var variables: [String: Value]

    public init(_ variables: [String: Value]) {
        self.variables = variables
    }

    public func value(of name: String) throws -> Value? {
        variables[name]
    }

    /// Sorted: a Swift dictionary has no order of its own.
    public func variableNames() -> [String] { variables.keys.sorted() }
}
