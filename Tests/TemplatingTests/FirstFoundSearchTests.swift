import Testing

@testable import Templating

/// first_found's candidate list, as ansible-core 2.21 builds it from its terms.
@Suite struct FirstFoundSearchTests {
    @Test func dictTermsSetPathsForThemselvesAndThePlainTermsAfterThem() {
        let search = FirstFoundSearch(terms: [
            "a.yml,b.yml",
            .dict(ValueDictionary([("files", ["c.yml", "/abs/d.yml"]), ("paths", "one:two")])),
            "e.yml",
        ])
        #expect(search.candidates == ["a.yml", "b.yml", "one/c.yml", "/abs/d.yml", "two/c.yml", "/abs/d.yml", "one/e.yml", "two/e.yml"])
        #expect(!search.skip)
    }

    @Test func skipComesFromADictTermOrTheKeywords() {
        #expect(FirstFoundSearch(terms: [.dict(ValueDictionary([("files", "x"), ("skip", true)]))]).skip)
        #expect(FirstFoundSearch(terms: [.dict(ValueDictionary([("files", "x"), ("skip", "yes")]))]).skip)
        let keywords = FirstFoundSearch(terms: [], options: ValueDictionary([("files", ["p", "q"]), ("skip", true)]))
        #expect(keywords.candidates == ["p", "q"] && keywords.skip)
    }

    @Test func theLookupGivesNothingWhenSkipIsSet() throws {
        let found = try TemplateEngine().evaluate(
            "{{ query('first_found', {'files': ['nowhere-\(#line).yml'], 'skip': true}) }}", at: nil, scope: DictionaryScope([:]))
        #expect(found == [])
        #expect(throws: TemplateError.self) {
            try TemplateEngine().evaluate("{{ lookup('first_found', 'nowhere.yml') }}", at: nil, scope: DictionaryScope([:]))
        }
    }
}
