import NIOCore

/// One HTTP/1.1 connection to a server, pooled per event loop and reused between requests.
///
/// The handler is the whole pipeline of the upstream channel and is itself the connection object the
/// pool hands out: it writes request bytes and parses response heads and body framing from the bytes
/// read, handing the parts to the client side; everything happens on the channel's event loop.
final class UpstreamConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// No request in flight (idle in the pool).
        case idle
        case awaitingHead
        case body
    }

    let server: ServerRuntime
    /// The client side of the exchange using the connection; nil while idle in the pool.
    private(set) var receiver: ProxyHandler?
    /// Requests completed on this connection; >0 means a reused connection.
    private(set) var completedRequests = 0
    private(set) var isClosed = false
    /// Bytes beyond the end of a response arrived: the connection is out of step, never reuse it.
    private(set) var isOutOfStep = false
    /// Called once when the channel closes, so the pool forgets the connection.
    var onClose: ((UpstreamConnection) -> Void)?
    /// New and not answered yet: counted by the pool's pacing of new connections.
    var isUnproven = false
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private var state = State.idle
    private var inbound: ByteBuffer?
    private var headSearchResume = 0
    private var lines: [HeaderLine] = []
    private var body = BodyReader(.none)
    private var requestMethod = RequestMethod.get
    private var dechunk = false
    /// Largest response head accepted.
    static let maxHeadBytes = 64 * 1024

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

    /// Sends a request head (and the body bytes already received) for `receiver`.
    func start(request head: ByteBuffer, body: [ByteBuffer], method: RequestMethod, receiver: ProxyHandler) {
        self.receiver = receiver
        requestMethod = method
        state = .awaitingHead
        headSearchResume = 0
        guard let context else { return }
        guard !body.isEmpty else {
            context.writeAndFlush(NIOAny(head), promise: nil)
            return
        }
        context.write(NIOAny(head), promise: nil)
        for part in body { context.write(NIOAny(part), promise: nil) }
        context.flush()
    }

    func write(_ part: ByteBuffer) {
        context?.write(NIOAny(part), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    /// Marks the current response as done; the connection may go back to the pool.
    func finishRequest() {
        completedRequests += 1
        receiver = nil
        state = .idle
        // Reads paused for a saturated client must not stay paused for the connection's next user
        // (nor while it idles in the pool, where a read notices the server closing it).
        if pendingRead {
            pendingRead = false
            context?.read()
        }
    }

    func close() {
        guard !isClosed, let context else { return }
        context.close(promise: nil)
    }

    /// The client side gave up on the exchange: close without telling it anything.
    func abandon() {
        receiver = nil
        close()
    }

    /// Resumes reading once the client drained its buffers.
    func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }

    // MARK: Channel events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        guard receiver != nil, state != .idle else {
            // A response nobody asked for: the connection is out of step and cannot be reused.
            isOutOfStep = true
            context.close(promise: nil)
            return
        }
        // Worked on as a local value: one exclusive access to the property, not one per step.
        if var pending = inbound {
            inbound = nil
            pending.writeBuffer(&buffer)
            buffer = pending
        }
        process(&buffer)
        if buffer.readableBytes > 0, !isClosed, state != .idle { inbound = buffer }
    }

    /// Parses heads and follows the body through the bytes at hand, handing everything to the receiver.
    private func process(_ buffer: inout ByteBuffer) {
        while let receiver {
            switch state {
            case .idle:
                if buffer.readableBytes > 0 {
                    isOutOfStep = true
                    close()
                }
                return
            case .awaitingHead:
                let end = buffer.withUnsafeReadableBytes { HTTP1.findHeadEnd($0, from: headSearchResume) }
                guard case .found(let length) = end else {
                    if case .notYet(let resumeAt) = end { headSearchResume = resumeAt }
                    if buffer.readableBytes > Self.maxHeadBytes { abort(.invalidResponse) }
                    return
                }
                headSearchResume = 0
                let raw = buffer.readSlice(length: length)!
                let head: ResponseHead
                let framing: BodyFraming
                do {
                    head = try ResponseHead(raw: raw, lines: &lines)
                    framing = try head.framing(requestMethod: requestMethod)
                } catch {
                    abort(.invalidResponse)
                    return
                }
                // Interim responses (100 Continue, 103 Early Hints) are not passed on.
                guard head.status >= 200 else { continue }
                body = BodyReader(framing)
                state = .body
                dechunk = receiver.upstreamDidReceiveHead(head, lines: lines, framing: framing)
            case .body:
                let complete: Bool
                var reader = body
                do {
                    complete = try reader.take(from: &buffer, dechunk: dechunk) { part in
                        receiver.upstreamDidReceiveBody(part)
                    }
                } catch {
                    abort(.closedDuringResponse)
                    return
                }
                body = reader
                guard complete else { return }
                if buffer.readableBytes > 0 {
                    isOutOfStep = true
                    buffer.clear()
                }
                state = .idle
                receiver.upstreamDidFinishResponse()
                return
            }
        }
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
        // Resets end the connection; channelInactive reports it to the exchange.
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        onClose?(self)
        onClose = nil
        if let receiver {
            if state == .body, body.finishAtClose() {
                // A body delimited by the end of the connection is complete now.
                state = .idle
                receiver.upstreamDidFinishResponse()
            } else {
                self.receiver = nil
                receiver.upstreamDidFail(state == .body ? .closedDuringResponse : .closedBeforeResponse)
            }
        }
        receiver = nil
        context.fireChannelInactive()
    }

    /// Closes the connection on behalf of the balancer and tells the exchange why.
    func abort(_ failure: UpstreamFailure) {
        let receiver = self.receiver
        self.receiver = nil
        state = .idle
        inbound = nil
        close()
        receiver?.upstreamDidFail(failure)
    }
}
