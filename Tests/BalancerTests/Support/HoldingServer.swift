import NIOCore
import NIOPosix
import Synchronization

/// An HTTP server that reads requests and never answers: a busy or hung backend.
final class HoldingServer: Sendable {
    let channel: any Channel
    let received = Mutex<Int>(0)

    private init(channel: any Channel) {
        self.channel = channel
    }

    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> HoldingServer {
        let counter = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Swallower(counter: counter))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = HoldingServer(channel: channel)
        counter.owner.withLock { $0 = server }
        return server
    }

    func waitForRequests(_ count: Int) async throws {
        for _ in 0..<100 {
            if received.withLock({ $0 }) >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FixtureError("the holding server saw fewer than \(count) requests")
    }

    func stop() async {
        try? await channel.close()
    }

    final class Counter: Sendable {
        let owner = Mutex<HoldingServer?>(nil)
        func increment() { owner.withLock { $0?.received.withLock { $0 += 1 } } }
    }

    private final class Swallower: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let counter: Counter
        init(counter: Counter) { self.counter = counter }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = Self.unwrapInboundIn(data)
            if buffer.readableBytesView.contains(UInt8(ascii: "\n")) { counter.increment() }
        }
    }
}
