import Foundation
import ModuleAPI
import SSHTransport
import Testing

@testable import Engine

/// A detached async command over a real SSH session (OpenSSH sshd from `Scripts/sshd-fixture.sh`):
/// the session stays free for other commands while the job runs, and the job dies at its limit.
@Suite(.enabled(if: SSHFixture.available, "needs OpenSSH sshd, ssh-keygen, unshare and root"))
struct AsyncOverSSHTests {
    @Test func aDetachedJobLeavesTheSessionFreeAndIsKilledAtItsLimit() async throws {
        let fixture = try await SSHFixture.start()
        defer { fixture.stop() }
        let connection = SSHConnection(options: fixture.options)
        // The job runs until released, so the check doesn't depend on timing: had the job held the
        // session, `echo quick` would have waited for its 20 s limit and the job would have been killed.
        let release = "/tmp/stackplay-ssh-job-\(getpid()).release"
        let job = Task {
            try await DetachedCommand(
                base: connection,
                request: CommandRequest("touch \(release).started; while [ ! -e \(release) ]; do sleep 0.1; done; echo done; exit 4", timeout: 20)
            ).run()
        }
        var started = false
        for _ in 0..<200 where !started {
            started = try await connection.execute(CommandRequest("test -e \(release).started")).exitStatus == 0
            if !started { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(started, "the job never started")
        let quick = try await connection.execute(CommandRequest("echo quick"))
        #expect(quick.stdoutText == "quick\n")
        _ = try await connection.execute(CommandRequest("touch \(release)"))
        let finished = try await job.value
        _ = try await connection.execute(CommandRequest("rm -f \(release) \(release).started"))
        #expect(finished.stdoutText == "done\n")
        #expect(finished.exitStatus == 4)

        await #expect(throws: ConnectionError.self) {
            _ = try await DetachedCommand(
                base: connection, request: CommandRequest("echo $$ > /tmp/stackplay-ssh-job.pid; exec sleep 30", timeout: 0.5)
            ).run()
        }
        let pid = try await connection.execute(CommandRequest("cat /tmp/stackplay-ssh-job.pid; rm -f /tmp/stackplay-ssh-job.pid"))
            .stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        var alive = true
        for _ in 0..<30 where alive {
            let state = try await connection.execute(CommandRequest("ps -o stat= -p \(pid) || true")).stdoutText
            alive = !(state.isEmpty || state.hasPrefix("Z"))
            if alive { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(!alive, "the timed-out job's process is still running")
        await connection.close()
    }
}

/// A throwaway sshd, as SSHTransportTests' fixture starts it.
struct SSHFixture {
    let directory: String
    let port: Int

    static let available: Bool = {
        let tools = ["/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/unshare", "/usr/bin/openssl"]
        return getuid() == 0 && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/sshd-fixture.sh").path

    static func start() async throws -> SSHFixture {
        let directory = NSTemporaryDirectory() + "stackplay-engine-ssh-" + UUID().uuidString.prefix(8)
        let output = try await run(["start", directory])
        guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CorpusError("sshd-fixture printed no port: \(output)")
        }
        return SSHFixture(directory: directory, port: port)
    }

    var options: SSHConnectionOptions {
        SSHConnectionOptions(
            displayName: "engine-ssh-\(port)", endpoint: SSHEndpoint(host: "127.0.0.1", port: port, user: "root"),
            identityFiles: [directory + "/client_ed25519"], password: nil, useAgent: false,
            tryDefaultIdentities: false, knownHostsFile: directory + "/known_hosts", connectTimeout: 5)
    }

    func stop() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.script, "stop", directory]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs the fixture script without blocking a cooperative thread.
    private static func run(_ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume()
            }
        }
        guard process.terminationStatus == 0 else { throw CorpusError("sshd-fixture \(arguments) failed") }
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}
