import Templating
import Testing

/// Jinja2 globals whose output is random (`lipsum`) or whose state the differential suite only
/// sees from outside (`cycler`, `joiner`); Conformance/jinja-globals.json covers the rest.
@Suite struct GlobalFunctionTests {
    let engine = TemplateEngine()

    func render(_ template: String) throws -> String {
        try engine.render(template, name: "t.j2", scope: DictionaryScope([:]), options: .jinjaDefaults)
    }

    @Test func lipsumWritesParagraphsOfSentences() throws {
        for _ in 0..<20 {
            let text = try render("{{ lipsum(4, html=false, min=8, max=40) }}")
            let paragraphs = text.components(separatedBy: "\n\n")
            #expect(paragraphs.count == 4)
            for paragraph in paragraphs {
                let words = paragraph.split(separator: " ")
                #expect((8..<40).contains(words.count), "\(paragraph)")
                #expect(paragraph.hasSuffix("."))
                #expect(paragraph.first?.isUppercase == true)
                // A word after a full stop starts a new, capitalized sentence.
                for (word, next) in zip(words, words.dropFirst()) where word.hasSuffix(".") {
                    #expect(next.first?.isUppercase == true, "\(paragraph)")
                }
                // No word is repeated back to back.
                for (word, next) in zip(words, words.dropFirst()) {
                    #expect(word.trimmingCharacters(in: [",", "."]).lowercased() != next.trimmingCharacters(in: [",", "."]).lowercased())
                }
            }
        }
    }

    @Test func lipsumInHTMLWrapsEachParagraph() throws {
        let lines = try render("{{ lipsum(3) }}").split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("<p>") && $0.hasSuffix(".</p>") })
    }

    @Test func aCyclerSharedByTwoNamesAndAMacroKeepsOnePosition() throws {
        let template = """
            {% set row = cycler('a', 'b', 'c') %}{% set other = row %}\
            {% macro step() %}{{ row.next() }}{% endmacro %}\
            {{ step() }}{{ other.next() }}{% with again = other %}{{ again.current }}{% endwith %}
            """
        #expect(try render(template) == "abc")
    }

    @Test func aJoinerOutsideSetIsOnlyAnObjectToPrint() throws {
        #expect(try render("{{ joiner() }}") == "<jinja2.utils.Joiner object>")
        #expect(throws: TemplateError.self) { try render("{% set j = joiner() %}{{ j.nope() }}") }
        #expect(throws: TemplateError.self) { try render("{% set c = cycler(1) %}{{ c() }}") }
    }
}
