import Diagnostics
import Templating
import Testing
@testable import PlaybookCore

@Suite struct YAMLLoaderTests {
    let loader = YAMLLoader()

    @Test func everyNodeKeepsItsLocation() throws {
        let text = """
            - name: first
              tasks:
                - debug: {msg: hi}
            """
        let root = try #require(try loader.parse(text, file: "p.yml"))
        #expect(root.location == SourceLocation(file: "p.yml", line: 1, column: 1))
        let play = try #require(root.elements?.first)
        #expect(play.location == SourceLocation(file: "p.yml", line: 1, column: 3))
        #expect(play.keyLocation("tasks") == SourceLocation(file: "p.yml", line: 2, column: 3))
        #expect(play.location(at: ["tasks", 0, "debug", "msg"]) == SourceLocation(file: "p.yml", line: 3, column: 20))
        // A path that leaves the tree stops at the deepest node that exists.
        #expect(play.location(at: ["tasks", 0, "missing"]) == SourceLocation(file: "p.yml", line: 3, column: 7))
    }

    @Test func mappingsKeepKeyOrder() throws {
        let root = try #require(try loader.parse("z: 1\na: 2\nm: 3\n", file: "f"))
        #expect(root.pairs?.map(\.keyText) == ["z", "a", "m"])
        #expect(root.value.dictionary?.keys == ["z", "a", "m"])
    }

    @Test func aliasesAndMergeKeys() throws {
        let text = """
            base: &base {a: 1, b: 2}
            other: &other {b: 20, c: 30}
            one:
              <<: *base
              b: 3
            many:
              <<: [*other, *base]
              d: 4
            copy: *base
            """
        let value = try #require(try loader.parse(text, file: "f")).value
        #expect(value.dictionary?["one"] == .object(["a": 1, "b": 3]))
        // Earlier mappings in a merge list win; own keys win over merged ones.
        #expect(value.dictionary?["many"] == .object(["b": 20, "c": 30, "a": 1, "d": 4]))
        #expect(value.dictionary?["many"]?.dictionary?.keys == ["b", "c", "a", "d"])
        #expect(value.dictionary?["copy"] == .object(["a": 1, "b": 2]))
    }

    @Test func explicitTags() throws {
        let text = """
            a: !!null ''
            b: !!str 12
            c: !!int "12"
            d: !!float 3
            e: ! yes
            f: !!bool "on"
            """
        let value = try #require(try loader.parse(text, file: "f")).value
        #expect(value == .object(["a": nil, "b": "12", "c": 12, "d": 3.0, "e": "yes", "f": true]))
    }

    @Test func blockScalars() throws {
        let text = "a: |\n  one\n  two\nb: >-\n  folded\n  text\nc: |-\n  x\n"
        let value = try #require(try loader.parse(text, file: "f")).value
        #expect(value == .object(["a": "one\ntwo\n", "b": "folded text", "c": "x"]))
        let scalar = try #require(try loader.parse(text, file: "f")?["a"]?.scalar)
        #expect(scalar.style == .literal)
    }

    @Test func unsafeStringsAreNeverTemplated() throws {
        let root = try #require(try loader.parse("a: !unsafe '{{ lookup(\"pipe\", \"id\") }}'\nb: !unsafe plain\n", file: "f"))
        let scalar = try #require(root["a"]?.scalar)
        #expect(scalar.isUnsafe)
        #expect(scalar.text == "{{ lookup(\"pipe\", \"id\") }}")
        #expect(root["a"]?.value == .string("{% raw %}{{ lookup(\"pipe\", \"id\") }}{% endraw %}"))
        #expect(root["b"]?.value == "plain")
        #expect(UnsafeText.protect("a {% endraw %} b {{ c }}")
            == "{% raw %}a {% endraw %}{{ '{% endraw %}' }}{% raw %} b {{ c }}{% endraw %}")
    }

    @Test func textPositionsMapIntoTheFile() throws {
        let text = """
            a: "{{ x }}"
            b: plain {{ y }}
            c: |
                first
                second {{ z }}
            """
        let root = try #require(try loader.parse(text, file: "f.yml"))
        // Column 4 of the text is the 'x'.
        #expect(root["a"]?.sourceLocation(ofTextLine: 1, column: 4) == SourceLocation(file: "f.yml", line: 1, column: 8))
        #expect(root["b"]?.sourceLocation(ofTextLine: 1, column: 10) == SourceLocation(file: "f.yml", line: 2, column: 13))
        #expect(root["c"]?.sourceLocation(ofTextLine: 2, column: 11) == SourceLocation(file: "f.yml", line: 5, column: 15))
    }

    @Test func tabIndentedJSONLoadsAsAnsibleReadsIt() throws {
        let root = try #require(try loader.parse("{\n\t\"a\": [1,\n\t\t\"x\\ty\"]\n}\n", file: "v.json"))
        #expect(root.value == .object(["a": [1, "x\ty"]]))
        #expect(root["a"]?.location == SourceLocation(file: "v.json", line: 2, column: 7))
    }

    @Test func emptyDocumentIsNil() throws {
        #expect(try loader.parse("", file: "f") == nil)
        #expect(try loader.parse("# only a comment\n", file: "f") == nil)
    }

    @Test func duplicateKeyPointsAtTheSecondKey() {
        expectLoadError(line: 4, column: 3, "duplicate key 'name'", note: "first defined at line 2, column 3") {
            _ = try loader.parse("- hosts: all\n  name: a\n  tasks: []\n  name: b\n", file: "p.yml")
        }
        expectLoadError(line: 1, column: 11, "duplicate key 'a'") {
            _ = try loader.parse("x: {a: 1, a: 2}\n", file: "p.yml")
        }
    }

    @Test func tabsAreLocatedErrors() {
        expectLoadError(line: 2, column: 1, "YAML syntax error", note: "tabs are not allowed") {
            _ = try loader.parse("a:\n\tb: 1\n", file: "p.yml")
        }
    }

    @Test func syntaxErrorsCarryLibyamlMarks() {
        // An unclosed flow mapping: libyaml reports where it expected ',' or '}'.
        expectLoadError(line: 2, column: 2, "did not find expected ',' or '}'") {
            _ = try loader.parse("a: {b: 1\nc: 2\n", file: "p.yml")
        }
        expectLoadError(line: 2, column: 5, "mapping values are not allowed in this context") {
            _ = try loader.parse("a: b\nc: d: e\n", file: "p.yml")
        }
    }

    @Test func unknownTagsAreErrors() {
        expectLoadError(line: 1, column: 4, "could not determine a constructor for the tag '!foo'") {
            _ = try loader.parse("a: !foo bar\n", file: "p.yml")
        }
        expectLoadError(line: 1, column: 4, "cannot convert 'x' to the type of tag '!!int'") {
            _ = try loader.parse("a: !!int x\n", file: "p.yml")
        }
    }

    @Test func inlineVaultValuesAreDecrypted() throws {
        let secret = VaultSecrets.Secret(password: "pw")
        let encrypted = try VaultSecrets.encrypt("s3cret", with: secret)
        let indented = encrypted.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let text = "password: !vault |\n\(indented)\n"
        let root = try #require(try YAMLLoader(vault: VaultSecrets([secret])).parse(text, file: "v.yml"))
        #expect(root["password"]?.value == "s3cret")
        // Without secrets the value only fails when used, as in Ansible.
        let undecrypted = try #require(try YAMLLoader().parse(text, file: "v.yml"))
        guard case .undefined(let undefined) = undecrypted["password"]?.value else {
            Issue.record("expected an undefined value")
            return
        }
        #expect(undefined.hint.contains("v.yml:1:11"))
        #expect(undefined.hint.contains("no vault secrets found"))
    }
}
