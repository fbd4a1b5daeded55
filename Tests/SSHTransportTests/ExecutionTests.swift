import Foundation
import ModuleAPI
import Testing

@testable import SSHTransport

@Suite(.enabled(if: TestServer.available, "needs OpenSSH sshd, ssh-keygen, unshare and root"))
struct ExecutionTests {
    @Test func returnsStdoutStderrAndExitStatus() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let output = try await connection.execute(CommandRequest("echo out; echo err >&2; exit 3"))
            #expect(output.exitStatus == 3)
            #expect(output.stdoutText == "out\n")
            #expect(output.stderrText == "err\n")
            let success = try await connection.execute(CommandRequest("id -un"))
            #expect(success.exitStatus == 0)
            #expect(success.stdoutText == "root\n")
            await connection.close()
        }
    }

    @Test func feedsStdinThenEOF() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let small = try await connection.execute(CommandRequest("tr a-z A-Z", stdin: Data("hello\nworld\n".utf8)))
            #expect(small.stdoutText == "HELLO\nWORLD\n")
            // No stdin at all still means EOF, so `cat` ends instead of hanging.
            let empty = try await connection.execute(CommandRequest("cat; echo done"))
            #expect(empty.stdoutText == "done\n")
            await connection.close()
        }
    }

    @Test func largeStdinAndOutputOnBothStreamsDoNotStall() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            // 3 MiB in while the command echoes everything to stdout and a copy to stderr, well past
            // every channel window, so a reader that only drained one stream would deadlock.
            let input = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let output = try await connection.execute(CommandRequest("tee /dev/stderr", stdin: input))
            #expect(output.exitStatus == 0)
            #expect(output.stdout == input)
            #expect(output.stderr == input)
            await connection.close()
        }
    }

    @Test func exportsEnvironmentAndUsesExecutable() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let environment = ["GREETING": "it's a \"test\" $HOME", "OTHER_VAR": "2"]
            let output = try await connection.execute(
                CommandRequest("printf '%s|%s' \"$GREETING\" \"$OTHER_VAR\"", environment: environment))
            #expect(output.stdoutText == "it's a \"test\" $HOME|2")
            let bash = try await connection.execute(
                CommandRequest("[[ -n $BASH_VERSION ]] && echo bash", executable: "/bin/bash"))
            #expect(bash.stdoutText == "bash\n")
            await connection.close()
        }
    }

    @Test func rejectsInvalidEnvironmentNames() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let error = await connectionErrorKind {
                _ = try await connection.execute(CommandRequest("true", environment: ["BAD-NAME": "x"]))
            }
            #expect(error?.message.contains("BAD-NAME") == true)
            await connection.close()
        }
    }

    @Test func commandTimeoutIsReportedAndSessionStaysUsable() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let error = await connectionErrorKind {
                _ = try await connection.execute(CommandRequest("sleep 30", timeout: 0.5))
            }
            #expect(error?.kind == .timeout)
            let after = try await connection.execute(CommandRequest("echo still here"))
            #expect(after.stdoutText == "still here\n")
            await connection.close()
        }
    }

    @Test func closedConnectionRefusesWork() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            _ = try await connection.execute(CommandRequest("true"))
            await connection.close()
            let error = await connectionErrorKind { _ = try await connection.execute(CommandRequest("true")) }
            #expect(error?.kind == .disconnected)
        }
    }
}
