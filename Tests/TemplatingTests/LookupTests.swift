import Foundation
import Templating
import Testing

@Suite struct LookupTests {
    let engine = TemplateEngine()

    /// A fresh directory with `files/motd.txt` and `templates/greeting.j2`.
    func makeRole() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stackplay-lookup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/files", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/templates", withIntermediateDirectories: true)
        try "welcome to {{ name }}\n".write(toFile: root + "/templates/greeting.j2", atomically: true, encoding: .utf8)
        try "hello motd\n\n".write(toFile: root + "/files/motd.txt", atomically: true, encoding: .utf8)
        try "a".write(toFile: root + "/files/one.conf", atomically: true, encoding: .utf8)
        try "b".write(toFile: root + "/files/two.conf", atomically: true, encoding: .utf8)
        return root
    }

    func context(_ root: String) -> LookupContext {
        LookupContext(
            fileSearchPaths: [root + "/files", root], templateSearchPaths: [root + "/templates"],
            environment: ["STACKPLAY_TEST": "from-env"], workingDirectory: root)
    }

    @Test func fileLookupSearchesTheRoleFilesAndStripsTrailingWhitespace() throws {
        let root = try makeRole()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let value = try engine.evaluate("{{ lookup('file', 'motd.txt') }}", at: nil, scope: DictionaryScope([:]), context: context(root))
        #expect(value == "hello motd")
    }

    @Test func aMissingFileIsAnError() throws {
        let root = try makeRole()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: TemplateError.self) {
            try engine.evaluate("{{ lookup('file', 'nope.txt') }}", at: nil, scope: DictionaryScope([:]), context: context(root))
        }
    }

    @Test func envLookupReadsTheContextEnvironment() throws {
        let scope = DictionaryScope([:])
        let value = try engine.evaluate(
            "{{ lookup('env', 'STACKPLAY_TEST') }}-{{ lookup('env', 'UNSET_VAR', default='d') }}", at: nil, scope: scope,
            context: LookupContext(environment: ["STACKPLAY_TEST": "x"]))
        #expect(value == "x-d")
    }

    @Test func templateLookupRendersWithTheCurrentVariables() throws {
        let root = try makeRole()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let value = try engine.evaluate(
            "{{ lookup('template', 'greeting.j2') }}", at: nil, scope: DictionaryScope(["name": "vim"]), context: context(root))
        #expect(value == "welcome to vim\n")
    }

    @Test func passwordLookupGeneratesOnceAndThenReadsTheStoredPassword() throws {
        let root = try makeRole()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let expression = "{{ lookup('password', 'credentials/db length=24 chars=ascii_letters,digits') }}"
        let first = try engine.evaluate(expression, at: nil, scope: DictionaryScope([:]), context: context(root))
        let second = try engine.evaluate(expression, at: nil, scope: DictionaryScope([:]), context: context(root))
        let password = try #require(first.string)
        #expect(password.count == 24)
        #expect(password.allSatisfy { $0.isLetter || $0.isNumber })
        #expect(first == second)
        let stored = try String(contentsOfFile: root + "/files/credentials/db", encoding: .utf8)
        #expect(stored == password + "\n")
    }

    @Test func firstFoundAndFileglobResolveAgainstTheSearchPaths() throws {
        let root = try makeRole()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let scope = DictionaryScope([:])
        let found = try engine.evaluate(
            "{{ lookup('first_found', ['missing.conf', 'two.conf']) }}", at: nil, scope: scope, context: context(root))
        #expect(found == .string(root + "/files/two.conf"))
        let globbed = try engine.evaluate("{{ query('fileglob', 'files/*.conf') }}", at: nil, scope: scope, context: context(root))
        #expect(globbed == [.string(root + "/files/one.conf"), .string(root + "/files/two.conf")])
    }

    @Test func pipeAndLinesRunOnTheController() throws {
        let scope = DictionaryScope([:])
        #expect(try engine.evaluate("{{ lookup('pipe', 'echo hi') }}", at: nil, scope: scope) == "hi")
        #expect(try engine.evaluate("{{ query('lines', 'printf \"a\\nb\\n\"') }}", at: nil, scope: scope) == ["a", "b"])
    }

    @Test func controllerPathTests() throws {
        let root = try makeRole()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/files/one.conf")
        let scope = DictionaryScope(["root": .string(root)])
        let value = try engine.evaluate(
            "{{ [(root ~ '/files') is directory, (root ~ '/files/one.conf') is file, (root ~ '/link') is link, (root ~ '/nope') is exists] }}",
            at: nil, scope: scope)
        #expect(value == [true, true, true, false])
    }
}
