import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

@Suite struct FileModuleTests {
    let harness = Harness()

    @Test func directoryIsCreatedOnceWithItsMode() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = Value.string(scratch.file("a/b"))
        let checked = try await harness.run(FileModule.self, ["path": path, "state": "directory", "mode": "0750"], check: true)
        #expect(checked.changed)
        #expect(!scratch.exists("a"))
        let first = try await harness.run(FileModule.self, ["path": path, "state": "directory", "mode": "0750"])
        #expect(first.changed)
        #expect(first["mode"] == "0750")
        #expect(scratch.mode("a/b") == 0o750)
        // Ansible gives every directory it creates on the way the requested mode, not the umask's.
        #expect(scratch.mode("a") == 0o750)
        let second = try await harness.run(FileModule.self, ["path": path, "state": "directory", "mode": "0750"])
        #expect(!second.changed)
    }

    /// `X` resolves per entry (directories and already-executable files get x), and a tree that already
    /// has the resolved modes is left alone.
    @Test func recursiveSymbolicModesResolvePerEntry() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.file("d/sub"), withIntermediateDirectories: true)
        try scratch.write("d/plain", "x")
        try scratch.write("d/sub/tool", "x")
        chmod(scratch.file("d/plain"), 0o666)
        chmod(scratch.file("d/sub/tool"), 0o700)
        let path = Value.string(scratch.file("d"))
        let first = try await harness.run(FileModule.self, ["path": path, "mode": "u=rwX,g=rX,o=", "recurse": true])
        #expect(first.changed)
        #expect(scratch.mode("d") == 0o750)
        #expect(scratch.mode("d/sub") == 0o750)
        #expect(scratch.mode("d/plain") == 0o640)
        #expect(scratch.mode("d/sub/tool") == 0o750)
        #expect(!(try await harness.run(FileModule.self, ["path": path, "mode": "u=rwX,g=rX,o=", "recurse": true])).changed)
    }

    @Test func symbolicModesAndDiffs() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("f", "x")
        chmod(scratch.file("f"), 0o600)
        let result = try await harness.run(
            FileModule.self, ["path": .string(scratch.file("f")), "mode": "g+r,o=r"], diff: true)
        #expect(result.changed)
        #expect(scratch.mode("f") == 0o644)
        #expect(result.diffs.first?.before.contains("\"mode\": \"0600\"") == true)
        #expect(result.diffs.first?.after.contains("\"mode\": \"0644\"") == true)
        let again = try await harness.run(FileModule.self, ["path": .string(scratch.file("f")), "mode": "g+r,o=r"])
        #expect(!again.changed)
    }

    @Test func fileStateFailsOnMissingPath() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let result = try await harness.run(FileModule.self, ["path": .string(scratch.file("nope")), "state": "file"])
        #expect(result.failed)
        #expect(result.message == "file (\(scratch.file("nope"))) is absent, cannot continue")
    }

    @Test func absentRemovesTreesIdempotently() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.file("d/e"), withIntermediateDirectories: true)
        let first = try await harness.run(FileModule.self, ["path": .string(scratch.file("d")), "state": "absent"])
        #expect(first.changed)
        #expect(!scratch.exists("d"))
        let second = try await harness.run(FileModule.self, ["path": .string(scratch.file("d")), "state": "absent"])
        #expect(!second.changed)
    }

    @Test func symlinksAndHardLinks() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("target", "t")
        let link: KeyValuePairs<String, Value> = ["src": .string(scratch.file("target")), "dest": .string(scratch.file("link")), "state": "link"]
        #expect(try await harness.run(FileModule.self, link).changed)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.file("link")) == scratch.file("target"))
        #expect(!(try await harness.run(FileModule.self, link).changed))
        let hard: KeyValuePairs<String, Value> = ["src": .string(scratch.file("target")), "path": .string(scratch.file("hard")), "state": "hard"]
        #expect(try await harness.run(FileModule.self, hard).changed)
        #expect(scratch.read("hard") == "t")
        #expect(!(try await harness.run(FileModule.self, hard).changed))
        try scratch.write("plain", "p")
        let refused = try await harness.run(
            FileModule.self, ["src": .string(scratch.file("target")), "path": .string(scratch.file("plain")), "state": "link"])
        #expect(refused.failed)
        #expect(refused.message?.hasPrefix("refusing to convert from file to symlink") == true)
    }

    @Test func touchCreatesAndAlwaysReportsChanged() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let arguments: KeyValuePairs<String, Value> = ["path": .string(scratch.file("t")), "state": "touch", "mode": "0640"]
        #expect(try await harness.run(FileModule.self, arguments).changed)
        #expect(scratch.mode("t") == 0o640)
        #expect(try await harness.run(FileModule.self, arguments).changed)
        let preserved = try await harness.run(
            FileModule.self,
            ["path": .string(scratch.file("t")), "state": "touch", "modification_time": "preserve", "access_time": "preserve"])
        #expect(!preserved.changed)
    }

    @Test func recurseAppliesModeToChildren() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.file("r/s"), withIntermediateDirectories: true)
        try scratch.write("r/s/f", "x")
        let arguments: KeyValuePairs<String, Value> = ["path": .string(scratch.file("r")), "state": "directory", "mode": "0700", "recurse": true]
        #expect(try await harness.run(FileModule.self, arguments).changed)
        #expect(scratch.mode("r/s/f") == 0o700)
        #expect(!(try await harness.run(FileModule.self, arguments).changed))
    }

    @Test func modeParsing() throws {
        #expect(try FileMode.parse(.int(0o644)) == .absolute(0o644))
        #expect(try FileMode.parse("0755") == .absolute(0o755))
        #expect(try FileMode.parse("u=rwx,go=rx").resolve(current: 0, isDirectory: false) == 0o755)
        #expect(try FileMode.parse("a+X").resolve(current: 0o600, isDirectory: true) == 0o711)
        #expect(try FileMode.parse("a+X").resolve(current: 0o600, isDirectory: false) == 0o600)
        #expect(throws: ModuleFailure.self) { try FileMode.parse("z+q") }
    }
}
