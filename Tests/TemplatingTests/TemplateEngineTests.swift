import Diagnostics
import Templating
import Testing

@Suite struct TemplateEngineTests {
    let engine = TemplateEngine(loader: InMemoryTemplateLoader([
        "header.j2": "# {{ title }}\n",
        "broken.j2": "line one\n{{ missing_in_include }}\n",
        "macros.j2": "{% macro tag(name) %}<{{ name }}>{% endmacro %}",
    ]))
    let scope = DictionaryScope([
        "port": 8080, "name": "web", "ports": [80, 443], "title": "cfg",
        "server": .object(["host": "10.0.0.1", "tags": ["a", "b"]]),
    ])

    @Test func stringsWithoutTemplateMarkersAreReturnedUnchanged() throws {
        #expect(try engine.evaluate("plain {text}", at: nil, scope: scope) == "plain {text}")
        #expect(!TemplateEngine.containsTemplate("no markers here"))
        #expect(TemplateEngine.containsTemplate("x {{ y }}"))
        #expect(TemplateEngine.containsTemplate("{% if x %}{% endif %}"))
        #expect(TemplateEngine.containsTemplate("#jinja2: trim_blocks: False\nx"))
    }

    @Test func aSingleExpressionKeepsItsType() throws {
        #expect(try engine.evaluate("{{ port }}", at: nil, scope: scope) == 8080)
        #expect(try engine.evaluate("{{ ports }}", at: nil, scope: scope) == [80, 443])
        #expect(try engine.evaluate("{{ port > 80 }}", at: nil, scope: scope) == true)
        #expect(try engine.evaluate("{{ server }}", at: nil, scope: scope).dictionary?["host"] == "10.0.0.1")
    }

    @Test func mixedTextRendersToAString() throws {
        #expect(try engine.evaluate("{{ name }}:{{ port }}", at: nil, scope: scope) == "web:8080")
        #expect(try engine.evaluate("ports={{ ports }}", at: nil, scope: scope) == "ports=[80, 443]")
    }

    @Test func conditionsAcceptBareAndWrappedExpressions() throws {
        #expect(try engine.evaluateExpression("port == 8080 and name is defined", at: nil, scope: scope) == true)
        #expect(try engine.evaluateExpression("{{ 'b' in server.tags }}", at: nil, scope: scope) == true)
        #expect(try engine.evaluateExpression("missing is not defined", at: nil, scope: scope) == true)
    }

    @Test func anUndefinedVariableIsLocatedInTheYAMLFile() throws {
        let origin = SourceLocation(file: "site.yml", line: 12, column: 14)
        let error = try #require(throws: TemplateError.self) {
            try engine.evaluate("port {{ prot }}", at: origin, scope: scope)
        }
        #expect(error.message == "'prot' is undefined")
        #expect(error.isUndefinedVariable)
        #expect(error.location == SourceLocation(file: "site.yml", line: 12, column: 22))
    }

    @Test func aMissingAttributeNamesTheAttributeAndType() throws {
        let error = try #require(throws: TemplateError.self) {
            try engine.evaluate("{{ server.port }}", at: nil, scope: scope)
        }
        #expect(error.message == "object of type 'dict' has no attribute 'port'")
    }

    @Test func aSyntaxErrorInATemplateFileCarriesLineAndColumn() throws {
        let error = try #require(throws: TemplateError.self) {
            try engine.render("first\nsecond {{ port + }}\n", name: "roles/web/templates/site.j2", scope: scope)
        }
        #expect(error.kind == .syntax)
        #expect(error.location?.file == "roles/web/templates/site.j2")
        #expect(error.location?.line == 2)
    }

    @Test func errorsInsideAnIncludedTemplateAreLocatedThere() throws {
        let error = try #require(throws: TemplateError.self) {
            try engine.render("top\n{% include 'broken.j2' %}", name: "main.j2", scope: scope)
        }
        #expect(error.location == SourceLocation(file: "broken.j2", line: 2, column: 4))
    }

    @Test func templateFilesUseTrimBlocksAndKeepTrailingNewlines() throws {
        let text = "{% for p in ports %}\nlisten {{ p }}\n{% endfor %}\n"
        #expect(try engine.render(text, name: "t.j2", scope: scope) == "listen 80\nlisten 443\n")
        let plain = try engine.render(text, name: "t.j2", scope: scope, options: .jinjaDefaults)
        #expect(plain == "\nlisten 80\n\nlisten 443\n")
    }

    @Test func theJinja2HeaderOverridesTemplateSettings() throws {
        let text = "#jinja2: trim_blocks: False\n{% if true %}\nx\n{% endif %}\n"
        #expect(try engine.render(text, name: "t.j2", scope: scope) == "\nx\n")
        #expect(throws: TemplateError.self) {
            try engine.render("#jinja2: nonsense: True\nx\n", name: "t.j2", scope: scope)
        }
    }

    @Test func includesAndImportsUseTheLoader() throws {
        let text = "{% include 'header.j2' %}{% import 'macros.j2' as m %}{{ m.tag(name) }}"
        // Jinja2 drops the included template's own trailing newline.
        #expect(try engine.render(text, name: "main.j2", scope: scope) == "# cfg<web>")
    }

    @Test func integerOverflowIsAnErrorNotAWrap() {
        #expect(throws: TemplateError.self) {
            try engine.evaluate("{{ 9223372036854775807 + 1 }}", at: nil, scope: scope)
        }
    }

    @Test func concurrentRendersShareTheCompiledTemplate() async throws {
        let engine = self.engine
        let text = "{% for p in ports %}{{ name }}:{{ p }} {% endfor %}"
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let scope = DictionaryScope(["name": .string("h\(index)"), "ports": [1, 2]])
                    return try engine.render(text, name: "t.j2", scope: scope)
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(outputs.count == 64)
        #expect(outputs.contains("h7:1 h7:2 "))
    }

    @Test func jsonRoundTripKeepsOrderAndNumberTypes() throws {
        let value = try Value(json: #"{"b": 1, "a": [1.5, true, null, "x"]}"#)
        #expect(value.dictionary?.keys == ["b", "a"])
        #expect(try value.jsonString() == #"{"b": 1, "a": [1.5, true, null, "x"]}"#)
    }
}
