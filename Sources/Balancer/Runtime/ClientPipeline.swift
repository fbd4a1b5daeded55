import NIOCore

/// Builds the handler chain of an accepted client connection: one proxy handler, which runs the
/// connection guard (client timeouts), parses request heads itself (header limits, 400 on parse
/// errors) and orders pipelined requests, so reads are not paused and resumed around every response.
enum ClientPipeline {
    /// Configures `channel` for the frontend bound at `bind`; throws to refuse the connection.
    static func configure(_ channel: any Channel, bind: BindAddress, runtime: BalancerRuntime) throws {
        let snapshot = runtime.snapshot
        guard let frontend = snapshot.configuration.frontends.first(where: { $0.bind == bind }),
            let frontendRuntime = snapshot.frontends[frontend.name],
            let worker = runtime.worker(for: channel.eventLoop)
        else {
            throw ChannelError.ioOnClosedChannel
        }
        let counters = frontendRuntime.counters
        if let limit = frontend.maxConnections, counters.currentConnections.load(ordering: .relaxed) >= limit {
            counters.rejectedConnections.add(1, ordering: .relaxed)
            throw ChannelError.ioOnClosedChannel
        }
        counters.currentConnections.add(1, ordering: .relaxed)
        counters.totalConnections.add(1, ordering: .relaxed)

        let global = snapshot.configuration.global
        let state = ClientConnectionState(now: channel.eventLoop.now)
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(
            ProxyHandler(
                runtime: runtime, worker: worker, frontendName: frontend.name, connection: state,
                guard: ClientConnectionGuard(state: state, timeouts: frontend.timeouts),
                maxHeaderBytes: global.maxHeaderBytes, maxHeaderCount: global.maxHeaderCount))
        worker.clients.value.add(channel)
        channel.closeFuture.whenComplete { _ in
            worker.clients.value.remove(channel)
            counters.currentConnections.subtract(1, ordering: .relaxed)
        }
    }
}
