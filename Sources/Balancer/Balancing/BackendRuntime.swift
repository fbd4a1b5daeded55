import NIOCore
import Synchronization

/// Live state of one backend: its servers, the balancing state and the queue of waiting requests.
public final class BackendRuntime: Sendable {
    /// The configuration this runtime was built from.
    public let configuration: BackendConfiguration
    /// Servers in configuration order.
    public let servers: [ServerRuntime]
    /// Requests that got 503 because no server was up, the queue was full or timed out.
    let unavailableResponses = Atomic<Int>(0)
    /// Requests that waited in the queue.
    let queuedTotal = Atomic<Int>(0)
    private let state: Mutex<State>
    /// Whether a request can ever wait for a slot (some server has a maxconn).
    private let canQueue: Bool
    /// Round robin over equal weights, no backup and no maxconn: while every server is UP the pick
    /// is a shared counter modulo the server count, taken without the lock (see `acquire`).
    private let counterRoundRobin: Bool
    private let roundRobinCounter = Atomic<Int>(0)

    /// Result of asking for a server.
    enum Acquisition {
        /// A server slot was taken; release it with `release(_:)`.
        case acquired(ServerRuntime)
        /// Every server is busy; the future completes with a server when a slot frees up.
        case queued(EventLoopFuture<ServerRuntime>)
        /// No server can take the request (all DOWN, or the queue is full).
        case unavailable
    }

    /// Why a queued request got no server.
    struct QueueTimeout: Error {}

    private struct Waiter {
        let id: Int
        let promise: EventLoopPromise<ServerRuntime>
        let hashKey: UInt64
    }

    private struct State {
        var selection: ServerSelection
        var waiters: [Waiter] = []
        var nextWaiterID = 0
    }

    /// Creates the runtime for `configuration`, reusing `servers` (one per configured server, same order).
    init(configuration: BackendConfiguration, servers: [ServerRuntime]) {
        self.configuration = configuration
        self.servers = servers
        self.canQueue = configuration.servers.contains { $0.maxConnections != nil }
        let weights = Set(configuration.servers.map(\.weight))
        self.counterRoundRobin =
            configuration.algorithm == .roundRobin && !canQueue && !servers.isEmpty && weights.count == 1
            && (weights.first ?? 0) > 0 && !configuration.servers.contains { $0.backup }
        self.state = Mutex(
            State(
                selection: ServerSelection(
                    algorithm: configuration.algorithm, weights: configuration.servers.map(\.weight))))
    }

    /// The backend's name.
    public var name: String { configuration.name }

    /// Current number of queued requests.
    var queueLength: Int { state.withLock { $0.waiters.count } }

    /// Takes a slot on a server for one request, avoiding the servers in `excluding`.
    ///
    /// Both event loops ask for every request. A lock here is held for a moment only, but when the
    /// thread holding it is preempted (often, on a busy machine) the other loop sleeps on it with all
    /// its connections. So the common case takes no lock: plain round robin while every server is UP
    /// is an atomic counter. Everything else (weights, DOWN servers, retries avoiding a server,
    /// leastconn, source, maxconn queues) goes through the locked selection.
    func acquire(hashKey: UInt64, excluding: TriedServers, eventLoop: any EventLoop, queueTimeout: TimeAmount)
        -> Acquisition
    {
        if counterRoundRobin, excluding.isEmpty, servers.allSatisfy({ $0.isUp }) {
            let turn = UInt(bitPattern: roundRobinCounter.wrappingAdd(1, ordering: .relaxed).oldValue)
            let server = servers[Int(turn % UInt(servers.count))]
            server.activeRequests.add(1, ordering: .relaxed)
            return .acquired(server)
        }
        let result: Acquisition = state.withLock { state in
            let outcome = withCandidates(excluding: excluding) { state.selection.pick($0, hashKey: hashKey) }
            switch outcome {
            case .server(let index):
                servers[index].activeRequests.add(1, ordering: .relaxed)
                return .acquired(servers[index])
            case .noServer:
                return .unavailable
            case .allBusy:
                guard state.waiters.count < configuration.queueLimit else { return .unavailable }
                let promise = eventLoop.makePromise(of: ServerRuntime.self)
                let id = state.nextWaiterID
                state.nextWaiterID += 1
                state.waiters.append(Waiter(id: id, promise: promise, hashKey: hashKey))
                scheduleQueueTimeout(id: id, promise: promise, eventLoop: eventLoop, after: queueTimeout)
                return .queued(promise.futureResult)
            }
        }
        switch result {
        case .unavailable: unavailableResponses.add(1, ordering: .relaxed)
        case .queued: queuedTotal.add(1, ordering: .relaxed)
        case .acquired: break
        }
        return result
    }

    /// Gives a slot back and hands it to the oldest queued request, if any.
    func release(_ server: ServerRuntime) {
        server.activeRequests.subtract(1, ordering: .relaxed)
        if canQueue { dispatchQueued() }
    }

    /// Assigns free slots to queued requests in arrival order.
    func dispatchQueued() {
        guard canQueue else { return }
        var granted: [(EventLoopPromise<ServerRuntime>, ServerRuntime)] = []
        state.withLock { state in
            while let waiter = state.waiters.first {
                let outcome = withCandidates(excluding: TriedServers()) {
                    state.selection.pick($0, hashKey: waiter.hashKey)
                }
                guard case .server(let index) = outcome else { break }
                servers[index].activeRequests.add(1, ordering: .relaxed)
                state.waiters.removeFirst()
                granted.append((waiter.promise, servers[index]))
            }
        }
        // Completing promises runs callbacks; never do that while holding the lock.
        for (promise, server) in granted { promise.succeed(server) }
    }

    private func scheduleQueueTimeout(
        id: Int, promise: EventLoopPromise<ServerRuntime>, eventLoop: any EventLoop, after timeout: TimeAmount
    ) {
        let scheduled = eventLoop.scheduleTask(in: timeout) { [self] in
            let removed = state.withLock { state -> Bool in
                guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
                state.waiters.remove(at: position)
                return true
            }
            if removed {
                unavailableResponses.add(1, ordering: .relaxed)
                promise.fail(QueueTimeout())
            }
        }
        promise.futureResult.whenSuccess { _ in scheduled.cancel() }
    }

    /// Lays out the servers' current state on the stack for the selection.
    private func withCandidates<Result>(
        excluding: TriedServers, _ body: (UnsafeBufferPointer<ServerSelection.Candidate>) -> Result
    ) -> Result {
        let configurations = configuration.servers
        return withUnsafeTemporaryAllocation(of: ServerSelection.Candidate.self, capacity: servers.count) { buffer in
            for index in servers.indices {
                let runtime = servers[index]
                let config = configurations[index]
                buffer.initializeElement(
                    at: index,
                    to: ServerSelection.Candidate(
                        weight: config.weight,
                        backup: config.backup,
                        available: runtime.isAvailable(),
                        activeRequests: runtime.activeRequests.load(ordering: .relaxed),
                        maxConnections: config.maxConnections,
                        excluded: !excluding.isEmpty && excluding.contains(runtime)))
            }
            return body(UnsafeBufferPointer(buffer))
        }
    }
}
