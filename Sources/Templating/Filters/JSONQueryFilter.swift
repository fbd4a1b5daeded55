/// `community.general.json_query`: a JMESPath query over the filter's input.
///
/// The collection's filter hands its input to `jmespath.search` as it is (it only teaches
/// jmespath's type checks that Ansible's string, list and dict subclasses are strings, arrays and
/// objects), so the query sees the same strings, numbers, lists and dictionaries a template does.
enum JSONQueryFilter {
    static let table: [String: FilterFunction] = [
        "json_query": { input, arguments, _ in
            try arguments.rejectUnknownKeywords(["expr"], function: "json_query")
            try arguments.requireAtMost(1, function: "json_query")
            guard let expression = arguments.value(0, "expr") else {
                throw RenderFailure.type("json_query() missing 1 required positional argument: 'expr'")
            }
            if case .undefined(let undefined) = expression { throw RenderFailure.undefined(undefined) }
            guard case .string(let text) = expression else {
                throw RenderFailure.type(
                    "JMESPath expression must be a string, got '\(expression.pythonTypeName)' in json_query filter plugin")
            }
            do throws(JMESPath.QueryError) {
                return try JMESPath.search(text, in: input)
            } catch {
                // Ansible's wording: "JMESPathError in json_query filter plugin:" and jmespath's message.
                throw RenderFailure("JMESPathError in json_query filter plugin:\n\(error.message)", kind: .value)
            }
        },
    ]
}
