import Foundation
import ModuleAPI
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `local` connection: commands run as child processes of the controller, files are written
/// directly. Ansible's `connection: local`, without the per-task Python interpreter.
public final class LocalConnection: Connection {
    public let transport = "local"
    /// The inventory name of the host this connection stands for (usually `localhost`).
    public let hostName: String
    private let closed = Mutex(false)
    private let baseEnvironment: [String: String]
    /// Whether a program found by `posix_spawnp` (the controller's `PATH`) is the one `sh` would find.
    private let samePath: Bool

    /// - Parameters:
    ///   - hostName: inventory name, used in error messages.
    ///   - environment: the environment commands inherit; defaults to the controller's.
    public init(hostName: String = "localhost", environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.hostName = hostName
        self.baseEnvironment = environment
        self.samePath = environment["PATH"] == ProcessInfo.processInfo.environment["PATH"]
    }

    public func execute(_ command: CommandRequest) async throws(ConnectionError) -> CommandOutput {
        try ensureOpen()
        if let direct = try await executeDirectly(command) { return direct }
        let shell = command.executable ?? "/bin/sh"
        var argv = [shell, "-c", command.commandLine]
        var stdin = command.stdin
        if let become = command.become, become.user != Self.currentUserName {
            argv = try Self.escalate(argv, with: become, host: hostName)
            if become.method == "sudo", let password = become.password {
                // sudo -S reads the password as the first line of stdin, before the command's own input.
                stdin = Data((password + "\n").utf8) + (stdin ?? Data())
            }
        }
        let environment = baseEnvironment.merging(command.environment) { _, task in task }
        switch await ProcessRunner.run(argv, environment: environment, stdin: stdin, timeout: command.timeout) {
        case .failure(.spawn(let reason)):
            throw ConnectionError(.io, host: hostName, message: "failed to run command: \(reason)")
        case .success(let outcome) where outcome.timedOut:
            let seconds = command.timeout.map { String(format: "%g", $0) } ?? "?"
            throw ConnectionError(.timeout, host: hostName, message: "command timed out after \(seconds) seconds")
        case .success(let outcome):
            return CommandOutput(exitStatus: outcome.exitStatus, stdout: outcome.stdout, stderr: outcome.stderr)
        }
    }

    /// Runs `command.argv` without a shell when nothing needs one (no become, no other shell, `PATH`
    /// unchanged); nil when it cannot, or when the program cannot be started — the shell then runs
    /// the command and reports that failure exactly as it would have.
    private func executeDirectly(_ command: CommandRequest) async throws(ConnectionError) -> CommandOutput? {
        guard samePath, let argv = command.argv, !argv.isEmpty, command.become == nil, command.executable == nil,
            command.environment["PATH"] == nil
        else { return nil }
        let environment = command.environment.isEmpty
            ? baseEnvironment : baseEnvironment.merging(command.environment) { _, task in task }
        switch await ProcessRunner.run(argv, environment: environment, stdin: command.stdin, timeout: command.timeout) {
        case .failure: return nil
        case .success(let outcome) where outcome.timedOut:
            let seconds = command.timeout.map { String(format: "%g", $0) } ?? "?"
            throw ConnectionError(.timeout, host: hostName, message: "command timed out after \(seconds) seconds")
        case .success(let outcome):
            return CommandOutput(exitStatus: outcome.exitStatus, stdout: outcome.stdout, stderr: outcome.stderr)
        }
    }

    public func upload(_ data: Data, to path: String, mode: UInt16?) async throws(ConnectionError) {
        try ensureOpen()
        let host = hostName
        let result = await BlockingWork.run { LocalFiles.writeAtomically(data, to: path, mode: mode) }
        if case .failure(let reason) = result {
            throw ConnectionError(.transfer, host: host, message: "failed to write \(path): \(reason.message)")
        }
    }

    public func download(_ path: String) async throws(ConnectionError) -> Data {
        try ensureOpen()
        let result = await BlockingWork.run { LocalFiles.readAll(path) }
        switch result {
        case .success(let data): return data
        case .failure(let reason):
            throw ConnectionError(.transfer, host: hostName, message: "failed to read \(path): \(reason.message)")
        }
    }

    public func close() async {
        closed.withLock { $0 = true }
    }

    private func ensureOpen() throws(ConnectionError) {
        if closed.withLock({ $0 }) {
            throw ConnectionError(.disconnected, host: hostName, message: "connection is closed")
        }
    }

    /// The name of the user the controller runs as; becoming that user needs no escalation.
    static let currentUserName: String = {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "" }
        return String(cString: name)
    }()

    /// Wraps `argv` in the become method's command, as Ansible's become plugins do.
    static func escalate(_ argv: [String], with become: BecomeRequest, host: String) throws(ConnectionError) -> [String] {
        let flags = become.flags.map { $0.split(separator: " ").map(String.init) } ?? []
        switch become.method {
        case "sudo":
            let prompt = become.password == nil ? ["-n"] : ["-p", ""]
            return ["sudo", "-H", "-S"] + prompt + flags + ["-u", become.user] + argv
        case "su":
            return ["su"] + flags + ["-s", argv[0], become.user, "-c", Shell.join(Array(argv.dropFirst(2)))]
        case "doas":
            return ["doas"] + flags + ["-u", become.user] + argv
        default:
            throw ConnectionError(.io, host: host, message: "unsupported become method '\(become.method)'")
        }
    }
}

/// Runs blocking work (file I/O) on a dedicated thread rather than the cooperative pool.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
