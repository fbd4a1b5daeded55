import NIOCore
import NIOPosix

/// Keep-alive connections to every server, for one event loop.
///
/// Each event loop has its own pool so a client connection and the upstream connection serving it
/// live on the same thread: no locks and no thread hops on the request path (HAProxy does the same
/// with its per-thread idle connection lists).
final class UpstreamPool {
    let eventLoop: any EventLoop
    /// Idle connections per server (by `poolSlot`), most recently used last.
    private var idle: [[UpstreamConnection]] = []
    /// Every open connection per server, for aborting them when the server goes DOWN.
    private var open: [ObjectIdentifier: [ObjectIdentifier: UpstreamConnection]] = [:]
    /// Idle connections kept per server; more are closed when they come back.
    static let maxIdlePerServer = 512

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// An idle connection to `server`, if one is open.
    func takeIdle(for server: ServerRuntime) -> UpstreamConnection? {
        let slot = server.poolSlot
        guard slot < idle.count else { return nil }
        while let connection = idle[slot].popLast() {
            if !connection.isClosed { return connection }
        }
        return nil
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

    /// Returns a connection whose response completed; it serves a later request.
    func release(_ connection: UpstreamConnection) {
        guard !connection.isClosed else { return }
        let slot = connection.server.poolSlot
        if slot >= idle.count {
            idle.append(contentsOf: repeatElement([], count: slot + 1 - idle.count))
        }
        if idle[slot].count >= Self.maxIdlePerServer {
            connection.close()
        } else {
            idle[slot].append(connection)
        }
    }

    /// Closes every connection to `server`: in-flight exchanges are told and retry elsewhere.
    func abortAll(to server: ServerRuntime) {
        let key = ObjectIdentifier(server)
        if server.poolSlot < idle.count { idle[server.poolSlot] = [] }
        for connection in open[key]?.values.map({ $0 }) ?? [] {
            connection.abort(.serverMarkedDown)
        }
    }

    /// Closes idle connections (drain, reload of removed servers).
    func closeIdle() {
        let all = idle
        idle = []
        for connections in all {
            for connection in connections { connection.close() }
        }
    }

    private func register(_ connection: UpstreamConnection) {
        let serverKey = ObjectIdentifier(connection.server)
        open[serverKey, default: [:]][ObjectIdentifier(connection)] = connection
        connection.onClose = { [weak self] closed in
            guard let self else { return }
            let key = ObjectIdentifier(closed.server)
            open[key]?[ObjectIdentifier(closed)] = nil
            if open[key]?.isEmpty == true { open[key] = nil }
            let slot = closed.server.poolSlot
            if slot < idle.count { idle[slot].removeAll { $0 === closed } }
        }
    }
}
