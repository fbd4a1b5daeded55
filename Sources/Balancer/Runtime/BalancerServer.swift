import NIOCore
import NIOPosix
import Synchronization

/// A running balancer: listening frontends, event loops, health checks, reload and drain.
public final class BalancerServer: Sendable {
    /// The event loops serving clients and upstream connections.
    public let group: MultiThreadedEventLoopGroup
    /// Shared state, exposed for statistics and tests.
    public let runtime: BalancerRuntime
    private let monitor: HealthMonitor
    private let eventLoops: [any EventLoop]
    private let listeners = Mutex<[BindAddress: any Channel]>([:])
    private let ownsGroup: Bool
    private let flushTask: RepeatedTask?

    private init(
        group: MultiThreadedEventLoopGroup, ownsGroup: Bool, runtime: BalancerRuntime, eventLoops: [any EventLoop]
    ) {
        self.group = group
        self.ownsGroup = ownsGroup
        self.runtime = runtime
        self.eventLoops = eventLoops
        self.monitor = HealthMonitor(runtime: runtime)
        if let log = runtime.accessLog, let first = eventLoops.first {
            flushTask = first.scheduleRepeatedTask(initialDelay: .milliseconds(200), delay: .milliseconds(200)) { _ in
                log.flush()
            }
        } else {
            flushTask = nil
        }
    }

    /// Resolves the servers, binds every frontend and starts the health checks.
    ///
    /// - Parameters:
    ///   - configuration: What to run.
    ///   - source: Name of the configuration's origin for error messages.
    public static func start(_ configuration: BalancerConfiguration, source: String = "configuration") async throws
        -> BalancerServer
    {
        let addresses = try configuration.resolveServerAddresses(source: source)
        let accessLog = try configuration.global.accessLog.map { try AccessLog(destination: $0) }
        let threads = configuration.global.threads ?? System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let loops = Array(group.makeIterator())
        let snapshot = RuntimeSnapshot.build(configuration, resolvedAddresses: addresses, previous: nil)
        let runtime = BalancerRuntime(snapshot: snapshot, eventLoops: loops, accessLog: accessLog)
        let server = BalancerServer(group: group, ownsGroup: true, runtime: runtime, eventLoops: loops)
        do {
            for frontend in configuration.frontends {
                try await server.bind(frontend.bind)
            }
        } catch {
            await server.stop()
            throw ConfigurationError(file: source, message: "cannot bind: \(error)")
        }
        server.monitor.start(for: snapshot, eventLoops: loops)
        return server
    }

    /// The address a frontend actually listens on (useful with port 0).
    public func localAddress(of bind: BindAddress) -> SocketAddress? {
        listeners.withLock { $0[bind]?.localAddress }
    }

    /// The listening addresses of every frontend, in configuration order.
    public var localAddresses: [SocketAddress] {
        runtime.snapshot.configuration.frontends.compactMap { localAddress(of: $0.bind) }
    }

    /// Swaps in a new configuration without dropping connections: in-flight requests finish with
    /// the old one, new requests use the new one. Throws (and keeps the old configuration) when the
    /// new one cannot be applied.
    public func reload(_ configuration: BalancerConfiguration, source: String = "configuration") async throws {
        let addresses = try configuration.resolveServerAddresses(source: source)
        let previous = runtime.snapshot
        let snapshot = RuntimeSnapshot.build(configuration, resolvedAddresses: addresses, previous: previous)
        let oldBinds = Set(previous.configuration.frontends.map(\.bind))
        let newBinds = Set(configuration.frontends.map(\.bind))
        var opened: [BindAddress] = []
        do {
            for bind in newBinds.subtracting(oldBinds) {
                try await self.bind(bind)
                opened.append(bind)
            }
        } catch {
            for bind in opened { await closeListener(bind) }
            throw ConfigurationError(file: source, message: "cannot bind: \(error)")
        }
        runtime.install(snapshot)
        monitor.start(for: snapshot, eventLoops: eventLoops)
        for bind in oldBinds.subtracting(newBinds) { await closeListener(bind) }
    }

    /// Stops accepting, lets in-flight requests finish (up to `timeout`), then shuts down.
    public func drainAndStop(timeout: TimeAmount) async {
        runtime.draining.store(true, ordering: .relaxed)
        for bind in listeners.withLock({ Array($0.keys) }) { await closeListener(bind) }
        for worker in runtime.workers.values {
            worker.eventLoop.execute { worker.clients.value.quiesceAll() }
        }
        let deadline = NIODeadline.now() + timeout
        while NIODeadline.now() < deadline, await openClientConnections() > 0 {
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        await stop()
    }

    /// Closes everything at once.
    public func stop() async {
        monitor.stop()
        flushTask?.cancel()
        for bind in listeners.withLock({ Array($0.keys) }) { await closeListener(bind) }
        for worker in runtime.workers.values {
            try? await worker.eventLoop.submit {
                worker.clients.value.closeAll()
                worker.pool.value.closeIdle()
            }.get()
        }
        runtime.accessLog?.flush()
        if ownsGroup { try? await group.shutdownGracefully() }
    }

    /// Client connections still open on every loop.
    public func openClientConnections() async -> Int {
        var total = 0
        for worker in runtime.workers.values {
            total += (try? await worker.eventLoop.submit { worker.clients.value.count }.get()) ?? 0
        }
        return total
    }

    private func bind(_ bind: BindAddress) async throws {
        let runtime = self.runtime
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try ClientPipeline.configure(channel, bind: bind, runtime: runtime)
                }
            }
            .bind(host: bind.host, port: bind.port)
            .get()
        listeners.withLock { $0[bind] = channel }
    }

    private func closeListener(_ bind: BindAddress) async {
        let channel = listeners.withLock { $0.removeValue(forKey: bind) }
        try? await channel?.close()
    }
}
