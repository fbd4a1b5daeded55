import Testing
@testable import Templating

/// The one JSON parser and writer every module, callback and filter uses.
struct JSONTests {
    @Test func roundTripKeepsKeyOrderAndTypes() throws {
        let text = #"{"b": 1, "a": [true, null, 2.5, "x\u00e9\n", "\ud83d\ude00"], "c": {"z": -3, "y": 1e3}}"#
        let value = try JSON.parse(text.utf8)
        #expect(value.dictionary?.keys == ["b", "a", "c"])
        #expect(value.dictionary?["a"] == [true, nil, 2.5, "xé\n", "😀"])
        #expect(value.dictionary?["c"]?.dictionary?["y"] == 1000.0)
        #expect(try JSON.parse(JSON.text(value, .compact).utf8) == value)
        #expect(try JSON.parse(JSON.text(value, .python).utf8) == value)
    }

    @Test func malformedJSONIsLocatedAsPythonLocatesIt() {
        #expect(throws: JSONSyntaxError(reason: "Expecting ',' delimiter", offset: 11, line: 1, column: 12)) {
            try JSON.parse(#"{"a": [1, 2}"#.utf8)
        }
        #expect(throws: JSONSyntaxError(reason: "Expecting value", offset: 10, line: 2, column: 7)) {
            try JSON.parse("[1,\n   2, ]".utf8)
        }
        #expect(throws: JSONSyntaxError(reason: "Extra data", offset: 2, line: 1, column: 3)) {
            try JSON.parse("1 2".utf8)
        }
    }

    @Test func stylesMatchPythonsDumps() {
        let value: Value = .dict(ValueDictionary([("é", [1, 2.0]), ("a", .undefined(Undefined(hint: "x")))]))
        #expect(JSON.text(value, .python) == #"{"\u00e9": [1, 2.0], "a": null}"#)
        #expect(JSON.text(value, .compact) == #"{"é": [1, 2.0], "a": null}"#)
        #expect(JSON.text(value, .results()) == "{\n    \"a\": null,\n    \"é\": [\n        1,\n        2.0\n    ]\n}")
    }
}
