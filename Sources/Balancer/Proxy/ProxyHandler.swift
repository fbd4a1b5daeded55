import NIOCore
import NIOHTTP1

/// The client side of the proxy: parses request heads from the connection's bytes, orders pipelined
/// requests, picks a server per request, streams the request up and the response down.
///
/// Heads are parsed in place and forwarded as the bytes received (minus hop-by-hop headers, plus the
/// X-Forwarded-* ones); bodies are passed on as slices of the buffers read, never re-encoded.
/// Backpressure both ways follows NIO's `GlueHandler`: client reads pause while the upstream
/// connection is not ready or not writable, upstream reads pause while the client is not writable.
final class ProxyHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let runtime: BalancerRuntime
    let worker: ProxyWorker
    let frontendName: String
    let connection: ClientConnectionState
    /// Client-side timeouts (http-request, http-keep-alive, client).
    private let connectionGuard: ClientConnectionGuard
    let maxHeaderBytes: Int
    let maxHeaderCount: Int
    /// This loop's upstream pool (the handler lives on the same loop).
    private let pool: UpstreamPool
    var context: ChannelHandlerContext?
    var exchange: ProxyExchange?
    var clientAddress: SocketAddress?
    var clientHashKey: UInt64 = 0

    // The configuration in force, refreshed when a reload bumps the runtime's generation.
    private var generation = -1
    private var snapshot: RuntimeSnapshot?
    private var frontend: FrontendRuntime?
    private var defaultBackend: BackendRuntime?
    /// `x-forwarded-for: <client ip>\r\n`, or nil when the frontend adds none for this client.
    private var forwardedForLine: ByteBuffer?

    /// Client bytes not consumed yet: a head still arriving, body bytes, or pipelined requests.
    private var inbound: ByteBuffer?
    private var headSearchResume = 0
    /// Header lines of the head being handled (reused between requests).
    private var lines: [HeaderLine] = []
    private var processing = false
    private var closing = false
    private var pendingClientRead = false
    private var quiescing = false
    private var upstreamNeedsFlush = false
    /// Inside a read batch of the client channel: channelReadComplete flushes the upstream side.
    private var inClientReadBatch = false
    /// Response bytes gathered during one upstream read, written to the client as one buffer.
    private var output: ByteBuffer?
    /// `timeout server`: one lazily re-armed timer per client connection, not one per request.
    private var serverTimer: Scheduled<Void>?
    private var serverTimerDeadline = NIODeadline.distantFuture

    /// Largest body part copied into the response head's buffer instead of written separately.
    static let coalesceLimit = 4096

    init(
        runtime: BalancerRuntime, worker: ProxyWorker, frontendName: String, connection: ClientConnectionState,
        guard connectionGuard: ClientConnectionGuard, maxHeaderBytes: Int, maxHeaderCount: Int
    ) {
        self.runtime = runtime
        self.worker = worker
        self.frontendName = frontendName
        self.connection = connection
        self.connectionGuard = connectionGuard
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.pool = worker.pool.value
    }

    // MARK: Client channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        clientAddress = context.channel.remoteAddress
        clientHashKey = Self.hashKey(for: clientAddress)
        if context.channel.isActive { connectionGuard.start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelServerTimer()
        connectionGuard.stop()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        clientAddress = context.channel.remoteAddress
        clientHashKey = Self.hashKey(for: clientAddress)
        connectionGuard.start(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        inClientReadBatch = true
        var buffer = Self.unwrapInboundIn(data)
        if inbound == nil {
            inbound = buffer
        } else {
            inbound!.writeBuffer(&buffer)
        }
        processInbound()
        connection.clientBytesHandled(partialRequest: exchange == nil && inbound != nil) { context.eventLoop.now }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            // Drain: idle connections close now, busy ones after their current response.
            quiescing = true
            if exchange == nil, inbound == nil { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inClientReadBatch = false
        if upstreamNeedsFlush {
            upstreamNeedsFlush = false
            exchange?.upstream?.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if mayRead {
            context.read()
        } else {
            pendingClientRead = true
        }
    }

    /// Reading stops once a whole request waits behind the current one (the pipelining buffer stays
    /// bounded) and while a request body has nowhere to go.
    private var mayRead: Bool {
        guard let exchange else { return true }
        if exchange.requestComplete { return inbound == nil }
        return exchange.upstream?.isWritable ?? false
    }

    private func resumeClientReadIfPossible() {
        guard pendingClientRead, mayRead, let context else { return }
        pendingClientRead = false
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { exchange?.upstream?.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelServerTimer()
        connectionGuard.stop()
        inbound = nil
        if let exchange {
            // The client is gone mid-exchange: the upstream connection is mid-message, never reuse it.
            self.exchange = nil
            let upstream = exchange.upstream
            exchange.upstream = nil
            upstream?.abandon()
            releaseServer(of: exchange)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Reading requests

    /// Handles what the client sent: request heads, body bytes, then pipelined requests one by one.
    private func processInbound() {
        guard !processing else { return }
        processing = true
        handleInbound()
        processing = false
        if inbound?.readableBytes == 0 { inbound = nil }
        if upstreamNeedsFlush, !inClientReadBatch {
            // Body bytes of a pipelined request started from an upstream event: no client read to wait for.
            upstreamNeedsFlush = false
            exchange?.upstream?.flush()
        }
    }

    private func handleInbound() {
        while context != nil, !closing {
            if let exchange {
                guard !exchange.requestComplete, inbound != nil else { break }
                guard forwardRequestBody(exchange) else { break }
                continue
            }
            // The bytes are worked on as a local value: one exclusive access to the property, not one per step.
            guard var buffer = inbound else { break }
            inbound = nil
            Self.skipEmptyLines(&buffer)
            guard buffer.readableBytes > 0 else { break }
            let end = buffer.withUnsafeReadableBytes { HTTP1.findHeadEnd($0, from: headSearchResume) }
            switch end {
            case .notYet(let resumeAt):
                headSearchResume = resumeAt
                if buffer.readableBytes > maxHeaderBytes + Self.requestLineAllowance {
                    rejectUnparsable(reason: "request header section too large")
                } else {
                    inbound = buffer
                }
                return
            case .found(let length):
                headSearchResume = 0
                let raw = buffer.readSlice(length: length)!
                if buffer.readableBytes > 0 { inbound = buffer }
                let head: RequestHead
                do {
                    head = try RequestHead(raw: raw, lines: &lines)
                } catch {
                    rejectUnparsable(reason: error.reason)
                    return
                }
                if lines.count > maxHeaderCount || length - head.headersStart > maxHeaderBytes {
                    rejectUnparsable(reason: "too many or too large header fields")
                    return
                }
                startExchange(head)
            }
        }
    }

    /// Room for the request line on top of the header section limit.
    static let requestLineAllowance = 8192

    /// Drops the empty lines a client may send between requests (a lone CR waits for its LF).
    private static func skipEmptyLines(_ buffer: inout ByteBuffer) {
        while let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) {
            if first == HTTP1.lf {
                buffer.moveReaderIndex(forwardBy: 1)
            } else if first == HTTP1.cr,
                buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) == HTTP1.lf
            {
                buffer.moveReaderIndex(forwardBy: 2)
            } else {
                return
            }
        }
    }

    /// Passes the request body bytes at hand on; true once the body is complete.
    private func forwardRequestBody(_ exchange: ProxyExchange) -> Bool {
        let complete: Bool
        do {
            complete = try exchange.requestBody.take(from: &inbound!, dechunk: false) { part in
                forward(part, in: exchange)
            }
        } catch {
            invalidRequestBody(exchange)
            return false
        }
        if inbound?.readableBytes == 0 { inbound = nil }
        if complete {
            exchange.requestComplete = true
            connection.requestBodyFinished()
        }
        return complete
    }

    private func forward(_ part: ByteBuffer, in exchange: ProxyExchange) {
        if let upstream = exchange.upstream {
            upstream.write(part)
            upstreamNeedsFlush = true
        } else {
            exchange.pendingBody.append(part)
        }
    }

    /// A head that cannot be parsed: 400 and close, like NIO's server error handler.
    private func rejectUnparsable(reason: String) {
        inbound = nil
        refreshSnapshot()
        frontend?.counters.perLoop.countRequest(loop: worker.index)
        frontend?.counters.deniedRequests.add(1, ordering: .relaxed)
        respondLocally(to: nil, status: .badRequest, body: reason + "\n", frontend: frontend)
    }

    /// A request body with broken chunked framing: the exchange is abandoned and the connection closed.
    private func invalidRequestBody(_ exchange: ProxyExchange) {
        inbound = nil
        if exchange.responseStatus == nil {
            let upstream = exchange.upstream
            exchange.upstream = nil
            upstream?.abandon()
            respondLocally(
                to: exchange.request, status: .badRequest, body: "invalid chunked body\n", exchange: exchange)
        } else {
            self.exchange = nil
            releaseServer(of: exchange)
            exchange.upstream?.abandon()
            closing = true
            context?.close(promise: nil)
        }
    }

    // MARK: Starting an exchange

    /// Takes the configuration in force (cheap when no reload happened since the last request).
    private func refreshSnapshot() {
        let current = runtime.generation.load(ordering: .acquiring)
        guard current != generation else { return }
        generation = current
        let snapshot = runtime.snapshot
        self.snapshot = snapshot
        frontend = snapshot.frontends[frontendName]
        defaultBackend = frontend.flatMap { snapshot.backends[$0.configuration.defaultBackend] }
        forwardedForLine = nil
        if let forwarding = frontend?.configuration.forwarding, forwarding.addForwardedFor, let client = clientAddress,
            let ip = client.ipAddress, !forwarding.forwardedForExcept.contains(where: { $0.contains(client) })
        {
            forwardedForLine = ByteBuffer(string: "x-forwarded-for: \(ip)\r\n")
        }
    }

    private func startExchange(_ head: RequestHead) {
        guard let context else { return }
        connection.exchangeStarted(expectingBody: head.hasBody)
        refreshSnapshot()
        guard let snapshot, let frontend else {
            respondLocally(to: head, status: .serviceUnavailable, body: "frontend removed by reload\n")
            return
        }
        frontend.counters.perLoop.countRequest(loop: worker.index)
        if let rejection = RequestValidation.rejection(for: head) {
            frontend.counters.deniedRequests.add(1, ordering: .relaxed)
            respondLocally(to: head, status: rejection.status, body: rejection.reason + "\n", frontend: frontend)
            return
        }
        if let statsPath = frontend.configuration.statsPath, head.method == .get || head.method == .head,
            head.pathEquals(statsPath) || head.pathEquals(statsPath, suffix: ";json")
        {
            serveStats(head, acceptsJSON: head.facts.acceptsJSON, snapshot: snapshot, frontend: frontend)
            return
        }
        let backend: BackendRuntime?
        if frontend.configuration.rules.isEmpty {
            backend = defaultBackend
        } else {
            backend = snapshot.backends[frontend.backendName(uri: head.target, host: head.value(of: .host, in: lines))]
        }
        guard let backend else {
            respondLocally(to: head, status: .serviceUnavailable, body: "no backend\n", frontend: frontend)
            return
        }
        let upstreamHead = HeaderRewriting.upstreamRequest(
            head, lines: lines, forwardedFor: forwardedForLine, forwarding: frontend.configuration.forwarding,
            allocator: context.channel.allocator)
        let exchange = ProxyExchange(
            request: head, upstreamHead: upstreamHead, frontend: frontend, backend: backend,
            logging: runtime.accessLog != nil)
        if head.hasBody {
            exchange.requestBody = BodyReader(
                head.facts.transferEncodingCount > 0 ? .chunked : .length(head.facts.contentLength ?? 0))
        } else {
            exchange.requestComplete = true
        }
        self.exchange = exchange
        dispatch(exchange)
    }

    /// Asks the backend for a server, waiting in its queue if every server is at maxconn.
    private func dispatch(_ exchange: ProxyExchange) {
        guard let context else { return }
        let excluded = exchange.backend.configuration.redispatch ? exchange.tried : TriedServers()
        switch exchange.backend.acquire(
            hashKey: clientHashKey, excluding: excluded, eventLoop: context.eventLoop,
            queueTimeout: exchange.backend.configuration.timeouts.queue)
        {
        case .acquired(let server):
            connect(exchange, to: server)
        case .queued(let future):
            future.assumeIsolated().whenComplete { [self] result in
                switch result {
                case .success(let server):
                    guard self.exchange === exchange else {
                        exchange.backend.release(server)
                        return
                    }
                    connect(exchange, to: server)
                case .failure:
                    guard self.exchange === exchange else { return }
                    respondLocally(
                        to: exchange.request, status: .serviceUnavailable, body: "queue timeout\n", exchange: exchange)
                }
            }
        case .unavailable:
            respondLocally(
                to: exchange.request, status: .serviceUnavailable, body: "no server is available\n", exchange: exchange)
        }
    }

    private func connect(_ exchange: ProxyExchange, to server: ServerRuntime) {
        exchange.server = server
        if exchange.logging { exchange.acquiredAt = .now() }
        exchange.tried.append(server)
        let pool = self.pool
        if let idle = pool.takeIdle(for: server) {
            attach(exchange, to: idle)
            return
        }
        let backend = exchange.backend.configuration
        pool.acquire(server: server, timeout: backend.timeouts.connect, pace: backend.reuseConnections) {
            [self] result in
            guard self.exchange === exchange, exchange.server === server else {
                // The client left (its slot is already released); keep a healthy connection for later.
                if case .success(let connection) = result { pool.release(connection) }
                return
            }
            switch result {
            case .success(let connection):
                attach(exchange, to: connection)
            case .failure(let failure):
                server.counters.connectErrors.add(1, ordering: .relaxed)
                runtime.recordPassiveFailure(server, failure: failure)
                releaseServer(of: exchange)
                retryOrFail(exchange, failure: failure)
            }
        }
    }

    private func attach(_ exchange: ProxyExchange, to upstream: UpstreamConnection) {
        exchange.upstream = upstream
        let now = NIODeadline.now()
        if exchange.logging { exchange.connectedAt = now }
        exchange.lastUpstreamActivity = now
        upstream.server.counters.perLoop.countRequest(loop: worker.index)
        upstream.start(
            request: exchange.upstreamHead, body: exchange.pendingBody, method: exchange.request.method, receiver: self)
        exchange.pendingBody.removeAll()
        armServerTimer(deadline: now + exchange.backend.configuration.timeouts.server)
        if pendingClientRead, upstream.isWritable { resumeClientReadIfPossible() }
    }

    // MARK: Upstream events

    var clientIsSaturated: Bool { !(context?.channel.isWritable ?? false) }

    /// The response head arrived; returns whether a chunked body must be passed on as plain data.
    func upstreamDidReceiveHead(_ head: ResponseHead, lines: [HeaderLine], framing: BodyFraming) -> Bool {
        guard let exchange, let context else { return false }
        if exchange.logging { exchange.respondedAt = .now() }
        exchange.responseStatus = head.status
        exchange.upstreamKeepAlive = head.isKeepAlive && framing != .untilClose
        let request = exchange.request
        // Without a length or chunking the response ends with the connection; HTTP/1.0 has no chunking.
        let framedForClient =
            request.minorVersion >= 1 ? framing != .untilClose : head.facts.contentLengthCount > 0
        exchange.keepClientAlive =
            request.isKeepAlive && !quiescing && !runtime.draining.load(ordering: .relaxed) && framedForClient
        let dechunk = request.minorVersion == 0 && framing == .chunked
        var bodyCapacity = 0
        if case .length(let length) = framing, length <= Self.coalesceLimit { bodyCapacity = length }
        let forwarding = exchange.frontend.configuration.forwarding
        output = HeaderRewriting.clientResponse(
            head, lines: lines, clientMinorVersion: request.minorVersion, keepAlive: exchange.keepClientAlive,
            dechunk: dechunk, backendServer: forwarding.addBackendServerHeader ? exchange.server?.name : nil,
            allocator: context.channel.allocator, bodyCapacity: bodyCapacity)
        return dechunk
    }

    func upstreamDidReceiveBody(_ part: ByteBuffer) {
        guard let exchange, let context else { return }
        exchange.responseBytes += part.readableBytes
        if output != nil, part.readableBytes <= Self.coalesceLimit {
            output!.writeImmutableBuffer(part)
            return
        }
        if let pending = output {
            output = nil
            context.write(NIOAny(pending), promise: nil)
        }
        context.write(NIOAny(part), promise: nil)
    }

    func upstreamDidFinishResponse() {
        guard let exchange else { return }
        finishProxiedExchange(exchange)
    }

    /// One read of the upstream connection is processed: what it produced goes out now.
    func upstreamDidFinishRead() {
        guard let context else { return }
        exchange?.lastUpstreamActivity = .now()
        if let pending = output {
            output = nil
            context.write(NIOAny(pending), promise: nil)
        }
        context.flush()
    }

    func upstreamWritabilityDidChange(isWritable: Bool) {
        if isWritable { resumeClientReadIfPossible() }
    }

    func upstreamDidFail(_ failure: UpstreamFailure) {
        guard let exchange, let server = exchange.server else { return }
        let upstream = exchange.upstream
        exchange.upstream = nil
        server.counters.responseErrors.add(1, ordering: .relaxed)
        if exchange.responseStatus != nil {
            // Part of the response is already with the client: all we can do is cut the connection.
            releaseServer(of: exchange)
            self.exchange = nil
            output = nil
            log(exchange, status: exchange.responseStatus ?? 502, note: failure.summary)
            closing = true
            context?.close(promise: nil)
            return
        }
        if failure == .closedBeforeResponse, upstream?.isReused == false {
            // A fresh connection that dies before answering means the server process is gone.
            runtime.recordPassiveFailure(server, failure: failure)
        }
        releaseServer(of: exchange)
        retryOrFail(exchange, failure: failure)
    }

    // MARK: Retries and completion

    private func retryOrFail(_ exchange: ProxyExchange, failure: UpstreamFailure) {
        let resendable = failure.happenedBeforeSending || exchange.replayable
        if exchange.retriesLeft > 0, resendable, failure != .serverTimeout {
            exchange.retriesLeft -= 1
            if let previous = exchange.tried.last {
                previous.counters.retries.add(1, ordering: .relaxed)
                if exchange.backend.configuration.redispatch {
                    previous.counters.redispatches.add(1, ordering: .relaxed)
                }
            }
            // A replayable request has no body; a failed connect sent nothing, so pendingBody is intact.
            dispatch(exchange)
            return
        }
        let status: HTTPResponseStatus
        switch failure {
        case .serverTimeout: status = .gatewayTimeout
        case _ where failure.happenedBeforeSending: status = .serviceUnavailable
        default: status = .badGateway
        }
        respondLocally(to: exchange.request, status: status, body: failure.summary + "\n", exchange: exchange)
    }

    private func finishProxiedExchange(_ exchange: ProxyExchange) {
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.finishRequest()
            if exchange.requestComplete, exchange.upstreamKeepAlive, !upstream.isOutOfStep,
                exchange.backend.configuration.reuseConnections
            {
                pool.release(upstream)
            } else {
                upstream.close()
            }
        }
        let status = exchange.responseStatus ?? 502
        exchange.server?.counters.perLoop.countResponse(status: status, loop: worker.index)
        releaseServer(of: exchange)
        exchange.frontend.counters.perLoop.countResponse(status: status, loop: worker.index)
        log(exchange, status: status, note: nil)
        endExchange(keepAlive: exchange.keepClientAlive && exchange.requestComplete)
    }

    /// Clears the exchange and sends what is left of the response; then either goes on with the
    /// next pipelined request or closes the connection.
    func endExchange(keepAlive: Bool) {
        guard let context else { return }
        exchange = nil
        connection.exchangeEnded(now: context.eventLoop.now)
        let pending = output
        output = nil
        if keepAlive && !quiescing {
            if let pending {
                context.writeAndFlush(NIOAny(pending), promise: nil)
            } else {
                context.flush()
            }
            processInbound()
            resumeClientReadIfPossible()
        } else {
            closing = true
            inbound = nil
            let last = pending ?? context.channel.allocator.buffer(capacity: 0)
            context.writeAndFlush(NIOAny(last)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    /// Queues response bytes produced by the balancer itself.
    func writeLocal(_ buffer: ByteBuffer) {
        if var pending = output {
            var buffer = buffer
            pending.writeBuffer(&buffer)
            output = pending
        } else {
            output = buffer
        }
    }

    func releaseServer(of exchange: ProxyExchange) {
        guard let server = exchange.server else { return }
        exchange.server = nil
        exchange.backend.release(server)
    }

    // MARK: timeout server

    private func armServerTimer(deadline: NIODeadline) {
        guard let context else { return }
        if serverTimer != nil {
            guard deadline < serverTimerDeadline else { return }
            serverTimer?.cancel()
        }
        serverTimerDeadline = deadline
        serverTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            serverTimer = nil
            serverTimerDeadline = .distantFuture
            serverTimerFired()
        }
    }

    private func serverTimerFired() {
        guard let exchange, let upstream = exchange.upstream else { return }
        let deadline = exchange.lastUpstreamActivity + exchange.backend.configuration.timeouts.server
        if NIODeadline.now() >= deadline {
            upstream.abort(.serverTimeout)
        } else {
            armServerTimer(deadline: deadline)
        }
    }

    private func cancelServerTimer() {
        serverTimer?.cancel()
        serverTimer = nil
        serverTimerDeadline = .distantFuture
    }

    /// FNV-1a over the client's IP address bytes, the key of `balance source`.
    static func hashKey(for address: SocketAddress?) -> UInt64 {
        guard let address, let bytes = CIDRBlock.bytes(of: address) else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
