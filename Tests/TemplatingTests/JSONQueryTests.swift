import Diagnostics
import Templating
import Testing

/// `json_query` behaviour the differential suite (Conformance/ansible-json-query.json) does not pin
/// down: the short filter name, error wording and location, and Python-specific corners.
@Suite struct JSONQueryTests {
    let engine = TemplateEngine()
    let scope = DictionaryScope([
        "servers": [
            .object(["name": "b", "port": 80]), .object(["name": "a", "port": 80]), .object(["name": "c", "port": 22]),
        ],
        "query": "[?port == `80`].name",
        "odd_keys": .object(["quoted\"key": 1]),
    ])

    /// Runs the query with the expression in a variable, as playbooks usually pass it (a literal in
    /// the template would have its backslashes doubled by Ansible's string templating).
    func query(_ expression: String, on data: String = "servers") throws -> Value {
        var variables = scope.variables
        variables["expression"] = .string(expression)
        return try engine.evaluate("{{ \(data) | json_query(expression) }}", at: nil, scope: DictionaryScope(variables))
    }

    @Test func theShortAndTheCollectionNameAreTheSameFilter() throws {
        #expect(try query("[*].name") == ["b", "a", "c"])
        #expect(
            try engine.evaluate("{{ servers | community.general.json_query(query) }}", at: nil, scope: scope) == ["b", "a"])
    }

    @Test func sortByKeepsEqualKeysInInputOrder() throws {
        #expect(try query("sort_by(@, &port)[*].name") == ["c", "b", "a"])
        #expect(try query("max_by(@, &port).name") == "b")
        #expect(try query("min_by(@, &port).name") == "c")
    }

    @Test func aSyntaxErrorShowsTheExpressionAndIsLocatedAtTheFilter() throws {
        let origin = SourceLocation(file: "site.yml", line: 3, column: 10)
        let error = try #require(throws: TemplateError.self) {
            try engine.evaluate("{{ servers | json_query('[?port ==') }}", at: origin, scope: scope)
        }
        #expect(error.message.hasPrefix("JMESPathError in json_query filter plugin:\nInvalid jmespath expression: Incomplete expression"))
        #expect(error.message.contains("\"[?port ==\""))
        #expect(error.location?.file == "site.yml")
        #expect(error.location?.line == 3)
    }

    @Test func functionErrorsNameTheFunction() throws {
        let unknown = try #require(throws: TemplateError.self) { try query("nope(@)") }
        #expect(unknown.message.hasSuffix("Unknown function: nope()"))
        let arity = try #require(throws: TemplateError.self) { try query("length(@, @)") }
        #expect(arity.message.hasSuffix("Expected 1 argument for function length(), received 2"))
        let type = try #require(throws: TemplateError.self) { try query("abs(@)") }
        #expect(type.message.contains("In function abs(), invalid type for value"))
        #expect(type.message.hasSuffix("expected one of: ['number'], received: \"array\""))
    }

    @Test func numbersConvertAsPythonReadsThem() throws {
        #expect(try query("to_number(' 1_000 ')", on: "none") == 1000)
        #expect(try query("to_number('-2.5e1')", on: "none") == -25.0)
        #expect(try query("to_number('0x10')", on: "none") == .none)
        #expect(try query("ceil(`3`)", on: "none") == 3)
        #expect(try query("floor(`-2.5`)", on: "none") == -3)
        #expect(try query("sum(`[1, 2.5]`)", on: "none") == 3.5)
    }

    @Test func literalsAndRawStringsKeepBackslashesAsPythonDoes() throws {
        #expect(try query(#"'a\\b'"#, on: "none") == .string(#"a\\b"#))
        #expect(try query(#"`"a\u00e9"`"#, on: "none") == "aé")
        #expect(try query(#""quoted\"key""#, on: "odd_keys") == 1)
    }

    @Test func orderingANumberAgainstAStringIsAnError() throws {
        #expect(throws: TemplateError.self) { try query("[?name > `1`]") }
        #expect(try query("[?port > `true`]") == [])
    }

    @Test func aNonStringExpressionIsATypeError() throws {
        #expect(throws: TemplateError.self) {
            try engine.evaluate("{{ servers | json_query(1) }}", at: nil, scope: scope)
        }
    }
}

extension JSONQueryTests {
    @Test func hugeIndicesAndStepsSelectWhatPythonSelects() throws {
        #expect(try query("[99999999999999999999]") == .none)
        #expect(try query("[-99999999999999999999]") == .none)
        #expect(try query("[1::99999999999999999999].name") == ["a"])
        #expect(try query("[::-99999999999999999999].name") == ["c"])
    }
}

extension JSONQueryTests {
    @Test func absurdNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "(", count: 5000) + "@" + String(repeating: ")", count: 5000)
        #expect(throws: TemplateError.self) { try query(deep) }
        #expect(try query(String(repeating: "(", count: 100) + "[0].name" + String(repeating: ")", count: 100)) == "b")
    }
}
