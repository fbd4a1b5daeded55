import NIOCore

/// Per-event-loop state: the upstream pool and the client connections served by that loop.
final class ProxyWorker: Sendable {
    let eventLoop: any EventLoop
    /// Position of the loop in the group: its slot in the per-loop statistics.
    let index: Int
    /// Upstream keep-alive connections owned by this loop.
    let pool: NIOLoopBoundBox<UpstreamPool>
    /// Open client connections, for draining.
    let clients: NIOLoopBoundBox<ClientRegistry>

    /// Creates the worker from any thread; its state is only touched on `eventLoop` afterwards.
    init(eventLoop: any EventLoop, index: Int) {
        self.eventLoop = eventLoop
        self.index = index
        self.pool = .makeBoxSendingValue(UpstreamPool(eventLoop: eventLoop), eventLoop: eventLoop)
        self.clients = .makeBoxSendingValue(ClientRegistry(), eventLoop: eventLoop)
    }
}

/// The client connections of one event loop.
final class ClientRegistry {
    private var channels: [ObjectIdentifier: any Channel] = [:]

    var count: Int { channels.count }

    func add(_ channel: any Channel) {
        channels[ObjectIdentifier(channel)] = channel
    }

    func remove(_ channel: any Channel) {
        channels[ObjectIdentifier(channel)] = nil
    }

    /// Asks every connection to finish its current response and close (idle ones close at once).
    func quiesceAll() {
        for channel in channels.values {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    func closeAll() {
        for channel in channels.values { channel.close(promise: nil) }
    }
}
