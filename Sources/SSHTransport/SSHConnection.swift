import Foundation
import ModuleAPI

/// A `Connection` to one host over one libssh session, kept for the whole run.
///
/// The session connects on first use (or on `connect()`), lives on a dedicated thread, and is
/// reopened once, transparently, when the server dropped it between two operations. Any number
/// of tasks may call in concurrently; operations run one at a time in call order.
public final class SSHConnection: Connection {
    public var transport: String { "ssh" }
    public let options: SSHConnectionOptions
    private let thread: SessionThread<HostSession>

    public init(options: SSHConnectionOptions) {
        self.options = options
        thread = SessionThread(
            name: "ssh:\(options.displayName)", idleInterval: options.keepaliveInterval,
            makeContext: { HostSession(options: options) },
            onIdle: { $0.sendKeepalive() },
            onStop: { $0.close() })
    }

    deinit {
        thread.stop()
    }

    /// Opens the session now, so that an unreachable host or a key problem shows before any task
    /// (gather_facts, wait_for_connection). Succeeds at once when the session is already up.
    public func connect() async throws(ConnectionError) {
        try await run { _ throws(SessionFailure) in }
    }

    public func execute(_ command: CommandRequest) async throws(ConnectionError) -> CommandOutput {
        let becomeTimeout = options.connectTimeout
        return try await run { session throws(SessionFailure) in
            try session.execute(RemoteCommand(command), timeout: command.timeout, becomeTimeout: becomeTimeout)
        }
    }

    public func upload(_ data: Data, to path: String, mode: UInt16?) async throws(ConnectionError) {
        try await run { session throws(SessionFailure) in
            try session.upload(data, to: path, mode: mode)
        }
    }

    public func download(_ path: String) async throws(ConnectionError) -> Data {
        try await run { session throws(SessionFailure) in
            try session.download(path)
        }
    }

    public func close() async {
        await thread.perform({ $0.close() }, whenStopped: ())
        thread.stop()
    }

    private func run<T: Sendable>(
        _ operation: @escaping @Sendable (LibSSHSession) throws(SessionFailure) -> T
    ) async throws(ConnectionError) -> T {
        let closed = SessionFailure(.disconnected, "the connection was closed")
        let result = await thread.perform({ $0.run(operation) }, whenStopped: .failure(closed))
        switch result {
        case .success(let value): return value
        case .failure(let failure): throw failure.connectionError(host: options.displayName)
        }
    }
}

/// The session of one host, owned by its session thread.
final class HostSession {
    let options: SSHConnectionOptions
    private var session: LibSSHSession?
    private var closed = false

    init(options: SSHConnectionOptions) {
        self.options = options
    }

    /// Runs `operation` on a live session: connects when there is none, and reconnects once when the
    /// server dropped the old one before the operation reached it.
    func run<T>(_ operation: (LibSSHSession) throws(SessionFailure) -> T) -> Result<T, SessionFailure> {
        if closed { return .failure(SessionFailure(.disconnected, "the connection was closed")) }
        var reused = false
        if let current = session, current.isConnected {
            reused = true
        } else {
            let hadSession = session != nil
            session = nil
            if let failure = openSession(afterDrop: hadSession) { return .failure(failure) }
        }
        do throws(SessionFailure) {
            guard let live = session else { return .failure(SessionFailure(.disconnected, "no session")) }
            return .success(try operation(live))
        } catch {
            if !error.safeToRetry || !reused {
                if session?.isConnected != true { session = nil }
                return .failure(error)
            }
        }
        // The server closed the idle session (sshd restart, idle timeout): nothing ran, try once more.
        session = nil
        if let failure = openSession(afterDrop: true) { return .failure(failure) }
        do throws(SessionFailure) {
            guard let live = session else { return .failure(SessionFailure(.disconnected, "no session")) }
            return .success(try operation(live))
        } catch {
            if session?.isConnected != true { session = nil }
            return .failure(error)
        }
    }

    func sendKeepalive() {
        session?.sendKeepalive()
    }

    func close() {
        session = nil
        closed = true
    }

    private func openSession(afterDrop: Bool) -> SessionFailure? {
        do throws(SessionFailure) {
            session = try LibSSHSession.open(options.endpoint, through: options.jumpHosts, options: options)
            return nil
        } catch {
            guard afterDrop else { return error }
            let kind = error.kind == .disconnected ? .unreachable : error.kind
            return SessionFailure(kind, "the connection dropped and reconnecting failed: \(error.message)")
        }
    }
}
