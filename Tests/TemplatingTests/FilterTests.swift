import Testing

@testable import Templating

/// Behaviour the differential suite cannot pin down (random salts, libxcrypt-specific salting).
@Suite struct FilterTests {
    let engine = TemplateEngine()

    func evaluate(_ text: String) throws -> Value {
        try engine.evaluate(text, at: nil, scope: DictionaryScope([:]))
    }

    @Test func shaCryptWithALiteralSaltMatchesTheReferenceVectors() {
        // Drepper's reference values (glibc's crypt(3)); password_hash encodes its salt first.
        let password = Array("Hello world!".utf8)
        #expect(
            SHACrypt.hash(password, salt: "saltstring", rounds: 5000, sha512: true)
                == "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")
        #expect(
            SHACrypt.hash(password, salt: "saltstring", rounds: 5000, sha512: false)
                == "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5")
    }

    @Test func passwordHashWithoutSaltUsesARandomSaltAndAnsiblesDefaultRounds() throws {
        let hash = try #require(try evaluate("{{ 'pw' | password_hash('sha512', rounds=1000) }}").string)
        #expect(hash.hasPrefix("$6$rounds=1000$"))
        #expect(try evaluate("{{ 'pw' | password_hash('sha512', rounds=1000) }}") != .string(hash))
        // 16 random bytes become 16 salt characters, as crypt_gensalt encodes them.
        #expect(hash.split(separator: "$")[2].count == 16)
        let md5 = try #require(try evaluate("{{ 'pw' | password_hash('md5') }}").string)
        #expect(md5.hasPrefix("$1$") && md5.split(separator: "$")[1].count == 8)
    }

    @Test func passwordHashSaltSizeChoosesHowManyRandomBytesAreEncoded() throws {
        let hash = try #require(try evaluate("{{ 'pw' | password_hash('sha512', salt_size=8, rounds=1000) }}").string)
        #expect(hash.split(separator: "$")[2].count == 8)
        #expect(throws: TemplateError.self) { try evaluate("{{ 'pw' | password_hash('sha512', salt_size=17) }}") }
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
