import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

@Suite struct FindModuleTests {
    let harness = Harness()

    /// A small tree: logs at two depths, a hidden file, a hidden directory, a link and an empty dir.
    func tree() throws -> Scratch {
        let scratch = try Scratch()
        let manager = FileManager.default
        for directory in ["logs/old", ".cache", "empty"] {
            try manager.createDirectory(atPath: scratch.file(directory), withIntermediateDirectories: true)
        }
        try scratch.write("logs/app.log", "started\nERROR disk full\n")
        try scratch.write("logs/web.log", "ok\n")
        try scratch.write("logs/old/app.log.1", String(repeating: "x", count: 2048))
        try scratch.write("logs/notes.txt", "the ERROR is in the middle\n")
        try scratch.write(".hidden.log", "h\n")
        try scratch.write(".cache/inner.log", "c\n")
        try manager.createSymbolicLink(atPath: scratch.file("logs/current.log"), withDestinationPath: "app.log")
        return scratch
    }

    func paths(_ result: ModuleResult, in scratch: Scratch) -> [String] {
        (result["files"]?.array ?? []).compactMap { $0.dictionary?["path"]?.string }
            .map { String($0.dropFirst(scratch.path.count + 1)) }.sorted()
    }

    @Test func globPatternsRecurseAndHiddenFollowAnsibleWalk() async throws {
        let scratch = try tree()
        defer { scratch.cleanup() }
        let top = Value.string(scratch.path)
        let plain = try await harness.run(FindModule.self, ["paths": top, "patterns": "*.log", "recurse": true])
        #expect(plain.failed == false)
        // The hidden directory is still walked: only names starting with a dot are skipped.
        #expect(paths(plain, in: scratch) == [".cache/inner.log", "logs/app.log", "logs/web.log"])
        #expect(plain["matched"] == 3)
        #expect(plain["examined"] == 11)
        #expect(plain.message == "All paths examined")
        let hidden = try await harness.run(
            FindModule.self, ["paths": top, "patterns": ["*.log", "*.log.?"], "recurse": true, "hidden": true])
        #expect(
            paths(hidden, in: scratch) == [".cache/inner.log", ".hidden.log", "logs/app.log", "logs/old/app.log.1", "logs/web.log"])
        let shallow = try await harness.run(FindModule.self, ["paths": top, "file_type": "directory"])
        #expect(paths(shallow, in: scratch) == ["empty", "logs"])
    }

    @Test func regexExcludesDepthSizeAndLinks() async throws {
        let scratch = try tree()
        defer { scratch.cleanup() }
        let logs = Value.string(scratch.file("logs"))
        let regex = try await harness.run(
            FindModule.self,
            ["paths": logs, "patterns": "app", "use_regex": true, "excludes": ".*\\.1$", "recurse": true])
        #expect(paths(regex, in: scratch) == ["logs/app.log"])
        let depth = try await harness.run(FindModule.self, ["paths": logs, "recurse": true, "depth": 1])
        #expect(!paths(depth, in: scratch).contains("logs/old/app.log.1"))
        #expect(depth["examined"] == 6)
        let large = try await harness.run(FindModule.self, ["paths": logs, "recurse": true, "size": "1k"])
        #expect(paths(large, in: scratch) == ["logs/old/app.log.1"])
        let small = try await harness.run(FindModule.self, ["paths": logs, "recurse": true, "size": "-10"])
        #expect(paths(small, in: scratch) == ["logs/web.log"])
        let links = try await harness.run(FindModule.self, ["paths": logs, "file_type": "link"])
        let link = try #require(links["files"]?.array?.first?.dictionary)
        #expect(link["islnk"] == true)
        #expect(link["isreg"] == false)
        let any = try await harness.run(FindModule.self, ["paths": logs, "file_type": "any"])
        #expect(paths(any, in: scratch) == ["logs/app.log", "logs/current.log", "logs/notes.txt", "logs/old", "logs/web.log"])
    }

    @Test func containsChecksumAgeAndStatFields() async throws {
        let scratch = try tree()
        defer { scratch.cleanup() }
        let logs = Value.string(scratch.file("logs"))
        // Line mode matches at the start of a line, as Python's re.match does.
        let lines = try await harness.run(FindModule.self, ["paths": logs, "contains": "ERROR", "get_checksum": true])
        #expect(paths(lines, in: scratch) == ["logs/app.log"])
        let entry = try #require(lines["files"]?.array?.first?.dictionary)
        #expect(entry["checksum"] == .string(FileWriter.sha1(Data("started\nERROR disk full\n".utf8))))
        #expect(entry["size"] == 24)
        #expect(entry["mode"] == "0644")
        #expect(entry["isreg"] == true)
        #expect(entry["pw_name"] == .string(NSUserName()))
        if case .float? = entry["mtime"] {} else { Issue.record("mtime is not a float") }
        let whole = try await harness.run(
            FindModule.self, ["paths": logs, "contains": "ERROR", "read_whole_file": true])
        #expect(paths(whole, in: scratch) == ["logs/app.log", "logs/notes.txt"])
        let old = try await harness.run(FindModule.self, ["paths": logs, "age": "1d"])
        #expect(old["matched"] == 0)
        let recent = try await harness.run(FindModule.self, ["paths": logs, "age": "-1h"])
        #expect(recent["matched"] == 3)
    }

    @Test func missingPathsLimitAndArgumentErrors() async throws {
        let scratch = try tree()
        defer { scratch.cleanup() }
        let missing = scratch.file("nope")
        let result = try await harness.run(
            FindModule.self, ["paths": .list([.string(missing), .string(scratch.file("logs"))]), "limit": 1])
        #expect(result.message == "Not all paths examined, check warnings for details")
        #expect(result["skipped_paths"]?.dictionary?[missing] == .string("'\(missing)' is not a directory"))
        #expect(result["matched"] == 1)
        #expect(result.warnings == ["Skipped '\(missing)' path due to this access issue: '\(missing)' is not a directory\n"])
        let badAge = try await harness.run(FindModule.self, ["paths": .string(scratch.path), "age": "3y"])
        #expect(badAge.failed && badAge.message == "failed to process age")
        let badLimit = try await harness.run(FindModule.self, ["paths": .string(scratch.path), "limit": 0])
        #expect(badLimit.message == "limit cannot be 0 (use None for unlimited)")
        let badMode = try await harness.run(FindModule.self, ["paths": .string(scratch.path), "mode": 644])
        #expect(badMode.message == "argument 'mode' is not a string and conversion is not allowed, value is of type int")
    }

    @Test func followWalksThroughLinkedDirectoriesAndTildeExpandsOnTheTarget() async throws {
        let scratch = try tree()
        defer { scratch.cleanup() }
        try FileManager.default.createSymbolicLink(atPath: scratch.file("linked"), withDestinationPath: "logs/old")
        let top = Value.string(scratch.path)
        let unfollowed = try await harness.run(FindModule.self, ["paths": top, "patterns": "*.1", "recurse": true])
        #expect(paths(unfollowed, in: scratch) == ["logs/old/app.log.1"])
        let followed = try await harness.run(
            FindModule.self, ["paths": top, "patterns": ["*.1", "linked"], "recurse": true, "follow": true, "file_type": "any"])
        #expect(paths(followed, in: scratch) == ["linked", "linked/app.log.1", "logs/old/app.log.1"])
        // The link itself is reported with its own lstat, as os.lstat does, even when followed.
        let link = followed["files"]?.array?.compactMap(\.dictionary).first { $0["path"]?.string?.hasSuffix("/linked") == true }
        #expect(link?["islnk"] == true)
        var invocation = harness.invocation(["paths": "~/logs", "patterns": "*.log"])
        invocation.environment = ["HOME": scratch.path]
        let home = try await FindModule().run(invocation)
        #expect(paths(home, in: scratch) == ["logs/app.log", "logs/web.log"])
    }

    @Test func globMatchesAsFnmatch() {
        func glob(_ name: String, _ pattern: String) -> Bool { NameGlob.matches(Array(name), Array(pattern)) }
        #expect(glob("app.log", "*.log"))
        #expect(!glob("app.log.1", "*.log"))
        #expect(glob("a1", "a[0-9]"))
        #expect(!glob("a1", "a[!0-9]"))
        #expect(glob("[x", "[x"))
        #expect(glob("abc", "a?c"))
        #expect(FindFilters.seconds("2w") == 1_209_600)
        #expect(FindFilters.bytes("-3K") == -3072)
        #expect(FindFilters.bytes("1.5m") == nil)
        #expect(FindListing.normalize("/a//b/./c/") == "/a/b/c")
    }
}
