/// JMESPath (https://jmespath.org/specification.html), the query language of Ansible's
/// `community.general.json_query` filter. Expressions are parsed into ``Node`` trees and evaluated
/// against template values with the semantics of the Python `jmespath` package the filter calls.
enum JMESPath {
    /// One node of a parsed expression. The shape follows the Python implementation's AST, so that
    /// projections stop and resume exactly where `jmespath.search` makes them stop and resume.
    indirect enum Node: Sendable {
        /// The implicit operand of a projection's left or right side.
        case identity
        /// `@`: the node being evaluated.
        case current
        /// `name` or `"quoted name"`: a key of an object.
        case field(String)
        /// `` `json` `` or `'raw string'`.
        case literal(Value)
        /// `a.b.c`: each child evaluated on the result of the one before.
        case subexpression([Node])
        /// `[2]` or `[-1]`.
        case index(Int)
        /// `[start:stop:step]`, each part optional.
        case slice(start: Int?, stop: Int?, step: Int?)
        /// `a[0]`: the base, then index or slice nodes applied in turn.
        case indexExpression([Node])
        /// `a[*].b`, `a[].b`, `a[1:].b`: the right side evaluated on every element of the left side's list.
        case projection(base: Node, each: Node)
        /// `a.*.b`: the right side evaluated on every value of the left side's object.
        case valueProjection(base: Node, each: Node)
        /// `a[?cond].b`: the right side evaluated on the elements for which the condition is truthy.
        case filterProjection(base: Node, each: Node, condition: Node)
        /// `a[]`: one level of nested lists merged into the list.
        case flatten(Node)
        case comparison(Comparator, Node, Node)
        case or(Node, Node)
        case and(Node, Node)
        case not(Node)
        /// `a | b`: the right side evaluated on the left side's result, ending any projection.
        case pipe(Node, Node)
        /// `[a, b]`.
        case multiSelectList([Node])
        /// `{k: a, other: b}`.
        case multiSelectHash([KeyedNode])
        /// `name(arguments)`; `offset` is where the name starts, for error messages.
        case function(name: String, arguments: [Node], offset: Int)
        /// `&expression`: passed unevaluated to functions such as `sort_by`.
        case expressionReference(Node)
    }

    /// One `key: expression` entry of a multi-select hash.
    struct KeyedNode: Sendable {
        var key: String
        var value: Node
    }

    enum Comparator: String, Sendable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// Parses and evaluates `expression` against `data`, as `jmespath.search(expression, data)` does.
    static func search(_ expression: String, in data: Value) throws(QueryError) -> Value {
        let node = try Parser.parse(expression)
        return try Interpreter().evaluate(node, on: data)
    }
}
