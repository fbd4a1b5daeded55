import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

@Suite struct CopyTemplateTests {
    @Test func copyContentIsIdempotentWithCheckModeAndDiff() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let harness = Harness()
        let dest = Value.string(scratch.file("motd"))
        let checked = try await harness.run(CopyModule.self, ["content": "hello\n", "dest": dest], check: true, diff: true)
        #expect(checked.changed)
        #expect(!scratch.exists("motd"))
        #expect(checked.diffs.first?.after == "hello\n")
        #expect(checked.diffs.first?.afterHeader == "dynamically generated")

        let first = try await harness.run(CopyModule.self, ["content": "hello\n", "dest": dest, "mode": "0640"])
        #expect(first.changed)
        #expect(scratch.read("motd") == "hello\n")
        #expect(scratch.mode("motd") == 0o640)
        #expect(first["checksum"] == "f572d396fae9206628714fb2ce00f72e94f2258f")
        #expect(first["mode"] == "0640")

        let second = try await harness.run(CopyModule.self, ["content": "hello\n", "dest": dest, "mode": "0640"])
        #expect(!second.changed)

        let edited = try await harness.run(CopyModule.self, ["content": "bye\n", "dest": dest, "backup": true], diff: true)
        #expect(edited.changed)
        #expect(edited.diffs.first?.before == "hello\n")
        #expect(edited.diffs.first?.after == "bye\n")
        #expect(scratch.mode("motd") == 0o640)
        let backup = try #require(edited["backup_file"]?.string)
        #expect(FileManager.default.contents(atPath: backup) == Data("hello\n".utf8))
    }

    /// `force: false` never touches an existing file: not its content, not its mode (Ansible: "file already exists").
    @Test func forceFalseLeavesAnExistingFileAlone() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let harness = Harness()
        try scratch.write("conf", "edited by hand\n")
        chmod(scratch.file("conf"), 0o600)
        let result = try await harness.run(
            CopyModule.self, ["content": "default\n", "dest": .string(scratch.file("conf")), "mode": "0644", "force": false])
        #expect(!result.changed)
        #expect(scratch.read("conf") == "edited by hand\n")
        #expect(scratch.mode("conf") == 0o600)
        let created = try await harness.run(
            CopyModule.self, ["content": "default\n", "dest": .string(scratch.file("new")), "mode": "0644", "force": false])
        #expect(created.changed)
        #expect(scratch.mode("new") == 0o644)
    }

    @Test func copyIntoDirectoryAndWholeTrees() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.file("files/site/css"), withIntermediateDirectories: true)
        try scratch.write("files/site/index.html", "<h1>hi</h1>")
        try scratch.write("files/site/css/a.css", "body{}")
        try FileManager.default.createDirectory(atPath: scratch.file("out"), withIntermediateDirectories: true)
        var harness = Harness()
        harness.searchPaths = [scratch.file("files")]
        let single = try await harness.run(CopyModule.self, ["src": "site/index.html", "dest": .string(scratch.file("out"))])
        #expect(single.changed)
        #expect(scratch.read("out/index.html") == "<h1>hi</h1>")

        let tree = try await harness.run(CopyModule.self, ["src": "site", "dest": .string(scratch.file("www"))])
        #expect(tree.changed)
        #expect(scratch.read("www/site/css/a.css") == "body{}")
        #expect(!(try await harness.run(CopyModule.self, ["src": "site", "dest": .string(scratch.file("www"))]).changed))

        let contents = try await harness.run(CopyModule.self, ["src": "site/", "dest": .string(scratch.file("flat"))])
        #expect(contents.changed)
        #expect(scratch.read("flat/index.html") == "<h1>hi</h1>")
    }

    @Test func validateRejectsBadContentAndKeepsTheOldFile() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("conf", "good\n")
        let harness = Harness()
        let result = try await harness.run(
            CopyModule.self, ["content": "bad\n", "dest": .string(scratch.file("conf")), "validate": "grep -q good %s"])
        #expect(result.failed)
        #expect(result.message == "failed to validate")
        #expect(scratch.read("conf") == "good\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["conf"])
        let accepted = try await harness.run(
            CopyModule.self, ["content": "good too\n", "dest": .string(scratch.file("conf")), "validate": "grep -q good %s"])
        #expect(accepted.changed)
        #expect(scratch.read("conf") == "good too\n")
    }

    @Test func missingDestinationDirectoryFailsTheTaskNotTheHost() async throws {
        let result = try await Harness().run(CopyModule.self, ["content": "x", "dest": "/nonexistent-stackplay-dir/file"])
        #expect(result.failed)
        #expect(result.message == "Destination directory /nonexistent-stackplay-dir does not exist")
    }

    @Test func missingSourceFailsWithTheSearchedPaths() async throws {
        let harness = Harness()
        let result = try await harness.run(CopyModule.self, ["src": "nowhere.conf", "dest": "/tmp/x"])
        #expect(result.failed)
        #expect(result.message?.hasPrefix("Could not find or access 'nowhere.conf'") == true)
    }

    @Test func templateRendersThroughTheInvocationAndWritesLikeCopy() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.file("templates"), withIntermediateDirectories: true)
        try scratch.write("templates/site.conf.j2", "server_name {{ name }};\n")
        var harness = Harness()
        harness.searchPaths = [scratch.file("templates")]
        harness.variables = ["name": "web1"]
        let dest = Value.string(scratch.file("site.conf"))
        let checked = try await harness.run(TemplateModule.self, ["src": "site.conf.j2", "dest": dest], check: true, diff: true)
        #expect(checked.changed)
        #expect(checked.diffs.first?.after == "server_name web1;\n")
        #expect(!scratch.exists("site.conf"))
        let first = try await harness.run(TemplateModule.self, ["src": "site.conf.j2", "dest": dest, "mode": "0600"])
        #expect(first.changed)
        #expect(scratch.read("site.conf") == "server_name web1;\n")
        #expect(scratch.mode("site.conf") == 0o600)
        #expect(!(try await harness.run(TemplateModule.self, ["src": "site.conf.j2", "dest": dest, "mode": "0600"]).changed))
        let directory = try await harness.run(TemplateModule.self, ["src": "site.conf.j2", "dest": .string(scratch.path + "/")])
        #expect(directory["dest"] == .string(scratch.file("site.conf")))
    }
}
