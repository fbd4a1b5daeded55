import NIOCore
import NIOPosix

/// The outcome of one active check, with HAProxy-style status text (`L7OK 200`, `L4CON …`).
struct HealthProbeResult: Sendable, Equatable {
    var healthy: Bool
    var detail: String
}

/// Sends one HTTP check request over a fresh connection and reads the status line.
enum HealthProbe {
    /// Runs one check against `server`; the future always succeeds with the verdict.
    static func run(
        server: ServerRuntime, settings: HealthCheckSettings, connectTimeout: TimeAmount, readTimeout: TimeAmount,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<HealthProbeResult> {
        let promise = eventLoop.makePromise(of: HealthProbeResult.self)
        let host = settings.host ?? server.addressDescription
        let request = "\(settings.method) \(settings.path) HTTP/1.1\r\nHost: \(host)\r\n"
            + "User-Agent: stackplay-balancer-check\r\nConnection: close\r\n\r\n"
        let expected = settings.expectedStatuses
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        StatusLineReader(request: request, expected: expected, promise: promise))
                }
            }
        bootstrap.connect(to: server.address).whenComplete { result in
            switch result {
            case .success(let channel):
                let timeout = channel.eventLoop.scheduleTask(in: readTimeout) {
                    promise.succeed(HealthProbeResult(healthy: false, detail: "L7TOUT"))
                    channel.close(promise: nil)
                }
                promise.futureResult.whenComplete { _ in
                    timeout.cancel()
                    channel.close(promise: nil)
                }
            case .failure(let error):
                let failure = UpstreamFailure(connectError: error)
                let detail = failure == .connectTimeout ? "L4TOUT" : "L4CON \(failure.summary)"
                promise.succeed(HealthProbeResult(healthy: false, detail: detail))
            }
        }
        return promise.futureResult
    }
}

/// Writes the check request on connect and completes the promise from the response status line.
private final class StatusLineReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: String
    private let expected: ExpectedStatuses
    private let promise: EventLoopPromise<HealthProbeResult>
    private var received: [UInt8] = []

    init(request: String, expected: ExpectedStatuses, promise: EventLoopPromise<HealthProbeResult>) {
        self.request = request
        self.expected = expected
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        let buffer = context.channel.allocator.buffer(string: request)
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        received.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        guard let lineEnd = received.firstIndex(of: UInt8(ascii: "\n")) else {
            if received.count > 1024 { finish(healthy: false, detail: "L7RSP status line too long") }
            return
        }
        let line = String(decoding: received[..<lineEnd], as: UTF8.self)
        let fields = line.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), let status = Int(fields[1]) else {
            finish(healthy: false, detail: "L7RSP invalid response")
            return
        }
        let healthy = expected.contains(status)
        finish(healthy: healthy, detail: healthy ? "L7OK \(status)" : "L7STS \(status)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(healthy: false, detail: "L7RSP connection closed")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(healthy: false, detail: "L4CON \(error)")
        context.close(promise: nil)
    }

    private func finish(healthy: Bool, detail: String) {
        // Late events (close after the verdict) find the promise completed; that is fine to ignore.
        promise.futureResult.eventLoop.assertInEventLoop()
        promise.completeWith(.success(HealthProbeResult(healthy: healthy, detail: detail)))
    }
}
