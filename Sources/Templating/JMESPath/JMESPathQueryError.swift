extension JMESPath {
    /// A failed query: a malformed expression, an unknown function, a call with the wrong number
    /// or types of arguments, or an operation Python's `jmespath` rejects at run time. The message
    /// is worded as the Python package words it, which is what Ansible users see in its errors.
    struct QueryError: Error, Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            /// The expression cannot be tokenized or parsed.
            case syntax
            case unknownFunction
            case arity
            case invalidType
            /// Anything else evaluation raises (comparing a number with a string, `[::0]`, …).
            case evaluation
        }

        var kind: Kind
        var message: String

        /// A syntax error at `position` (in characters), shown with the expression and a caret
        /// under the offending character, as Python's `ParseError` shows it.
        static func syntax(_ reason: String, at position: Int, in expression: String) -> QueryError {
            let caret = String(repeating: " ", count: position + 1) + "^"
            return QueryError(
                kind: .syntax,
                message: "Invalid jmespath expression: \(reason) at column \(position), for expression:\n\"\(expression)\"\n\(caret)")
        }

        static func evaluation(_ message: String) -> QueryError {
            QueryError(kind: .evaluation, message: message)
        }
    }
}
