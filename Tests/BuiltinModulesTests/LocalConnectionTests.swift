import Foundation
import ModuleAPI
import Testing

@testable import BuiltinModules

@Suite struct LocalConnectionTests {
    let connection = LocalConnection()

    @Test func runsShellCommandsAndReportsStatus() async throws {
        let output = try await connection.execute(CommandRequest("echo out; echo err >&2; exit 3"))
        #expect(output.exitStatus == 3)
        #expect(output.stdoutText == "out\n")
        #expect(output.stderrText == "err\n")
    }

    @Test func feedsStdinAndEnvironment() async throws {
        let output = try await connection.execute(
            CommandRequest("cat; printf %s \"$GREETING\"", stdin: Data("piped\n".utf8), environment: ["GREETING": "hi"]))
        #expect(output.stdoutText == "piped\nhi")
    }

    @Test func usesTheRequestedExecutable() async throws {
        let output = try await connection.execute(CommandRequest("echo $0", executable: "/bin/bash"))
        #expect(output.stdoutText == "/bin/bash\n")
    }

    @Test func reportsDeathBySignalAsNegativeStatus() async throws {
        let output = try await connection.execute(CommandRequest("kill -9 $$"))
        #expect(output.exitStatus == -9)
    }

    @Test func timesOutAndKillsTheWholeProcessGroup() async throws {
        await #expect(throws: ConnectionError.self) {
            _ = try await connection.execute(CommandRequest("sleep 30 | cat", timeout: 0.3))
        }
    }

    @Test func largeOutputDoesNotDeadlock() async throws {
        let input = Data(repeating: UInt8(ascii: "x"), count: 1_000_000)
        let output = try await connection.execute(CommandRequest("cat; head -c 300000 /dev/zero >&2", stdin: input))
        #expect(output.stdout.count == 1_000_000)
        #expect(output.stderr.count == 300_000)
    }

    @Test func uploadsAtomicallyKeepingTheModeOfAReplacedFile() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.file("config")
        try await connection.upload(Data("one".utf8), to: path, mode: 0o600)
        #expect(scratch.read("config") == "one")
        #expect(scratch.mode("config") == 0o600)
        try await connection.upload(Data("two".utf8), to: path, mode: nil)
        #expect(scratch.read("config") == "two")
        #expect(scratch.mode("config") == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        #expect(leftovers == ["config"])
        #expect(try await connection.download(path) == Data("two".utf8))
    }

    @Test func missingFilesAndClosedConnectionsAreConnectionErrors() async throws {
        let local = LocalConnection(hostName: "box")
        let error = await #expect(throws: ConnectionError.self) { _ = try await local.download("/nonexistent/file") }
        #expect(error?.message.contains("No such file or directory") == true)
        await local.close()
        let closed = await #expect(throws: ConnectionError.self) { _ = try await local.execute(CommandRequest("true")) }
        #expect(closed?.kind == .disconnected)
    }

    @Test func becomingTheCurrentUserNeedsNoEscalation() async throws {
        let output = try await connection.execute(
            CommandRequest("id -un", become: BecomeRequest(user: LocalConnection.currentUserName)))
        #expect(output.stdoutText.trimmingCharacters(in: .newlines) == LocalConnection.currentUserName)
    }

    @Test func sudoCommandLineMatchesAnsiblesBecomePlugin() throws {
        let argv = try LocalConnection.escalate(
            ["/bin/sh", "-c", "id"], with: BecomeRequest(user: "web", password: "pw"), host: "h")
        #expect(argv == ["sudo", "-H", "-S", "-p", "", "-u", "web", "/bin/sh", "-c", "id"])
    }
}
