import Foundation
import ModuleAPI
import Testing

@testable import SSHTransport

struct RemoteCommandTests {
    @Test func plainCommandRunsUnderBinSh() throws {
        let command = try RemoteCommand(CommandRequest("echo hi"))
        #expect(command.line == "/bin/sh -c 'echo hi'")
        #expect(command.handshake == nil)
        #expect(!command.needsTerminal)
    }

    @Test func environmentIsExportedInNameOrderAndQuoted() async throws {
        let request = CommandRequest(#"printf '%s|%s' "$A" "$B""#, environment: ["B": "it's $HOME", "A": "1"])
        let command = try RemoteCommand(request)
        #expect(command.line.hasPrefix("/bin/sh -c 'export A=1 B="))
        // What a shell makes of the line is what the remote side will run.
        let output = try await TestServer.run("/bin/sh", ["-c", command.line])
        #expect(output == "1|it's $HOME")
        #expect(throws: SessionFailure.self) { try RemoteCommand(CommandRequest("env", environment: ["1X": "1"])) }
    }

    @Test func sudoWithoutPasswordNeverPrompts() throws {
        let command = try RemoteCommand(CommandRequest("id", become: BecomeRequest(user: "www-data")))
        #expect(command.line == "sudo -H -S -n -u www-data /bin/sh -c id")
        #expect(command.handshake == nil)
    }

    @Test func sudoWithPasswordDropsNonInteractiveAndWaitsForTheMarker() throws {
        let request = CommandRequest("id", stdin: Data("x".utf8), become: BecomeRequest(password: "pw"))
        let command = try RemoteCommand(request, marker: "MARK")
        #expect(
            command.line
                == "sudo -H -S -p '[sudo via stackplay, key=MARK] password:' -u root /bin/sh -c 'echo MARK; id'")
        #expect(
            command.handshake == BecomeHandshake(marker: "MARK", password: "pw", method: "sudo", promptOnStderr: true))
        #expect(command.input == Data("x".utf8))
    }

    @Test func suWithPasswordUsesATerminalAndCarriesStdinInTheCommand() throws {
        let request = CommandRequest(
            "cat", stdin: Data("data".utf8), become: BecomeRequest(method: "su", user: "root", password: "pw"))
        let command = try RemoteCommand(request, marker: "MARK")
        #expect(command.needsTerminal)
        #expect(command.input.isEmpty)
        #expect(command.line.hasPrefix("su root -c "))
        #expect(command.line.contains("ZGF0YQ=="))  // "data" in base64
    }

    @Test func suWithPasswordRefusesStdinTooLargeForOneArgument() {
        let stdin = Data(count: RemoteCommand.maximumTerminalInput + 1)
        let request = CommandRequest("cat", stdin: stdin, become: BecomeRequest(method: "su", password: "pw"))
        #expect(throws: SessionFailure.self) { try RemoteCommand(request) }
    }

    @Test func shellQuoting() {
        #expect(shellQuote("plain/path-1.txt") == "plain/path-1.txt")
        #expect(shellQuote("") == "''")
        #expect(shellQuote("a b") == "'a b'")
        #expect(shellQuote("it's") == #"'it'\''s'"#)
    }

    @Test func handshakeRecognisesPrompts() {
        let sudo = BecomeHandshake(marker: "M", password: "", method: "sudo", promptOnStderr: true)
        #expect(sudo.isPrompt(Data("[sudo via stackplay, key=M] password:".utf8)))
        #expect(!sudo.isPrompt(Data("Password:".utf8)))
        let su = BecomeHandshake(marker: "M", password: "", method: "su", promptOnStderr: false)
        #expect(su.isPrompt(Data("Password: ".utf8)))
        #expect(su.isPrompt(Data("Passwort: ".utf8)))
        #expect(!su.isPrompt(Data("password accepted\n".utf8)))
    }

    @Test func sudoPromptIsRemovedFromStderrAfterSuccess() {
        var run = CommandRun(
            handshake: BecomeHandshake(marker: "M", password: "pw", method: "sudo", promptOnStderr: true), input: Data()
        )
        run.stderr = Data("[sudo via stackplay, key=M] password:".utf8)
        guard case .answerPrompt(let answer) = run.advanceHandshake() else {
            Issue.record("expected the password to be typed")
            return
        }
        #expect(answer == Data("pw\n".utf8))
        // The answered prompt is still in the buffer; it must not count as a second (wrong-password) prompt.
        #expect(run.advanceHandshake() == nil)
        run.stdout = Data("M\nreal output\n".utf8)
        run.stderr.append(Data("warning\n".utf8))
        guard case .becomeSucceeded = run.advanceHandshake() else {
            Issue.record("expected the marker to end the handshake")
            return
        }
        #expect(run.stdout == Data("real output\n".utf8))
        #expect(run.stderr == Data("warning\n".utf8))
        #expect(run.handshake == nil)
    }
}
