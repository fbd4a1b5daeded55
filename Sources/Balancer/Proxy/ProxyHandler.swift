import NIOCore
import NIOHTTP1

/// The client side of the proxy: takes requests in order (the server pipeline handler serialises
/// pipelined ones), picks a server per request, streams the request up and the response down.
///
/// Backpressure both ways follows NIO's `GlueHandler`: client reads pause while the upstream
/// connection is not ready or not writable, upstream reads pause while the client is not writable.
final class ProxyHandler: ChannelDuplexHandler, UpstreamResponseReceiver {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let runtime: BalancerRuntime
    let worker: ProxyWorker
    let frontendName: String
    let connection: ClientConnectionState
    var context: ChannelHandlerContext?
    var exchange: ProxyExchange?
    var clientAddress: SocketAddress?
    var clientHashKey: UInt64 = 0
    private var pendingClientRead = false
    /// Parts of pipelined requests that arrived while an earlier one was being answered.
    private var queuedParts: [HTTPServerRequestPart] = []
    private var queuedCompleteRequests = 0
    private var quiescing = false
    private var upstreamNeedsFlush = false

    init(runtime: BalancerRuntime, worker: ProxyWorker, frontendName: String, connection: ClientConnectionState) {
        self.runtime = runtime
        self.worker = worker
        self.frontendName = frontendName
        self.connection = connection
    }

    // MARK: Client channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        clientAddress = context.channel.remoteAddress
        clientHashKey = Self.hashKey(for: clientAddress)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        // A pipelined request behind the current one waits its turn, in arrival order.
        if !queuedParts.isEmpty || exchange?.requestComplete == true {
            queuedParts.append(part)
            if case .end = part { queuedCompleteRequests += 1 }
            return
        }
        handle(part)
    }

    private func handle(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            startExchange(head)
        case .body(let buffer):
            // Without an exchange the body belongs to a request already answered locally: drop it.
            guard let exchange else { return }
            forward(.body(.byteBuffer(buffer)), in: exchange)
        case .end(let trailers):
            guard let exchange else { return }
            exchange.requestComplete = true
            connection.requestBodyFinished()
            forward(.end(trailers), in: exchange)
        }
    }

    /// Starts the queued requests once the current exchange is over.
    private func drainQueue() {
        while !queuedParts.isEmpty, exchange?.requestComplete != true {
            let part = queuedParts.removeFirst()
            if case .end = part { queuedCompleteRequests -= 1 }
            handle(part)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            // Drain: idle connections close now, busy ones after their current response.
            quiescing = true
            if exchange == nil, queuedParts.isEmpty { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if upstreamNeedsFlush {
            upstreamNeedsFlush = false
            exchange?.upstream?.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        // Reading stops once a whole request is queued: the pipelining buffer stays bounded.
        if queuedCompleteRequests > 0 {
            pendingClientRead = true
        } else if let exchange, !exchange.requestComplete, !(exchange.upstream?.isWritable ?? false) {
            pendingClientRead = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { exchange?.upstream?.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let exchange {
            // The client is gone mid-exchange: the upstream connection is mid-message, never reuse it.
            self.exchange = nil
            exchange.serverTimer?.cancel()
            exchange.upstream?.close()
            exchange.upstream = nil
            releaseServer(of: exchange)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Starting an exchange

    private func startExchange(_ head: HTTPRequestHead) {
        connection.exchangeStarted(expectingBody: true)
        let snapshot = runtime.snapshot
        guard let frontend = snapshot.frontends[frontendName] else {
            respondLocally(to: head, status: .serviceUnavailable, body: "frontend removed by reload\n")
            return
        }
        frontend.counters.requests.add(1, ordering: .relaxed)
        if let rejection = RequestValidation.rejection(for: head) {
            frontend.counters.deniedRequests.add(1, ordering: .relaxed)
            respondLocally(to: head, status: rejection.status, body: rejection.reason + "\n", frontend: frontend)
            return
        }
        if let statsPath = frontend.configuration.statsPath, head.method == .GET || head.method == .HEAD,
            [statsPath, statsPath + ";json"].contains(RouteRule.pathPart(of: head.uri))
        {
            serveStats(head, snapshot: snapshot, frontend: frontend)
            return
        }
        let backendName = frontend.backendName(uri: head.uri, host: head.headers.first(name: "host"))
        guard let backend = snapshot.backends[backendName] else {
            respondLocally(to: head, status: .serviceUnavailable, body: "no backend\n", frontend: frontend)
            return
        }
        let upstreamHead = HeaderRewriting.upstreamRequest(
            from: head, client: clientAddress, forwarding: frontend.configuration.forwarding)
        let exchange = ProxyExchange(request: head, upstreamHead: upstreamHead, frontend: frontend, backend: backend)
        self.exchange = exchange
        dispatch(exchange)
    }

    /// Asks the backend for a server, waiting in its queue if every server is at maxconn.
    private func dispatch(_ exchange: ProxyExchange) {
        guard let context else { return }
        let excluded = exchange.backend.configuration.redispatch ? exchange.tried : []
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
        exchange.acquiredAt = .now()
        exchange.tried.append(server)
        let pool = worker.pool.value
        if let idle = pool.takeIdle(for: server) {
            attach(exchange, to: idle)
            return
        }
        pool.connect(to: server, timeout: exchange.backend.configuration.timeouts.connect) { [self] result in
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
        exchange.connectedAt = .now()
        exchange.lastUpstreamActivity = .now()
        upstream.receiver = self
        upstream.server.counters.requests.add(1, ordering: .relaxed)
        upstream.write(.head(exchange.upstreamHead))
        for part in exchange.pendingParts { upstream.write(part) }
        exchange.pendingParts.removeAll()
        upstream.flush()
        armServerTimer(exchange)
        if pendingClientRead, upstream.isWritable { resumeClientRead() }
    }

    private func forward(_ part: HTTPClientRequestPart, in exchange: ProxyExchange) {
        if let upstream = exchange.upstream {
            upstream.write(part)
            upstreamNeedsFlush = true
        } else {
            exchange.pendingParts.append(part)
        }
    }

    private func resumeClientRead() {
        pendingClientRead = false
        context?.read()
    }

    // MARK: Upstream events

    var clientIsSaturated: Bool { !(context?.channel.isWritable ?? false) }

    func upstreamDidReceive(_ part: HTTPClientResponsePart) {
        guard let exchange, let context else { return }
        exchange.lastUpstreamActivity = .now()
        switch part {
        case .head(let head):
            let status = Int(head.status.code)
            guard status >= 200 else { return }
            exchange.respondedAt = exchange.lastUpstreamActivity
            exchange.responseStatus = status
            exchange.upstreamKeepAlive = head.isKeepAlive
            let request = exchange.request
            exchange.keepClientAlive =
                request.isKeepAlive && !quiescing && !runtime.draining.load(ordering: .relaxed)
                && (request.version.minor >= 1 || head.headers.contains(name: "content-length"))
            let clientHead = HeaderRewriting.clientResponse(
                from: head, request: request, keepAlive: exchange.keepClientAlive,
                serverName: exchange.server?.name ?? "", forwarding: exchange.frontend.configuration.forwarding)
            context.write(Self.wrapOutboundOut(.head(clientHead)), promise: nil)
        case .body(let buffer):
            exchange.responseBytes += buffer.readableBytes
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        case .end(let trailers):
            finishProxiedExchange(exchange, trailers: trailers)
        }
    }

    func upstreamDidFinishRead() {
        context?.flush()
    }

    func upstreamWritabilityDidChange(isWritable: Bool) {
        if isWritable, pendingClientRead { resumeClientRead() }
    }

    func upstreamDidFail(_ failure: UpstreamFailure) {
        guard let exchange, let server = exchange.server else { return }
        let upstream = exchange.upstream
        exchange.upstream = nil
        exchange.serverTimer?.cancel()
        server.counters.responseErrors.add(1, ordering: .relaxed)
        if exchange.responseStatus != nil {
            // Part of the response is already with the client: all we can do is cut the connection.
            releaseServer(of: exchange)
            self.exchange = nil
            log(exchange, status: exchange.responseStatus ?? 502, note: failure.summary)
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
            if !failure.happenedBeforeSending {
                // The head went out already; a replayable request has no body, only its end to resend.
                exchange.pendingParts = exchange.requestComplete ? [.end(nil)] : []
            }
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

    private func finishProxiedExchange(_ exchange: ProxyExchange, trailers: HTTPHeaders?) {
        exchange.serverTimer?.cancel()
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.finishRequest()
            if exchange.requestComplete, exchange.upstreamKeepAlive, exchange.backend.configuration.reuseConnections {
                worker.pool.value.release(upstream)
            } else {
                upstream.close()
            }
        }
        let status = exchange.responseStatus ?? 502
        exchange.server?.counters.countResponse(status: status)
        releaseServer(of: exchange)
        exchange.frontend.counters.countResponse(status: status)
        log(exchange, status: status, note: nil)
        endExchange(keepAlive: exchange.keepClientAlive && exchange.requestComplete, end: trailers)
    }

    /// Clears the exchange, then writes the response end: the pipeline handler may deliver the
    /// next pipelined request from inside that write, so the state must be clean before it.
    func endExchange(keepAlive: Bool, end trailers: HTTPHeaders?) {
        guard let context else { return }
        exchange = nil
        connection.exchangeEnded(now: context.eventLoop.now)
        if keepAlive && !quiescing {
            context.writeAndFlush(Self.wrapOutboundOut(.end(trailers)), promise: nil)
            drainQueue()
            if exchange == nil, pendingClientRead, queuedCompleteRequests == 0 { resumeClientRead() }
        } else {
            queuedParts.removeAll()
            queuedCompleteRequests = 0
            context.writeAndFlush(Self.wrapOutboundOut(.end(trailers))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    func releaseServer(of exchange: ProxyExchange) {
        guard let server = exchange.server else { return }
        exchange.server = nil
        exchange.backend.release(server)
    }

    private func armServerTimer(_ exchange: ProxyExchange) {
        guard let context else { return }
        let timeout = exchange.backend.configuration.timeouts.server
        exchange.serverTimer = context.eventLoop.assumeIsolated().scheduleTask(
            deadline: exchange.lastUpstreamActivity + timeout
        ) { [self] in
            guard self.exchange === exchange, let upstream = exchange.upstream else { return }
            if NIODeadline.now() >= exchange.lastUpstreamActivity + timeout {
                upstream.abort(.serverTimeout)
            } else {
                armServerTimer(exchange)
            }
        }
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
