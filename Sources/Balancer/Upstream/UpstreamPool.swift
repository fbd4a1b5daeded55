import NIOCore
import NIOPosix

/// Keep-alive connections to every server, for one event loop.
///
/// Each event loop has its own pool so a client connection and the upstream connection serving it
/// live on the same thread: no locks and no thread hops on the request path (HAProxy does the same
/// with its per-thread idle connection lists).
final class UpstreamPool {
    let eventLoop: any EventLoop
    /// Per server (by `poolSlot`): idle connections and the pacing of new ones.
    private var slots: [ServerSlot] = []
    /// Every open connection per server, for aborting them when the server goes DOWN.
    private var open: [ObjectIdentifier: [ObjectIdentifier: UpstreamConnection]] = [:]
    /// Idle connections kept per server; more are closed when they come back.
    static let maxIdlePerServer = 512
    /// New connections to one server that may be unproven at once (dialling, or connected but not
    /// yet answered once). See `acquire`.
    static let maxUnprovenPerServer = 4

    private struct ServerSlot {
        /// Idle connections, most recently used last.
        var idle: [UpstreamConnection] = []
        var unproven = 0
        /// Requests waiting for a connection, oldest first.
        var waiters: [Waiter] = []
    }

    /// A request waiting for a connection to a server.
    private final class Waiter {
        let server: ServerRuntime
        let timeout: TimeAmount
        let completion: (Result<UpstreamConnection, UpstreamFailure>) -> Void
        var timer: Scheduled<Void>?

        init(
            server: ServerRuntime, timeout: TimeAmount,
            completion: @escaping (Result<UpstreamConnection, UpstreamFailure>) -> Void
        ) {
            self.server = server
            self.timeout = timeout
            self.completion = completion
        }
    }

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    private func slotIndex(_ server: ServerRuntime) -> Int {
        let slot = server.poolSlot
        if slot >= slots.count {
            slots.append(contentsOf: repeatElement(ServerSlot(), count: slot + 1 - slots.count))
        }
        return slot
    }

    /// An idle connection to `server`, if one is open.
    func takeIdle(for server: ServerRuntime) -> UpstreamConnection? {
        let slot = server.poolSlot
        guard slot < slots.count else { return nil }
        while let connection = slots[slot].idle.popLast() {
            if !connection.isClosed { return connection }
        }
        return nil
    }

    /// Gets a connection to `server` when none is idle; `completion` runs on this loop.
    ///
    /// A new connection is dialled unless `pace` is set and `maxUnprovenPerServer` new connections
    /// to the server are still unproven: then the request takes the next connection to the server
    /// that frees up, and dials its own only if none did within `timeout`. A server that is slow to
    /// answer is usually slow to accept too (nginx accepts one connection per event-loop turn), so
    /// opening ever more connections while requests pile up on it only delays them further; this is
    /// where the balancer's latency tail came from.
    func acquire(
        server: ServerRuntime, timeout: TimeAmount, pace: Bool,
        completion: @escaping (Result<UpstreamConnection, UpstreamFailure>) -> Void
    ) {
        let slot = slotIndex(server)
        guard pace, slots[slot].unproven >= Self.maxUnprovenPerServer else {
            dial(server, timeout: timeout, completion: completion)
            return
        }
        let waiter = Waiter(server: server, timeout: timeout, completion: completion)
        slots[slot].waiters.append(waiter)
        waiter.timer = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            guard let position = slots[slot].waiters.firstIndex(where: { $0 === waiter }) else { return }
            slots[slot].waiters.remove(at: position)
            dial(server, timeout: timeout, completion: completion)
        }
    }

    /// Opens a new connection to `server`.
    private func dial(
        _ server: ServerRuntime, timeout: TimeAmount,
        completion: @escaping (Result<UpstreamConnection, UpstreamFailure>) -> Void
    ) {
        let slot = slotIndex(server)
        slots[slot].unproven += 1
        connect(to: server, timeout: timeout) { [self] result in
            switch result {
            case .success(let connection):
                // Still unproven until its first response (see `release`) or its end (see `register`).
                connection.isUnproven = true
            case .failure:
                slots[slot].unproven -= 1
                serveWaiters(slot)
            }
            completion(result)
        }
    }

    /// Opens a new connection to `server`; `completion` runs on this loop.
    func connect(
        to server: ServerRuntime, timeout: TimeAmount,
        completion: @escaping (Result<UpstreamConnection, UpstreamFailure>) -> Void
    ) {
        server.counters.connectionsOpened.add(1, ordering: .relaxed)
        // Only NIOPosix loops can dial; anything else (an embedded test loop) fails like a refused connect.
        guard let bootstrap = ClientBootstrap(validatingGroup: eventLoop) else {
            completion(.failure(.connectFailed("event loop cannot open sockets")))
            return
        }
        let configured = bootstrap
            .connectTimeout(timeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnection(server: server))
                }
            }
        configured.connect(to: server.address).assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let channel):
                do {
                    let connection = try channel.pipeline.syncOperations.handler(type: UpstreamConnection.self)
                    register(connection)
                    completion(.success(connection))
                } catch {
                    channel.close(promise: nil)
                    completion(.failure(.connectFailed("\(error)")))
                }
            case .failure(let error):
                completion(.failure(UpstreamFailure(connectError: error)))
            }
        }
    }

    /// Returns a connection whose response completed; it serves the oldest waiting request or a later one.
    func release(_ connection: UpstreamConnection) {
        guard !connection.isClosed else { return }
        let slot = slotIndex(connection.server)
        if connection.isUnproven {
            connection.isUnproven = false
            slots[slot].unproven -= 1
        }
        if !slots[slot].waiters.isEmpty {
            let waiter = slots[slot].waiters.removeFirst()
            waiter.timer?.cancel()
            waiter.completion(.success(connection))
            serveWaiters(slot)
            return
        }
        if slots[slot].idle.count >= Self.maxIdlePerServer {
            connection.close()
        } else {
            slots[slot].idle.append(connection)
        }
        serveWaiters(slot)
    }

    /// Dials for waiting requests while the pacing allows.
    private func serveWaiters(_ slot: Int) {
        while !slots[slot].waiters.isEmpty, slots[slot].unproven < Self.maxUnprovenPerServer {
            let waiter = slots[slot].waiters.removeFirst()
            waiter.timer?.cancel()
            if let idle = slots[slot].idle.popLast(), !idle.isClosed {
                waiter.completion(.success(idle))
            } else {
                dial(waiter.server, timeout: waiter.timeout, completion: waiter.completion)
            }
        }
    }

    /// Closes every connection to `server`: in-flight exchanges are told and retry elsewhere.
    func abortAll(to server: ServerRuntime) {
        let key = ObjectIdentifier(server)
        if server.poolSlot < slots.count { slots[server.poolSlot].idle = [] }
        for connection in open[key]?.values.map({ $0 }) ?? [] {
            connection.abort(.serverMarkedDown)
        }
    }

    /// Closes idle connections (drain, reload of removed servers).
    func closeIdle() {
        var all: [UpstreamConnection] = []
        for slot in slots.indices {
            all += slots[slot].idle
            slots[slot].idle = []
        }
        for connection in all { connection.close() }
    }

    private func register(_ connection: UpstreamConnection) {
        let serverKey = ObjectIdentifier(connection.server)
        open[serverKey, default: [:]][ObjectIdentifier(connection)] = connection
        connection.onClose = { [weak self] closed in
            guard let self else { return }
            let key = ObjectIdentifier(closed.server)
            open[key]?[ObjectIdentifier(closed)] = nil
            if open[key]?.isEmpty == true { open[key] = nil }
            let slot = slotIndex(closed.server)
            slots[slot].idle.removeAll { $0 === closed }
            if closed.isUnproven {
                closed.isUnproven = false
                slots[slot].unproven -= 1
                serveWaiters(slot)
            }
        }
    }
}
