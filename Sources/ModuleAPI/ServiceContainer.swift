import Foundation

/// Run-wide shared state keyed by type, created on first use: one OpenStack session (token,
/// catalog, connection pool) per cloud for the whole run, shared by all tasks and hosts.
public final class ServiceContainer: @unchecked Sendable {
    // @unchecked: every access to `services` goes through `lock`.
    private let lock = NSLock()
    private var services: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    /// The shared instance of `type`, made by `make` the first time it is asked for.
    public func shared<Service: Sendable>(_ type: Service.Type, make: () throws -> Service) rethrows -> Service {
        lock.lock()
        defer { lock.unlock() }
        if let existing = services[ObjectIdentifier(type)] as? Service { return existing }
        let created = try make()
        services[ObjectIdentifier(type)] = created
        return created
    }
}
