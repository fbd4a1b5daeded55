import CLibSSH
import Foundation
import ModuleAPI

#if canImport(Glibc)
    import Glibc
#endif

extension LibSSHSession {
    /// Runs one command to completion: sends stdin, collects stdout and stderr, returns the exit status.
    ///
    /// Reads both streams without blocking and waits on the socket in between, so that a command
    /// that writes a lot to one stream while we wait on the other cannot stall on a full window.
    ///
    /// `becomeTimeout` bounds the wait for sudo/su to ask for the password or start the command
    /// (Ansible's "timeout waiting for privilege escalation prompt").
    func execute(
        _ command: RemoteCommand, timeout: Double?, becomeTimeout: Double = 10
    ) throws(SessionFailure) -> CommandOutput {
        let channel = try openChannel()
        defer {
            ssh_channel_close(channel)
            ssh_channel_free(channel)
        }
        if command.needsTerminal, ssh_channel_request_pty(channel) != SSH_OK {
            throw SessionFailure(
                .disconnected, "cannot allocate a terminal: \(libsshError(handle))", safeToRetry: !isConnected)
        }
        if ssh_channel_request_exec(channel, command.line) != SSH_OK {
            throw SessionFailure(
                .disconnected, "cannot start the command: \(libsshError(handle))", safeToRetry: !isConnected)
        }
        var run = CommandRun(handshake: command.handshake, input: command.input)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = timeout.map { Date(timeIntervalSinceNow: $0) }
        let becomeDeadline = Date(timeIntervalSinceNow: becomeTimeout)
        while true {
            var progressed = try drain(channel, into: &run, buffer: &buffer)
            if let outcome = run.advanceHandshake() {
                switch outcome {
                case .answerPrompt(let answer):
                    try write(answer, to: channel)
                    progressed = true
                case .becomeSucceeded:
                    progressed = true
                case .wrongPassword(let output):
                    return output
                }
            }
            if run.handshake == nil {
                progressed = try sendInput(&run, to: channel) || progressed
            }
            if ssh_channel_is_eof(channel) != 0 {
                // Data never follows EOF, so one more drain collects everything.
                _ = try drain(channel, into: &run, buffer: &buffer)
                break
            }
            if let handshake = run.handshake, becomeDeadline.timeIntervalSinceNow <= 0 {
                let message =
                    "\(handshake.method): timeout (\(formatSeconds(becomeTimeout)) s) waiting for the privilege "
                    + "escalation prompt\n"
                return CommandOutput(exitStatus: 1, stdout: Data(), stderr: Data(message.utf8))
            }
            if let deadline, deadline.timeIntervalSinceNow <= 0 {
                throw SessionFailure(
                    .timeout, "the command did not finish within \(formatSeconds(timeout ?? 0)) seconds")
            }
            if !progressed {
                let wait = deadline.map { max(0, min($0.timeIntervalSinceNow, 0.2)) } ?? 0.2
                waitForChannel(channel, seconds: wait)
            }
        }
        if run.handshake != nil {
            // The command ended before privileges were in place: sudo/su refused; show what they said.
            run.stripPrompts()
        }
        return CommandOutput(exitStatus: stackplay_channel_exit_status(channel), stdout: run.stdout, stderr: run.stderr)
    }

    /// Moves whatever the channel holds into `run`; true when anything arrived.
    private func drain(
        _ channel: OpaquePointer, into run: inout CommandRun, buffer: inout [UInt8]
    ) throws(SessionFailure) -> Bool {
        var received = false
        for stream: Int32 in [0, 1] {
            while true {
                let count = buffer.withUnsafeMutableBytes { raw in
                    ssh_channel_read_nonblocking(channel, raw.baseAddress, UInt32(raw.count), stream)
                }
                if count == SSH_ERROR {
                    throw SessionFailure(
                        .disconnected, "the connection dropped while the command ran: \(libsshError(handle))")
                }
                guard count > 0 else { break }
                received = true
                if stream == 0 {
                    run.stdout.append(contentsOf: buffer[0..<Int(count)])
                } else {
                    run.stderr.append(contentsOf: buffer[0..<Int(count)])
                }
            }
        }
        return received
    }

    /// Sends as much stdin as the peer's window allows (never blocking on a full window), then EOF.
    private func sendInput(_ run: inout CommandRun, to channel: OpaquePointer) throws(SessionFailure) -> Bool {
        guard !run.inputClosed else { return false }
        if run.inputOffset < run.input.count {
            let window = Int(ssh_channel_window_size(channel))
            guard window > 0 else { return false }
            let end = min(run.input.count, run.inputOffset + min(window, 32 * 1024))
            try write(run.input[run.inputOffset..<end], to: channel)
            run.inputOffset = end
            return true
        }
        run.inputClosed = true
        if ssh_channel_send_eof(channel) != SSH_OK {
            throw SessionFailure(.disconnected, "the connection dropped while sending stdin: \(libsshError(handle))")
        }
        return true
    }

    private func write(_ data: Data, to channel: OpaquePointer) throws(SessionFailure) {
        let written = data.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return 0 }
            return ssh_channel_write(channel, base, UInt32(raw.count))
        }
        if written == SSH_ERROR {
            throw SessionFailure(.disconnected, "the connection dropped while sending stdin: \(libsshError(handle))")
        }
    }

    /// Sleeps until the channel has output or reached EOF, or `seconds` pass.
    ///
    /// libssh's own wait, not `poll(2)` on the socket: libssh may already hold the packets that end the
    /// command (data, EOF, exit status) in its input buffer, and then the socket stays silent — a plain
    /// `poll` slept its whole timeout twice per command (400 ms per task, measured with strace).
    func waitForChannel(_ channel: OpaquePointer, seconds: Double) {
        _ = ssh_channel_poll_timeout(channel, Int32((seconds * 1000).rounded(.up)), 0)
    }
}

/// The mutable state of one running command.
struct CommandRun {
    var stdout = Data()
    var stderr = Data()
    var handshake: BecomeHandshake?
    var promptsAnswered = 0
    /// Where in the prompt stream to look for the next prompt: past the one already answered.
    var promptScanOffset = 0
    var input: Data
    var inputOffset = 0
    var inputClosed = false

    init(handshake: BecomeHandshake?, input: Data) {
        self.handshake = handshake
        self.input = input
    }

    enum HandshakeStep: Equatable {
        case answerPrompt(Data)
        case becomeSucceeded
        case wrongPassword(CommandOutput)
    }

    /// Watches the become step: answers the password prompt once, and drops everything up to the
    /// success marker so the caller sees only the command's own output.
    mutating func advanceHandshake() -> HandshakeStep? {
        guard let handshake else { return nil }
        let markerLine = Data((handshake.marker + "\n").utf8)
        if let range = stdout.range(of: markerLine) {
            // Everything before the marker on stdout is su's prompt and terminal noise; sudo's prompt is on stderr.
            stdout.removeSubrange(stdout.startIndex..<range.upperBound)
            if handshake.promptOnStderr { stripPrompts() }
            self.handshake = nil
            return .becomeSucceeded
        }
        let promptStream = handshake.promptOnStderr ? stderr : stdout
        guard promptStream.count > promptScanOffset,
            handshake.isPrompt(promptStream.suffix(from: promptStream.startIndex + promptScanOffset))
        else { return nil }
        if promptsAnswered > 0 {
            let message = "\(handshake.method): incorrect become password\n"
            return .wrongPassword(CommandOutput(exitStatus: 1, stdout: Data(), stderr: Data(message.utf8)))
        }
        promptsAnswered += 1
        promptScanOffset = promptStream.count
        return .answerPrompt(Data((handshake.password + "\n").utf8))
    }

    /// Removes the become prompts (and the terminal's echo around them) from the output.
    mutating func stripPrompts() {
        guard let handshake else { return }
        if handshake.promptOnStderr {
            stderr = Self.removingPromptLines(stderr, marker: handshake.marker)
        } else {
            stdout = Self.removingPromptLines(stdout, marker: nil)
        }
    }

    private static func removingPromptLines(_ data: Data, marker: String?) -> Data {
        let text = String(decoding: data, as: UTF8.self)
        let kept = text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { line -> Substring in
                if let marker, let range = line.range(of: "key=\(marker)] password:") {
                    return line[range.upperBound...].drop(while: { $0 == " " })
                }
                if marker == nil, line.lowercased().contains("password"),
                    line.trimmingCharacters(in: .whitespaces).hasSuffix(":")
                {
                    return ""
                }
                return line
            }
        return Data(kept.joined(separator: "\n").drop(while: { $0 == "\n" }).utf8)
    }
}

func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
