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
    func acquire(hashKey: UInt64, excluding: TriedServers, eventLoop: any EventLoop, queueTimeout: TimeAmount)
        -> Acquisition
    {
        let now = NIODeadline.now()
        let result: Acquisition = state.withLock { state in
            switch state.selection.pick(candidates(excluding: excluding, now: now), hashKey: hashKey) {
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
        dispatchQueued()
    }

    /// Assigns free slots to queued requests in arrival order.
    func dispatchQueued() {
        let now = NIODeadline.now()
        var granted: [(EventLoopPromise<ServerRuntime>, ServerRuntime)] = []
        state.withLock { state in
            while let waiter = state.waiters.first {
                guard case .server(let index) = state.selection.pick(
                    candidates(excluding: TriedServers(), now: now), hashKey: waiter.hashKey)
                else { break }
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

    private func candidates(excluding: TriedServers, now: NIODeadline) -> [ServerSelection.Candidate] {
        zip(servers, configuration.servers).map { runtime, config in
            ServerSelection.Candidate(
                weight: config.weight,
                backup: config.backup,
                available: runtime.isAvailable(now: now),
                activeRequests: runtime.activeRequests.load(ordering: .relaxed),
                maxConnections: config.maxConnections,
                excluded: excluding.contains(runtime))
        }
    }
}
