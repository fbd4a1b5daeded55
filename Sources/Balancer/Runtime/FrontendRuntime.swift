import NIOCore

import Synchronization

/// Live state of a frontend: its configuration and counters.
public final class FrontendRuntime: Sendable {
    /// The frontend's configuration.
    public let configuration: FrontendConfiguration
    /// Counters, kept across reloads for a frontend of the same name.
    let counters: FrontendCounters

    init(configuration: FrontendConfiguration, counters: FrontendCounters) {
        self.configuration = configuration
        self.counters = counters
    }

    /// The backend name for a request, by the first matching rule or the default backend.
    func backendName(uri: String, host: String?) -> String {
        for rule in configuration.rules where rule.matches(uri: uri, hostHeader: host) {
            return rule.backend
        }
        return configuration.defaultBackend
    }
}

/// Frontend statistics.
final class FrontendCounters: Sendable {
    let currentConnections = Atomic<Int>(0)
    let totalConnections = Atomic<Int>(0)
    let rejectedConnections = Atomic<Int>(0)
    let deniedRequests = Atomic<Int>(0)
    let localResponses = Atomic<Int>(0)
    /// Requests and responses by class, per event loop.
    let perLoop: RequestCounters

    init(loops: Int) {
        perLoop = RequestCounters(loops: loops)
    }
}

/// One consistent view of the configuration in force: frontends and backends by name.
///
/// A reload builds a new snapshot and swaps it in; requests already running keep the one they started with.
public final class RuntimeSnapshot: Sendable {
    /// The configuration this snapshot was built from.
    public let configuration: BalancerConfiguration
    /// Frontends by name.
    public let frontends: [String: FrontendRuntime]
    /// Backends by name.
    public let backends: [String: BackendRuntime]
    /// When the snapshot became active (wall-clock seconds).
    public let loadedAt: Int

    init(configuration: BalancerConfiguration, frontends: [String: FrontendRuntime], backends: [String: BackendRuntime])
    {
        self.configuration = configuration
        self.frontends = frontends
        self.backends = backends
        self.loadedAt = wallClockSeconds()
    }

    /// Every server of every backend.
    var allServers: [ServerRuntime] {
        configuration.backends.compactMap { backends[$0.name] }.flatMap(\.servers)
    }

    /// Builds the runtime objects for `configuration`, reusing servers and counters of `previous`
    /// where the same backend/server/address exists, so health and statistics survive a reload.
    static func build(
        _ configuration: BalancerConfiguration, resolvedAddresses: [String: [SocketAddress]],
        previous: RuntimeSnapshot?
    ) -> RuntimeSnapshot {
        // Event loops of the process: the per-loop statistics have one slot each.
        let loops = max(1, configuration.global.threads ?? System.coreCount)
        var backends: [String: BackendRuntime] = [:]
        for backend in configuration.backends {
            let checked = backend.healthCheck != nil
            let addresses = resolvedAddresses[backend.name] ?? []
            let servers = zip(backend.servers, addresses).map { server, address -> ServerRuntime in
                if let old = previous?.backends[backend.name]?.servers.first(where: {
                    $0.isSameServer(backend: backend.name, configuration: server, checked: checked && server.checked)
                }) {
                    return old
                }
                return ServerRuntime(
                    backendName: backend.name, configuration: server, address: address,
                    checked: checked && server.checked, loops: loops)
            }
            backends[backend.name] = BackendRuntime(configuration: backend, servers: servers)
        }
        var frontends: [String: FrontendRuntime] = [:]
        for frontend in configuration.frontends {
            let counters = previous?.frontends[frontend.name]?.counters ?? FrontendCounters(loops: loops)
            frontends[frontend.name] = FrontendRuntime(configuration: frontend, counters: counters)
        }
        return RuntimeSnapshot(configuration: configuration, frontends: frontends, backends: backends)
    }
}
