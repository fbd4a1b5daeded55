import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Live state of one configured server: health, in-flight requests and counters.
///
/// Shared by every event loop; health lives behind a mutex, hot counters are atomics.
/// A reload keeps the same object for a server whose backend, name and address did not change,
/// so health and statistics survive the reload.
public final class ServerRuntime: Sendable {
    /// Backend the server belongs to.
    public let backendName: String
    /// Server name from the configuration.
    public let name: String
    /// Resolved address the balancer dials.
    public let address: SocketAddress
    /// `host:port` as configured.
    public let addressDescription: String
    /// Whether active checks watch this server (otherwise passive DOWN expires by itself).
    public let checked: Bool
    /// A small number unique to this object, where the per-loop pools keep its idle connections.
    let poolSlot: Int
    /// Requests currently assigned to the server (leastconn, maxconn).
    let activeRequests = Atomic<Int>(0)
    /// Statistics.
    let counters: ServerCounters
    private let up = Atomic<Bool>(true)
    private let health: Mutex<HealthState>

    /// How long a server without active checks stays DOWN after a passive failure.
    static let passiveRetryDelay: TimeAmount = .seconds(2)

    /// Creates a server that starts UP, as HAProxy assumes before the first check.
    public init(
        backendName: String, configuration: ServerConfiguration, address: SocketAddress, checked: Bool, loops: Int = 1
    ) {
        self.counters = ServerCounters(loops: loops)
        self.backendName = backendName
        self.name = configuration.name
        self.address = address
        self.addressDescription = configuration.addressDescription
        self.checked = checked
        self.poolSlot = nextPoolSlot.wrappingAdd(1, ordering: .relaxed).oldValue
        self.health = Mutex(HealthState(lastChange: wallClockSeconds()))
    }

    /// Whether new requests may go to the server.
    func isAvailable() -> Bool {
        if up.load(ordering: .relaxed) { return true }
        guard !checked else { return false }
        let now = NIODeadline.now()
        // Without active checks nothing would ever bring the server back: retry it after a pause.
        return health.withLock { state in
            guard let until = state.passiveDownUntil, now >= until else { return false }
            state.passiveDownUntil = nil
            state.setUp(true, detail: "passive retry")
            up.store(true, ordering: .relaxed)
            return true
        }
    }

    /// Whether the server is currently UP.
    public var isUp: Bool { up.load(ordering: .relaxed) }

    /// Marks the server DOWN after a refused/reset/timed-out connection. Returns true when it was UP.
    @discardableResult
    func recordPassiveFailure(_ detail: String, now: NIODeadline) -> Bool {
        health.withLock { state in
            if !checked { state.passiveDownUntil = now + Self.passiveRetryDelay }
            state.consecutiveSuccesses = 0
            guard state.isUp else { return false }
            state.setUp(false, detail: "passive: \(detail)")
            up.store(false, ordering: .relaxed)
            counters.downTransitions.add(1, ordering: .relaxed)
            return true
        }
    }

    /// Applies an active check result with HAProxy's rise/fall hysteresis.
    /// Returns the new state when it changed.
    func recordCheck(success: Bool, detail: String, rise: Int, fall: Int) -> Bool? {
        health.withLock { state in
            state.lastCheck = detail
            if success {
                state.consecutiveSuccesses += 1
                state.consecutiveFailures = 0
                if !state.isUp, state.consecutiveSuccesses >= rise {
                    state.setUp(true, detail: detail)
                    up.store(true, ordering: .relaxed)
                    return true
                }
            } else {
                counters.failedChecks.add(1, ordering: .relaxed)
                state.consecutiveFailures += 1
                state.consecutiveSuccesses = 0
                if state.isUp, state.consecutiveFailures >= fall {
                    state.setUp(false, detail: detail)
                    up.store(false, ordering: .relaxed)
                    counters.downTransitions.add(1, ordering: .relaxed)
                    return false
                }
            }
            return nil
        }
    }

    /// A consistent copy of the health state for statistics.
    var healthSnapshot: HealthState { health.withLock { $0 } }

    /// Whether another runtime describes the same server (so a reload can keep this one).
    func isSameServer(backend: String, configuration: ServerConfiguration, checked: Bool) -> Bool {
        backendName == backend && name == configuration.name
            && addressDescription == configuration.addressDescription && self.checked == checked
    }
}

/// Health of a server as the checks and passive observations see it.
struct HealthState: Sendable {
    var isUp = true
    var consecutiveSuccesses = 0
    var consecutiveFailures = 0
    /// Wall-clock seconds of the last UP/DOWN transition (or of creation).
    var lastChange: Int
    /// Result of the last active check or passive observation, e.g. `L7OK 200`, `L4CON refused`.
    var lastCheck = "none"
    /// Why the server last changed state.
    var lastTransitionReason = "initial"
    var passiveDownUntil: NIODeadline?

    mutating func setUp(_ isUp: Bool, detail: String) {
        self.isUp = isUp
        lastChange = wallClockSeconds()
        lastTransitionReason = detail
        if !detail.isEmpty { lastCheck = detail }
    }
}

/// Per-server statistics, updated lock-free.
final class ServerCounters: Sendable {
    /// Requests and responses by class, per event loop.
    let perLoop: RequestCounters
    let connectionsOpened = Atomic<Int>(0)
    let connectErrors = Atomic<Int>(0)
    let responseErrors = Atomic<Int>(0)
    let retries = Atomic<Int>(0)
    let redispatches = Atomic<Int>(0)
    let failedChecks = Atomic<Int>(0)
    let downTransitions = Atomic<Int>(0)

    init(loops: Int) {
        perLoop = RequestCounters(loops: loops)
    }
}

/// The next `ServerRuntime.poolSlot`.
private let nextPoolSlot = Atomic<Int>(0)

/// Seconds since the Unix epoch.
func wallClockSeconds() -> Int {
    Int(time(nil))
}
