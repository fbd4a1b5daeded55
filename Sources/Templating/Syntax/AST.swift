/// Expressions of the Jinja2 language. Every node that can fail carries the byte offset of its
/// source so runtime errors are located.
indirect enum Expression: Sendable {
    case literal(Value)
    case name(String, offset: Int)
    case attribute(Expression, String, offset: Int)
    case item(Expression, Expression, offset: Int)
    case slice(Expression, start: Expression?, stop: Expression?, step: Expression?, offset: Int)
    case list([Expression])
    case tuple([Expression])
    case dict([(key: Expression, value: Expression)])
    case unary(UnaryOperator, Expression, offset: Int)
    case binary(BinaryOperator, Expression, Expression, offset: Int)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case not(Expression)
    case compare(Expression, [(op: ComparisonOperator, operand: Expression)], offset: Int)
    case concat([Expression], offset: Int)
    case conditional(test: Expression, then: Expression, otherwise: Expression?)
    case filter(Expression, FilterCall)
    case test(Expression, TestCall, negated: Bool)
    case call(Expression, Arguments, offset: Int)
}

/// Positional and keyword arguments of a call, filter or test.
struct Arguments: Sendable {
    var positional: [Expression] = []
    var keyword: [(name: String, value: Expression)] = []
    var splat: Expression? = nil
    var keywordSplat: Expression? = nil
}

/// `| name(arguments)`. The filter table is fixed, so the function is looked up once when the
/// template is parsed rather than by hashing its name on every render; nil for an unknown name,
/// which is an error only if the filter is actually applied (as in Jinja2).
struct FilterCall: Sendable {
    let name: String
    let arguments: Arguments
    let offset: Int
    let function: FilterFunction?
    /// Whether an undefined input is passed to the filter (`default`) instead of raising.
    let acceptsUndefined: Bool
    /// `default(value)` or `default`: the commonest filter, which the renderer applies inline.
    let isPlainDefault: Bool

    init(name: String, arguments: Arguments, offset: Int) {
        self.name = name
        self.arguments = arguments
        self.offset = offset
        let shortName = Renderer.shortName(name)
        function = FilterLibrary.all[name] ?? FilterLibrary.all[shortName]
        acceptsUndefined = FilterLibrary.acceptsUndefined(name)
        isPlainDefault =
            (shortName == "default" || shortName == "d") && arguments.positional.count <= 1 && arguments.keyword.isEmpty
            && arguments.splat == nil && arguments.keywordSplat == nil
    }
}

/// `is name(arguments)`, its function looked up once at parse time like ``FilterCall``'s.
struct TestCall: Sendable {
    let name: String
    let arguments: Arguments
    let offset: Int
    let function: TestFunction?
    /// Whether an undefined input is passed to the test (`defined`) instead of raising.
    let acceptsUndefined: Bool

    init(name: String, arguments: Arguments, offset: Int) {
        self.name = name
        self.arguments = arguments
        self.offset = offset
        function = TestLibrary.all[name] ?? TestLibrary.all[Renderer.shortName(name)]
        acceptsUndefined = TestLibrary.acceptsUndefined(name)
    }
}

enum UnaryOperator: Sendable { case negate, plus }

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
}

enum ComparisonOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains = "in", notContains = "not in"
}

/// An assignment target: `x`, `a, b`, `(a, (b, c))`, or `ns.attribute` (set only).
indirect enum AssignTarget: Sendable {
    case name(String)
    case tuple([AssignTarget])
    case namespaceAttribute(String, String, offset: Int)

    var names: [String] {
        switch self {
        case .name(let name): return [name]
        case .tuple(let targets): return targets.flatMap(\.names)
        case .namespaceAttribute: return []
        }
    }
}

/// Template statements.
indirect enum Node: Sendable {
    case text(String)
    case output(Expression, offset: Int)
    case conditional([(condition: Expression, body: [Node])], otherwise: [Node]?)
    case forLoop(ForLoop)
    case assign(AssignTarget, Expression, offset: Int)
    case assignBlock(AssignTarget, filters: [FilterCall], body: [Node])
    case macro(MacroDefinition)
    case callBlock(call: Expression, macro: MacroDefinition, offset: Int)
    case filterBlock(filters: [FilterCall], body: [Node])
    case include(Expression, ignoreMissing: Bool, withContext: Bool, offset: Int)
    case importAll(Expression, alias: String, withContext: Bool, offset: Int)
    case importNames(Expression, names: [(name: String, alias: String)], withContext: Bool, offset: Int)
    case block(name: String, body: [Node], scoped: Bool, required: Bool)
    case extends(Expression, offset: Int)
    case scope(assignments: [(AssignTarget, Expression)], body: [Node])
    case expressionStatement(Expression)
}

/// `{% for target in iterable [if condition] [recursive] %}…{% else %}…{% endfor %}`.
struct ForLoop: Sendable {
    var target: AssignTarget
    var iterable: Expression
    var condition: Expression?
    var recursive: Bool
    var body: [Node]
    var otherwise: [Node]?
    var offset: Int
}

/// A macro (or the anonymous macro of a call block): parameters with defaults and a body.
final class MacroDefinition: Sendable {
    let name: String
    let parameters: [(name: String, defaultValue: Expression?)]
    let body: [Node]
    let offset: Int
    /// Whether the body refers to `caller`, `varargs` or `kwargs` (Jinja2 decides signature from that).
    let usesCaller: Bool
    let usesVarargs: Bool
    let usesKwargs: Bool

    init(
        name: String, parameters: [(name: String, defaultValue: Expression?)], body: [Node], offset: Int,
        usesCaller: Bool, usesVarargs: Bool, usesKwargs: Bool
    ) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.offset = offset
        self.usesCaller = usesCaller
        self.usesVarargs = usesVarargs
        self.usesKwargs = usesKwargs
    }
}
