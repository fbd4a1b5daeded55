/// A point-in-time copy of every counter, rendered as JSON (machines) or HTML (people).
struct StatsReport: Sendable {
    struct Server: Sendable {
        var name: String
        var address: String
        var state: String
        var weight: Int
        var backup: Bool
        var maxConnections: Int?
        var activeRequests: Int
        var requests: Int
        var connectionsOpened: Int
        var connectErrors: Int
        var responseErrors: Int
        var retries: Int
        var redispatches: Int
        var failedChecks: Int
        var downTransitions: Int
        var responses: [(String, Int)]
        var checked: Bool
        var checkStatus: String
        var lastChange: Int
        var lastChangeReason: String
    }

    struct Backend: Sendable {
        var name: String
        var algorithm: String
        var queueLength: Int
        var queuedTotal: Int
        var unavailableResponses: Int
        var servers: [Server]
    }

    struct Frontend: Sendable {
        var name: String
        var bind: String
        var currentConnections: Int
        var totalConnections: Int
        var rejectedConnections: Int
        var requests: Int
        var deniedRequests: Int
        var localResponses: Int
        var responses: [(String, Int)]
    }

    var now: Int
    var startedAt: Int
    var loadedAt: Int
    var draining: Bool
    var frontends: [Frontend]
    var backends: [Backend]

    /// Collects the counters of `snapshot`.
    init(snapshot: RuntimeSnapshot, runtime: BalancerRuntime) {
        now = wallClockSeconds()
        startedAt = runtime.startedAt
        loadedAt = snapshot.loadedAt
        draining = runtime.draining.load(ordering: .relaxed)
        frontends = snapshot.configuration.frontends.compactMap { config in
            guard let counters = snapshot.frontends[config.name]?.counters else { return nil }
            return Frontend(
                name: config.name, bind: config.bind.description,
                currentConnections: counters.currentConnections.load(ordering: .relaxed),
                totalConnections: counters.totalConnections.load(ordering: .relaxed),
                rejectedConnections: counters.rejectedConnections.load(ordering: .relaxed),
                requests: counters.perLoop.requests,
                deniedRequests: counters.deniedRequests.load(ordering: .relaxed),
                localResponses: counters.localResponses.load(ordering: .relaxed),
                responses: [
                    ("2xx", counters.perLoop.success),
                    ("3xx", counters.perLoop.redirection),
                    ("4xx", counters.perLoop.clientError),
                    ("5xx", counters.perLoop.serverError),
                    ("other", counters.perLoop.informational),
                ])
        }
        backends = snapshot.configuration.backends.compactMap { config in
            guard let backend = snapshot.backends[config.name] else { return nil }
            let servers = zip(backend.servers, config.servers).map { runtime, server in
                Self.server(runtime, configuration: server)
            }
            return Backend(
                name: config.name, algorithm: config.algorithm.rawValue, queueLength: backend.queueLength,
                queuedTotal: backend.queuedTotal.load(ordering: .relaxed),
                unavailableResponses: backend.unavailableResponses.load(ordering: .relaxed), servers: servers)
        }
    }

    private static func server(_ runtime: ServerRuntime, configuration: ServerConfiguration) -> Server {
        let health = runtime.healthSnapshot
        let counters = runtime.counters
        return Server(
            name: runtime.name, address: runtime.addressDescription, state: health.isUp ? "UP" : "DOWN",
            weight: configuration.weight, backup: configuration.backup, maxConnections: configuration.maxConnections,
            activeRequests: runtime.activeRequests.load(ordering: .relaxed),
            requests: counters.perLoop.requests,
            connectionsOpened: counters.connectionsOpened.load(ordering: .relaxed),
            connectErrors: counters.connectErrors.load(ordering: .relaxed),
            responseErrors: counters.responseErrors.load(ordering: .relaxed),
            retries: counters.retries.load(ordering: .relaxed),
            redispatches: counters.redispatches.load(ordering: .relaxed),
            failedChecks: counters.failedChecks.load(ordering: .relaxed),
            downTransitions: counters.downTransitions.load(ordering: .relaxed),
            responses: [
                ("1xx", counters.perLoop.informational),
                ("2xx", counters.perLoop.success),
                ("3xx", counters.perLoop.redirection),
                ("4xx", counters.perLoop.clientError),
                ("5xx", counters.perLoop.serverError),
            ],
            checked: runtime.checked, checkStatus: health.lastCheck, lastChange: health.lastChange,
            lastChangeReason: health.lastTransitionReason)
    }
}
