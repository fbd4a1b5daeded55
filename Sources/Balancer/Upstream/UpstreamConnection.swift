import NIOCore
import NIOHTTP1

/// The side of a proxied exchange that consumes one upstream response.
protocol UpstreamResponseReceiver: AnyObject {
    /// Whether the client cannot take more data right now (upstream reads pause).
    var clientIsSaturated: Bool { get }
    func upstreamDidReceive(_ part: HTTPClientResponsePart)
    func upstreamDidFinishRead()
    func upstreamDidFail(_ failure: UpstreamFailure)
    func upstreamWritabilityDidChange(isWritable: Bool)
}

/// One HTTP/1.1 connection to a server, pooled per event loop and reused between requests.
///
/// The handler sits at the tail of the upstream channel's pipeline and is itself the connection
/// object the pool hands out; everything happens on the channel's event loop.
final class UpstreamConnection: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let server: ServerRuntime
    /// The exchange currently using the connection; nil while idle in the pool.
    weak var receiver: (any UpstreamResponseReceiver)?
    /// Requests completed on this connection; >0 means a reused connection.
    private(set) var completedRequests = 0
    private(set) var isClosed = false
    /// Called once when the channel closes, so the pool forgets the connection.
    var onClose: ((UpstreamConnection) -> Void)?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    init(server: ServerRuntime) {
        self.server = server
    }

    var isReused: Bool { completedRequests > 0 }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Writing the request

    func write(_ part: HTTPClientRequestPart) {
        context?.write(Self.wrapOutboundOut(part), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    /// Marks the current response as done; the connection may go back to the pool.
    func finishRequest() {
        completedRequests += 1
        receiver = nil
    }

    func close() {
        guard !isClosed, let context else { return }
        context.close(promise: nil)
    }

    /// Resumes reading once the client drained its buffers.
    func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }

    // MARK: Channel events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        guard let receiver else {
            // A response nobody asked for: the connection is out of sync and cannot be reused.
            context.close(promise: nil)
            return
        }
        receiver.upstreamDidReceive(part)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamDidFinishRead()
    }

    func read(context: ChannelHandlerContext) {
        if let receiver, receiver.clientIsSaturated {
            pendingRead = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        receiver?.upstreamWritabilityDidChange(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Resets and decode errors end the connection; channelInactive reports it to the exchange.
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        let receiver = self.receiver
        self.receiver = nil
        onClose?(self)
        onClose = nil
        receiver?.upstreamDidFail(.closedBeforeResponse)
        context.fireChannelInactive()
    }

    /// Closes the connection on behalf of the balancer and tells the exchange why.
    func abort(_ failure: UpstreamFailure) {
        let receiver = self.receiver
        self.receiver = nil
        close()
        receiver?.upstreamDidFail(failure)
    }
}
