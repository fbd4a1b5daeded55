import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

@Suite struct TextEditingTests {
    let harness = Harness()

    @Test func lineinfileReplacesByRegexpAndStaysIdempotent() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("sshd", "Port 22\nPermitRootLogin yes\n")
        let arguments: KeyValuePairs<String, Value> = [
            "path": .string(scratch.file("sshd")), "regexp": "^PermitRootLogin", "line": "PermitRootLogin no",
        ]
        let checked = try await harness.run(LineInFileModule.self, arguments, check: true, diff: true)
        #expect(checked.changed)
        #expect(checked.diffs.first?.after == "Port 22\nPermitRootLogin no\n")
        #expect(scratch.read("sshd") == "Port 22\nPermitRootLogin yes\n")
        let first = try await harness.run(LineInFileModule.self, arguments)
        #expect(first.changed)
        #expect(first.message == "line replaced")
        #expect(scratch.read("sshd") == "Port 22\nPermitRootLogin no\n")
        #expect(!(try await harness.run(LineInFileModule.self, arguments).changed))
    }

    @Test func lineinfileInsertsAfterAndBefore() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("f", "[main]\nkey=1")
        let path = Value.string(scratch.file("f"))
        let added = try await harness.run(LineInFileModule.self, ["path": path, "line": "new=2", "insertafter": "^\\[main\\]"])
        #expect(added.message == "line added")
        #expect(scratch.read("f") == "[main]\nnew=2\nkey=1")
        _ = try await harness.run(LineInFileModule.self, ["path": path, "line": "# top", "insertbefore": "BOF"])
        _ = try await harness.run(LineInFileModule.self, ["path": path, "line": "end=3"])
        #expect(scratch.read("f") == "# top\n[main]\nnew=2\nkey=1\nend=3\n")
    }

    @Test func lineinfileBackrefsAbsentAndCreate() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("f", "listen 80;\nold line\n")
        let path = Value.string(scratch.file("f"))
        _ = try await harness.run(
            LineInFileModule.self, ["path": path, "regexp": "^listen (\\d+);", "line": "listen \\1 default;", "backrefs": true])
        #expect(scratch.read("f") == "listen 80 default;\nold line\n")
        let removed = try await harness.run(LineInFileModule.self, ["path": path, "regexp": "^old", "state": "absent"])
        #expect(removed["found"] == 1)
        #expect(scratch.read("f") == "listen 80 default;\n")
        let missing = try await harness.run(LineInFileModule.self, ["path": .string(scratch.file("new")), "line": "x"])
        #expect(missing.failed)
        #expect(missing.message == "Destination \(scratch.file("new")) does not exist !")
        let created = try await harness.run(
            LineInFileModule.self, ["path": .string(scratch.file("new")), "line": "x", "create": true, "mode": "0600"])
        #expect(created.changed)
        #expect(scratch.read("new") == "x\n")
        #expect(scratch.mode("new") == 0o600)
    }

    @Test func blockinfileManagesMarkedBlocks() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("hosts", "127.0.0.1 localhost\n")
        let path = Value.string(scratch.file("hosts"))
        let first = try await harness.run(BlockInFileModule.self, ["path": path, "block": "10.0.0.1 web1\n10.0.0.2 web2"])
        #expect(first.message == "Block inserted")
        #expect(
            scratch.read("hosts")
                == "127.0.0.1 localhost\n# BEGIN ANSIBLE MANAGED BLOCK\n10.0.0.1 web1\n10.0.0.2 web2\n# END ANSIBLE MANAGED BLOCK\n")
        #expect(!(try await harness.run(BlockInFileModule.self, ["path": path, "block": "10.0.0.1 web1\n10.0.0.2 web2"]).changed))
        _ = try await harness.run(BlockInFileModule.self, ["path": path, "block": "10.0.0.3 web3"])
        #expect(scratch.read("hosts")?.contains("web3\n# END") == true)
        #expect(scratch.read("hosts")?.contains("web1") == false)
        let removed = try await harness.run(BlockInFileModule.self, ["path": path, "state": "absent"])
        #expect(removed.message == "Block removed")
        #expect(scratch.read("hosts") == "127.0.0.1 localhost\n")
    }

    @Test func replaceSubstitutesWithGroups() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("conf", "a=1\nb=2\na=3\n")
        let arguments: KeyValuePairs<String, Value> = [
            "path": .string(scratch.file("conf")), "regexp": "^a=(\\d)$", "replace": "a=\\1\\1",
        ]
        let result = try await harness.run(ReplaceModule.self, arguments)
        #expect(result.message == "2 replacements made")
        #expect(scratch.read("conf") == "a=11\nb=2\na=33\n")
        let again = try await harness.run(ReplaceModule.self, ["path": .string(scratch.file("conf")), "regexp": "^a=(\\d)$", "replace": "x"])
        #expect(!again.changed)
    }

    /// Python's `re` rejects a reference past the pattern's groups, as the `regex_replace` filter does.
    @Test func replaceRejectsAReferenceToAMissingGroup() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("conf", "a=1\n")
        let result = try await harness.run(
            ReplaceModule.self, ["path": .string(scratch.file("conf")), "regexp": "^a=(\\d)$", "replace": "\\2"])
        #expect(result.failed)
        #expect(result.message == "invalid group reference 2")
        #expect(scratch.read("conf") == "a=1\n")
    }

    @Test func statSlurpAndFetch() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("data", "abc")
        chmod(scratch.file("data"), 0o640)
        let stat = try await harness.run(StatModule.self, ["path": .string(scratch.file("data"))])
        let info = try #require(stat["stat"]?.dictionary)
        #expect(info["exists"] == true)
        #expect(info["mode"] == "0640")
        #expect(info["isreg"] == true)
        #expect(info["size"] == 3)
        #expect(info["checksum"] == "a9993e364706816aba3e25717850c26c9cd0d89d")
        let sha256 = try await harness.run(StatModule.self, ["path": .string(scratch.file("data")), "checksum_algorithm": "sha256"])
        #expect(sha256["stat"]?.dictionary?["checksum"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let missing = try await harness.run(StatModule.self, ["path": .string(scratch.file("none"))])
        #expect(missing["stat"] == .object(["exists": false]))

        let slurp = try await harness.run(SlurpModule.self, ["src": .string(scratch.file("data"))])
        #expect(slurp["content"] == "YWJj")
        #expect(slurp["encoding"] == "base64")

        let fetched = try await harness.run(FetchModule.self, ["src": .string(scratch.file("data")), "dest": .string(scratch.file("fetched"))])
        #expect(fetched.changed)
        let local = try #require(fetched["dest"]?.string)
        #expect(local == scratch.file("fetched") + "/localhost" + scratch.file("data"))
        #expect(FileManager.default.contents(atPath: local) == Data("abc".utf8))
        #expect(!(try await harness.run(FetchModule.self, ["src": .string(scratch.file("data")), "dest": .string(scratch.file("fetched"))]).changed))
    }
}
