import Templating
import Testing

/// Behaviour the differential suite cannot pin down (random salts, libxcrypt-specific salting).
@Suite struct FilterTests {
    let engine = TemplateEngine()

    func evaluate(_ text: String) throws -> Value {
        try engine.evaluate(text, at: nil, scope: DictionaryScope([:]))
    }

    @Test func sha512CryptMatchesTheReferenceVector() throws {
        // Reference values from glibc's crypt(3) (Python's crypt.crypt on this machine).
        #expect(
            try evaluate("{{ 'Hello world!' | password_hash('sha512', 'saltstring', rounds=5000) }}")
                == "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")
        #expect(
            try evaluate("{{ 'Hello world!' | password_hash('sha256', 'saltstring', rounds=5000) }}")
                == "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5")
        #expect(
            try evaluate("{{ 'pw' | password_hash('sha256', 'abc', rounds=1000) }}")
                == "$5$rounds=1000$abc$zdUXQ3de2d3x/8MYX1t30oZjPfJThZR5heHeVDYi8j6")
    }

    @Test func passwordHashWithoutSaltUsesARandomSaltAndAnsiblesDefaultRounds() throws {
        let hash = try #require(try evaluate("{{ 'pw' | password_hash('sha512', rounds=1000) }}").string)
        #expect(hash.hasPrefix("$6$rounds=1000$"))
        #expect(try evaluate("{{ 'pw' | password_hash('sha512', rounds=1000) }}") != .string(hash))
    }

    @Test func unseededRandomStaysInRange() throws {
        for _ in 0..<20 {
            let value = try #require(try evaluate("{{ 10 | random }}").integerValueForTest)
            #expect((0..<10).contains(value))
        }
    }

    @Test func unknownFiltersAndTestsAreSyntaxErrors() throws {
        let filterError = try #require(throws: TemplateError.self) { try evaluate("{{ 1 | nope }}") }
        #expect(filterError.message == "No filter named 'nope'.")
        #expect(throws: TemplateError.self) { try evaluate("{{ 1 is nope }}") }
    }
}

extension Value {
    var integerValueForTest: Int? {
        if case .int(let number) = self { return number }
        return nil
    }
}
