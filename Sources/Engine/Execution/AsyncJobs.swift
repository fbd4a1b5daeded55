import BuiltinModules
import Diagnostics
import Foundation
import ModuleAPI
import Synchronization
import Templating

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `async:` jobs of a run that are still going. stackplay runs a module on the controller, so a
/// job lives as long as the run: the run waits for its jobs (each ends by its `async` limit at the
/// latest) before it closes the connections and exits.
public final class AsyncJobs: Sendable {
    private let running = Mutex<[String: Task<ValueDictionary, Never>]>([:])

    public init() {}

    func add(_ jid: String, _ job: Task<ValueDictionary, Never>) {
        running.withLock { $0[jid] = job }
    }

    func remove(_ jid: String) {
        _ = running.withLock { $0.removeValue(forKey: jid) }
    }

    /// Waits until every job has finished and written its result.
    public func waitAll() async {
        while let job = running.withLock({ $0.first?.value }) {
            _ = await job.value
            running.withLock { jobs in
                for (jid, candidate) in jobs where candidate == job { jobs.removeValue(forKey: jid) }
            }
        }
    }

    /// A new job id in ansible-core's form: `j` + 12 random digits + `.` + the controller's pid.
    static func newJobID() -> String {
        "j\(Int.random(in: 100_000_000_000...999_999_999_999)).\(getpid())"
    }
}

/// One `async:` run of a module, ansible-core's async_wrapper on the controller: the job file on the
/// target says `started` until the module's result replaces it; the module's commands are killed
/// when the `async` seconds run out and the result becomes `Timeout exceeded`. With `poll: 0` the
/// task returns at once with the job id; with `poll: N` it waits, reporting `ASYNC POLL` every N
/// seconds, then returns the module's result and removes the job file, as Ansible does.
struct AsyncJobRun: Sendable {
    let context: ExecutionContext
    let info: TaskInfo?
    let host: String
    let seconds: Double
    let poll: Double

    func run(_ module: any Module.Type, invocation: ModuleInvocation) async throws -> ActionResult {
        let jid = AsyncJobs.newJobID()
        let directory = AsyncJobFiles.directory(invocation.variables)
        let connection = invocation.connection
        let request = CommandRequest(
            AsyncJobFiles.writeScript(directory: directory, jid: jid),
            stdin: Data(AsyncJobFiles.startedContent(jid: jid).utf8), environment: invocation.environment,
            become: invocation.become)
        let created = try await connection.execute(request)
        guard created.exitStatus == 0 else {
            return .failure(
                "could not create the async job file in \(directory): "
                    + created.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let resultsFile = created.stdoutText

        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var jobInvocation = invocation
        jobInvocation.connection = DeadlineConnection(
            base: connection, deadline: deadline, detach: connection.transport != "local")
        let finished = OnceFlag()
        let job = Task<ValueDictionary, Never> {
            let result = await Self.runModule(module, invocation: jobInvocation, deadline: deadline)
            var write = request
            write.stdin = Data(AsyncJobFiles.content(result).utf8)
            _ = try? await connection.execute(write)
            finished.set()
            return result
        }
        context.asyncJobs.add(jid, job)

        var values = ValueDictionary()
        values["ansible_job_id"] = .string(jid)
        values["results_file"] = .string(resultsFile)
        values["started"] = .bool(true)
        guard poll > 0 else {
            values["changed"] = .bool(true)
            values["finished"] = .bool(false)
            return ActionResult(values: values)
        }

        let bus = context.bus
        let host = self.host
        let info = self.info
        let interval = poll
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                if Task.isCancelled || finished.isSet { break }
                if let info { bus.emit(.asyncPoll(info, host: host, jid: jid)) }
            }
        }
        let result = await job.value
        ticker.cancel()
        context.asyncJobs.remove(jid)
        _ = try? await connection.execute(
            CommandRequest(
                AsyncJobFiles.removeScript(directory: directory, jid: jid), environment: invocation.environment,
                become: invocation.become))
        // What async_status answers for a finished job, as Ansible's poller returns it.
        values["changed"] = .bool(false)
        values["stdout"] = .string("")
        values["stderr"] = .string("")
        values["stdout_lines"] = .list([])
        values["stderr_lines"] = .list([])
        for (key, value) in result { values[key] = value }
        values["ansible_job_id"] = .string(jid)
        values["finished"] = .bool(true)
        values["started"] = .bool(true)
        let action = ActionResult(values: values)
        if let info { bus.emit(.asyncFinished(info, host: host, jid: jid, failed: action.isFailed)) }
        return action
    }

    /// The module's registered result, or `Timeout exceeded` when the deadline passes first.
    private static func runModule(_ module: any Module.Type, invocation: ModuleInvocation, deadline: ContinuousClock.Instant)
        async -> ValueDictionary
    {
        let timedOut = ValueDictionary.pairs(["msg": "Timeout exceeded", "failed": true])
        let outcome = await FirstOf.race(deadline: deadline) { () async -> ValueDictionary in
            do {
                return try await module.init().run(invocation).registered.dictionary ?? ValueDictionary()
            } catch let error as ConnectionError {
                if ContinuousClock.now >= deadline { return timedOut }
                return .pairs(["failed": true, "unreachable": true, "msg": .string(error.message)])
            } catch {
                let message = (error as? any LocatedError)?.message ?? "\(error)"
                return .pairs(["failed": true, "msg": .string(message)])
            }
        }
        return outcome ?? timedOut
    }
}

/// Races work against a deadline without waiting for the loser: the work keeps going in the
/// background (its commands end at the deadline through ``DeadlineConnection``).
enum FirstOf {
    static func race<T: Sendable>(
        deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () async -> T
    ) async -> T? {
        let settled = OnceFlag()
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let worker = Task {
                let value = await work()
                if settled.set() { continuation.resume(returning: value) }
            }
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                if settled.set() {
                    continuation.resume(returning: nil)
                    worker.cancel()
                }
            }
        }
    }
}

/// A flag set once, from any task.
final class OnceFlag: Sendable {
    private let value = Mutex(false)

    /// Sets the flag; true for the caller that set it first.
    @discardableResult
    func set() -> Bool {
        value.withLock { flag in
            defer { flag = true }
            return !flag
        }
    }

    var isSet: Bool { value.withLock { $0 } }
}

/// The connection an `async` job's module runs over. Each command gets the time left before the
/// job's deadline as its timeout, so it is killed when the job's time is up.
///
/// With `detach` (every transport but `local`, whose commands are separate processes anyway) a
/// command is started in the background on the target and polled with short commands, so a long
/// job does not hold the host's one SSH session while later tasks run.
struct DeadlineConnection: Connection {
    let base: any Connection
    let deadline: ContinuousClock.Instant
    var detach = false

    var transport: String { base.transport }

    func execute(_ command: CommandRequest) async throws(ConnectionError) -> CommandOutput {
        let left = deadline - ContinuousClock.now
        let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
        guard seconds > 0 else {
            throw ConnectionError(.timeout, host: "", message: "the async job ran out of time")
        }
        var limited = command
        limited.timeout = min(command.timeout ?? seconds, seconds)
        guard detach else { return try await base.execute(limited) }
        return try await DetachedCommand(base: base, request: limited).run()
    }

    func upload(_ data: Data, to path: String, mode: UInt16?) async throws(ConnectionError) {
        try await base.upload(data, to: path, mode: mode)
    }

    func download(_ path: String) async throws(ConnectionError) -> Data {
        try await base.download(path)
    }

    func close() async {}
}

/// A command run in the background on the target (its own session, output to files in a private
/// temporary directory) and polled until it ends; killed with its process group at the timeout.
struct DetachedCommand: Sendable {
    let base: any Connection
    let request: CommandRequest
    /// Seconds between checks, growing to ``maximumInterval``.
    var firstInterval = 0.1
    var maximumInterval = 1.0

    func run() async throws(ConnectionError) -> CommandOutput {
        let start = ContinuousClock.now
        let shell = request.executable ?? "/bin/sh"
        let inner = "\(Self.quote(shell)) -c \"$1\" < \"$2/in\" > \"$2/out\" 2> \"$2/err\"; echo $? > \"$2/rc.tmp\"; mv \"$2/rc.tmp\" \"$2/rc\""
        let launch = [
            "d=$(mktemp -d \"${TMPDIR:-/tmp}/.stackplay-async.XXXXXX\") || exit 1",
            "cat > \"$d/in\"",
            "if command -v setsid >/dev/null 2>&1; then s=setsid; else s=; fi",
            "$s nohup /bin/sh -c \(Self.quote(inner)) sh \(Self.quote(request.commandLine)) \"$d\" > /dev/null 2>&1 &",
            "echo $! > \"$d/pid\"",
            "printf '%s' \"$d\"",
        ].joined(separator: "\n")
        var starting = request
        starting.commandLine = launch
        starting.executable = nil
        starting.stdin = request.stdin ?? Data()
        starting.timeout = nil
        let started = try await base.execute(starting)
        let directory = started.stdoutText
        guard started.exitStatus == 0, !directory.isEmpty else { return started }
        let quoted = Self.quote(directory)

        var interval = firstInterval
        while true {
            if let timeout = request.timeout, ContinuousClock.now - start >= .milliseconds(Int(timeout * 1000)) {
                _ = try? await base.execute(
                    helper(
                        "p=$(cat \(quoted)/pid 2>/dev/null); [ -n \"$p\" ] && { kill -s KILL -- -\"$p\" 2>/dev/null || kill -s KILL \"$p\"; }; rm -rf -- \(quoted)"
                    ))
                let shown = String(format: "%g", timeout)
                throw ConnectionError(.timeout, host: "", message: "command timed out after \(shown) seconds")
            }
            let check = try await base.execute(helper("[ -e \(quoted)/rc ]"))
            if check.exitStatus == 0 { break }
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            interval = min(interval * 2, maximumInterval)
        }
        return try await base.execute(
            helper("cat \(quoted)/out; cat \(quoted)/err >&2; rc=$(cat \(quoted)/rc); rm -rf -- \(quoted); exit \"$rc\""))
    }

    /// A short command with the job command's environment and privileges.
    private func helper(_ script: String) -> CommandRequest {
        CommandRequest(script, environment: request.environment, become: request.become)
    }

    private static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
