import Foundation
import ModuleAPI

/// The run's cloud sessions, one per distinct resolved ``CloudConfig``, kept in the run's
/// `ServiceContainer` so that every task and host shares them.
public final class SessionRegistry: @unchecked Sendable {
    // @unchecked: `sessions` is only touched under `lock`.
    private let lock = NSLock()
    private var sessions: [CloudConfig: CloudSession] = [:]

    public init() {}

    /// The session for `config`, created on first use.
    public func session(for config: CloudConfig) -> CloudSession {
        lock.lock()
        defer { lock.unlock() }
        if let existing = sessions[config] { return existing }
        let created = CloudSession(config: config)
        sessions[config] = created
        return created
    }

    /// The registry of a run.
    public static func shared(in services: ServiceContainer) -> SessionRegistry {
        services.shared(SessionRegistry.self) { SessionRegistry() }
    }
}
