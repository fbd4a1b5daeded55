import Foundation
import ModuleAPI
import Testing

@testable import SSHTransport

@Suite(.enabled(if: TestServer.available, "needs OpenSSH sshd, ssh-keygen, unshare and root"))
struct BecomeTests {
    @Test func suFromRootNeedsNoPassword() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let become = BecomeRequest(method: "su", user: "spuser")
            let output = try await connection.execute(
                CommandRequest("id -un; cat", stdin: Data("piped\n".utf8), become: become))
            #expect(output.exitStatus == 0)
            #expect(output.stdoutText == "spuser\npiped\n")
            await connection.close()
        }
    }

    @Test func suWithPasswordTypesItOnATerminal() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options(user: "spuser", key: nil, password: "sp-user-pass"))
            let become = BecomeRequest(method: "su", user: "root", password: "sp-root-pass")
            let output = try await connection.execute(
                CommandRequest("id -un; cat; echo err >&2", stdin: Data("line one\nline two\n".utf8), become: become))
            #expect(output.exitStatus == 0)
            // A terminal merges stderr into stdout; the prompt and the marker are gone.
            #expect(output.stdoutText == "root\nline one\nline two\nerr\n")

            let wrong = try await connection.execute(
                CommandRequest("id -un", become: BecomeRequest(method: "su", user: "root", password: "bad")))
            #expect(wrong.exitStatus != 0)
            #expect(!wrong.stdoutText.contains("root\n"))
            await connection.close()
        }
    }

    @Test(.enabled(if: TestServer.sudoAvailable, "needs sudo")) func sudoWithPasswordThenStdin() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options(user: "spuser", key: nil, password: "sp-user-pass"))
            let become = BecomeRequest(method: "sudo", user: "root", password: "sp-user-pass")
            let output = try await connection.execute(
                CommandRequest("id -un; cat; echo warn >&2", stdin: Data("after the password\n".utf8), become: become))
            #expect(output.exitStatus == 0)
            #expect(output.stdoutText == "root\nafter the password\n")
            #expect(output.stderrText == "warn\n")

            let wrong = try await connection.execute(
                CommandRequest("id -un", become: BecomeRequest(method: "sudo", user: "root", password: "bad")))
            #expect(wrong.exitStatus != 0)
            #expect(wrong.stderrText.contains("incorrect become password"))

            let missing = try await connection.execute(CommandRequest("id -un", become: BecomeRequest(method: "sudo")))
            #expect(missing.exitStatus != 0)
            // sudo's wording varies with how it fails first (no password, or an account lookup racing the
            // fixture's private passwd copy under parallel tests); what matters is that it refuses.
            #expect(!missing.stderrText.isEmpty)
            #expect(missing.stdoutText != "root\n")
            await connection.close()
        }
    }

    @Test(.enabled(if: TestServer.sudoAvailable, "needs sudo")) func sudoFromRootToAnotherUser() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let output = try await connection.execute(
                CommandRequest("id -un; echo $HOME", become: BecomeRequest(method: "sudo", user: "spuser")))
            #expect(output.exitStatus == 0)
            #expect(output.stdoutText == "spuser\n\(server.directory)/home/spuser\n")
            await connection.close()
        }
    }

    @Test func unsupportedMethodIsAnError() async throws {
        try await TestServer.with { server in
            let connection = SSHConnection(options: server.options())
            let error = await connectionErrorKind {
                _ = try await connection.execute(CommandRequest("true", become: BecomeRequest(method: "pbrun")))
            }
            #expect(error?.message.contains("'pbrun'") == true)
            await connection.close()
        }
    }
}
