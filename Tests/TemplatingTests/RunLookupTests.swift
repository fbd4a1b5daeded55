import Diagnostics
import Foundation
import Templating
import Testing

/// `ini`, `csvfile`, `unvault`, `inventory_hostnames`, `config` and `varnames`: the lookups that
/// read files or the run. Expected values are what ansible-core 2.21.5 returns for the same input.
@Suite struct RunLookupTests {
    let engine = TemplateEngine()

    /// A stand-in for the engine's run: a fixed inventory, a "vault" that reverses the body, settings.
    struct FakeRun: LookupRunServices {
        var groups: [String: [String]] = ["web": ["web1", "web2"], "db": ["db1"]]

        func inventoryHostnames(matching patterns: [String]) throws -> [String] {
            var hosts: [String] = []
            for pattern in patterns {
                guard let members = groups[pattern] else { throw LookupFailure("bad pattern \(pattern)") }
                hosts += members.filter { !hosts.contains($0) }
            }
            return hosts
        }

        func decryptVault(_ text: String) throws -> String {
            guard let body = text.split(separator: "\n", maxSplits: 1).last else { throw LookupFailure("empty") }
            return String(body.reversed())
        }

        func configSetting(_ name: String) throws -> (value: Value, origin: String)? {
            switch name {
            case "DEFAULT_FORKS": return (.int(7), "/p/ansible.cfg")
            case "DEFAULT_BECOME_USER": return (.string("root"), "default")
            default: return nil
            }
        }
    }

    func makeFiles(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stackplay-lookups-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/files", withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: root + "/files/" + name, atomically: true, encoding: .utf8) }
        return root
    }

    func evaluate(_ template: String, root: String = "/nonexistent", variables: [String: Value] = [:]) throws -> Value {
        let context = LookupContext(fileSearchPaths: [root + "/files", root], workingDirectory: root, run: FakeRun())
        return try engine.evaluate(template, at: nil, scope: DictionaryScope(variables), context: context)
    }

    @Test func iniReadsLikeConfigParser() throws {
        let ini = """
            [global]
            User = bob
            text = one
              two

              three
            ; a comment line ends nothing
            home = /home/%(user)s
            [DEFAULT]
            zone = eu
            """
        let root = try makeFiles(["app.ini": ini + "\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try evaluate("{{ lookup('ini', 'user', file='app.ini') }}", root: root) == "bob")
        #expect(try evaluate("{{ lookup('ini', 'User', file='app.ini', case_sensitive=True) }}", root: root) == "bob")
        #expect(try evaluate("{{ lookup('ini', 'text', file='app.ini') }}", root: root) == "one\ntwo\n\nthree")
        #expect(try evaluate("{{ lookup('ini', 'home', file='app.ini') }}", root: root) == "/home/bob")
        #expect(try evaluate("{{ lookup('ini', 'zone', file='app.ini') }}", root: root) == "eu")
        #expect(try evaluate("{{ lookup('ini', 'home', file='app.ini', interpolation=False) }}", root: root) == "/home/%(user)s")
        // Inline options come after the parser is built: ansible-core still interpolates here.
        #expect(try evaluate("{{ lookup('ini', 'home section=global file=app.ini interpolation=no') }}", root: root) == "/home/bob")
        #expect(try evaluate("{{ query('ini', '.*', file='app.ini', re=True) }}", root: root) == ["eu", "bob", "one\ntwo\n\nthree", "/home/bob"])
        #expect(try evaluate("{{ lookup('ini', 'nope', file='app.ini', default=7) }}", root: root) == 7)
    }

    @Test func iniInlineOptionsFollowThePluginsParsing() throws {
        let root = try makeFiles(["a.ini": "[s]\nk = v\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try evaluate("{{ lookup('ini', 'missing section=s file=a.ini default=two words') }}", root: root) == "two words")
        #expect(throws: TemplateError.self) { try evaluate("{{ lookup('ini', 'file=a.ini') }}", root: root) }
        #expect(throws: TemplateError.self) { try evaluate("{{ lookup('ini', 'k bad=1 file=a.ini') }}", root: root) }
    }

    @Test func iniErrorsAreLocatedInTheTemplate() throws {
        let root = try makeFiles(["dup.ini": "[s]\na = 1\nA = 2\n", "bare.ini": "k = v\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let context = LookupContext(fileSearchPaths: [root + "/files"], workingDirectory: root)
        let origin = SourceLocation(file: "site.yml", line: 4, column: 14)
        for (template, message) in [
            ("{{ lookup('ini', 'a', file='dup.ini', section='s') }}", "Duplicate option in 'dup.ini'."),
            ("{{ lookup('ini', 'a', file='dup.ini', section='x') }}", "Duplicate option in 'dup.ini'."),
            ("{{ lookup('ini', 'k', file='bare.ini') }}", "File contains no section headers."),
        ] {
            do {
                _ = try engine.evaluate(template, at: origin, scope: DictionaryScope([:]), context: context)
                Issue.record("expected an error for \(template)")
            } catch let error as TemplateError {
                #expect(error.message.hasPrefix(message), "\(error.message)")
                #expect(error.location?.file == "site.yml")
                #expect(error.location?.line == 4)
            }
        }
    }

    @Test func csvfileFindsTheRowAndColumn() throws {
        let csv = "H,Hydrogen,1\n\"Li\",\"Lith, \"\"ium\"\"\",3\n\nHe,Helium,2\n"
        let root = try makeFiles(["e.csv": csv, "t.tsv": "a key\tx\ty\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try evaluate("{{ lookup('csvfile', 'Li', file='e.csv', delimiter=',') }}", root: root) == "Lith, \"ium\"")
        #expect(try evaluate("{{ lookup('csvfile', 'He file=e.csv delimiter=, col=2') }}", root: root) == "2")
        #expect(try evaluate("{{ lookup('csvfile', 'Helium', file='e.csv', delimiter=',', keycol=1, col=0) }}", root: root) == "He")
        #expect(try evaluate("{{ lookup('csvfile', 'a key', file='t.tsv', col=2) }}", root: root) == "y")
        #expect(try evaluate("{{ query('csvfile', 'zz', file='t.tsv') }}", root: root) == [])
        #expect(throws: TemplateError.self) { try evaluate("{{ lookup('csvfile', 'H', file='e.csv', delimiter=',', col=9) }}", root: root) }
        #expect(throws: TemplateError.self) { try evaluate("{{ lookup('csvfile', 'H bogus=1 file=e.csv') }}", root: root) }
    }

    @Test func unvaultDecryptsVaultedFilesAndReturnsOthersAsTheyAre() throws {
        let root = try makeFiles(["v.txt": "$ANSIBLE_VAULT;1.1;AES256\nterces", "p.txt": "plain\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try evaluate("{{ query('unvault', 'v.txt', 'p.txt') }}", root: root) == ["secret", "plain\n"])
        #expect(throws: TemplateError.self) { try evaluate("{{ lookup('unvault', 'missing.txt') }}", root: root) }
    }

    @Test func inventoryHostnamesAsksTheRunAndGivesNoHostsForABadPattern() throws {
        #expect(try evaluate("{{ query('inventory_hostnames', 'web', 'db') }}") == ["web1", "web2", "db1"])
        #expect(try evaluate("{{ lookup('inventory_hostnames', 'web') }}") == "web1,web2")
        #expect(try evaluate("{{ query('inventory_hostnames', 'nope') }}") == [])
        #expect(throws: TemplateError.self) {
            try engine.evaluate("{{ query('inventory_hostnames', 'web') }}", at: nil, scope: DictionaryScope([:]))
        }
    }

    @Test func configAnswersKnownSettingsAndHonoursOnMissing() throws {
        #expect(try evaluate("{{ lookup('config', 'DEFAULT_FORKS') }}") == 7)
        #expect(try evaluate("{{ query('config', 'DEFAULT_FORKS', show_origin=True) }}") == [[7, "/p/ansible.cfg"]])
        #expect(try evaluate("{{ query('config', 'NOPE', 'DEFAULT_BECOME_USER', on_missing='skip') }}") == ["root"])
        #expect(throws: TemplateError.self) { try evaluate("{{ lookup('config', 'NOPE') }}") }
        #expect(throws: TemplateError.self) { try evaluate("{{ lookup('config', 'DEFAULT_FORKS', on_missing='maybe') }}") }
        #expect(throws: TemplateError.self) { try evaluate("{{ lookup('config', 'DEFAULT_FORKS', plugin_type='connection') }}") }
    }

    @Test func varnamesSearchesTheVisibleNames() throws {
        let variables: [String: Value] = ["web_port": 80, "web_host": "a", "db_port": 5432]
        #expect(try evaluate("{{ query('varnames', '^web_') }}", variables: variables) == ["web_host", "web_port"])
        #expect(try evaluate("{{ query('varnames', 'port$', '^db') }}", variables: variables) == ["db_port", "web_port", "db_port"])
        #expect(throws: TemplateError.self) { try evaluate("{{ query('varnames', '[') }}", variables: variables) }
    }

    @Test func listLookupsAreSharedWithLoops() throws {
        // The plugin pops the list out of each parent, so item.0 no longer holds it.
        let users: Value = [.object(["name": "a", "keys": [1, 2]])]
        let pairs = try ListLookups.run("subelements", terms: [users, "keys"])
        #expect(pairs == [[.object(["name": "a"]), 1], [.object(["name": "a"]), 2]])
        #expect(try ListLookups.run("together", terms: [[1, 2], [3]]) == [[1, 3], [2, .none]])
        #expect(throws: LookupFailure.self) { try ListLookups.run("nested", terms: []) }
    }
}
