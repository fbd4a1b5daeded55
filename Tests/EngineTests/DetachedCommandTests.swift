import BuiltinModules
import Foundation
import ModuleAPI
import StackplayCLI
import Synchronization
import TestSupport
import Testing

@testable import Engine

/// Async jobs over a connection that runs one command at a time (as one SSH session does) start
/// their commands in the background on the target and poll them, so later tasks are not held up.
@Suite struct DetachedCommandTests {
    let local = LocalConnection()

    @Test func aDetachedCommandKeepsOutputStatusInputAndEnvironment() async throws {
        let output = try await DetachedCommand(
            base: local,
            request: CommandRequest(
                "read line; echo \"out:$line:$GREETING\"; echo err >&2; exit 3", stdin: Data("typed\n".utf8),
                environment: ["GREETING": "hi"], timeout: 20)
        ).run()
        #expect(output.stdoutText == "out:typed:hi\n")
        #expect(output.stderrText == "err\n")
        #expect(output.exitStatus == 3)
    }

    @Test func aDetachedCommandIsKilledAtItsTimeout() async throws {
        let scratch = try Scratch()
        let pidFile = scratch.path + "/pid"
        let start = ContinuousClock.now
        await #expect(throws: ConnectionError.self) {
            _ = try await DetachedCommand(
                base: self.local, request: CommandRequest("echo $$ > \(pidFile); sleep 30", timeout: 0.5)
            ).run()
        }
        #expect(ContinuousClock.now - start < .seconds(20))
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        // The command's shell (and its `sleep`) went with the process group (dead or a zombie).
        func alive() -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
        }
        var gone = false
        for _ in 0..<50 where !gone {
            gone = !alive()
            if !gone { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(gone)
    }

    @Test func aJobDoesNotHoldASerialConnectionWhileLaterTasksRun() async throws {
        let scratch = try Scratch()
        let components = StandardComponents.make(connections: [
            "serial": { target in SerialConnection(base: LocalConnection(hostName: target.inventoryName)) }
        ])
        let (outcome, output) = try await runPlaybook(
            """
            - hosts: localhost
              gather_facts: false
              vars:
                ansible_connection: serial
                ansible_async_dir: \(scratch.path)/async
              tasks:
                - shell: while [ ! -e \(scratch.path)/release ]; do sleep 0.1; done
                  async: 20
                  poll: 0
                  register: job
                - command: echo quick
                  register: quick
                - async_status:
                    jid: "{{ job.ansible_job_id }}"
                  register: status
                - assert:
                    that:
                      - quick.stdout == 'quick'
                      - not status.finished
                - file:
                    path: \(scratch.path)/release
                    state: touch
                - async_status:
                    jid: "{{ job.ansible_job_id }}"
                  register: released
                  until: released.finished
                  retries: 100
                  delay: 0.2
                - assert:
                    that:
                      - released.rc == 0
            """, components: components)
        // The job runs until the playbook releases it. Had it held the connection, `echo quick` would
        // have waited for its 20 s limit, and the job would show as finished (killed) — however loaded
        // the machine is, the outcome doesn't depend on timing.
        #expect(outcome == .success, "\(output.standardOutput)")
    }
}

/// A connection that runs one operation at a time, like the one libssh session per host.
final class SerialConnection: Connection {
    let base: any Connection
    private let gate = AsyncGate()

    init(base: any Connection) { self.base = base }

    var transport: String { "serial" }

    func execute(_ command: CommandRequest) async throws(ConnectionError) -> CommandOutput {
        await gate.enter()
        defer { gate.leave() }
        return try await base.execute(command)
    }

    func upload(_ data: Data, to path: String, mode: UInt16?) async throws(ConnectionError) {
        await gate.enter()
        defer { gate.leave() }
        try await base.upload(data, to: path, mode: mode)
    }

    func download(_ path: String) async throws(ConnectionError) -> Data {
        await gate.enter()
        defer { gate.leave() }
        return try await base.download(path)
    }

    func close() async {}
}

/// A FIFO lock for async code.
final class AsyncGate: Sendable {
    private let state = Mutex<(busy: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func enter() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if now { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
