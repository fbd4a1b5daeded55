import NIOCore

/// What the connection guard needs to know about a client connection's request cycle.
///
/// Kept by the proxy handler, which owns the guard; both run on the connection's event loop.
final class ClientConnectionState {
    /// A request is being proxied or answered.
    private(set) var exchangeActive = false
    /// The current request's body is still arriving.
    private(set) var awaitingRequestBody = false
    /// Bytes of a next request arrived while no exchange was active; `requestBytesSince` says when.
    fileprivate var requestBytesSince: NIODeadline?
    fileprivate var idleSince: NIODeadline
    fileprivate var lastClientRead: NIODeadline
    fileprivate var completedExchanges = 0

    /// Creates the state of a connection accepted at `now` (the event loop's clock).
    init(now: NIODeadline) {
        idleSince = now
        lastClientRead = now
    }

    func exchangeStarted(expectingBody: Bool) {
        exchangeActive = true
        awaitingRequestBody = expectingBody
        requestBytesSince = nil
    }

    func requestBodyFinished() {
        awaitingRequestBody = false
    }

    func exchangeEnded(now: NIODeadline) {
        exchangeActive = false
        awaitingRequestBody = false
        completedExchanges += 1
        idleSince = now
    }

    /// Client bytes were read and handled; `partialRequest` says whether an incomplete request head
    /// is left over. The clock is only read when a deadline depends on it: a request head that
    /// arrives whole (the usual case) costs nothing here.
    func clientBytesHandled(partialRequest: Bool, now: () -> NIODeadline) {
        if awaitingRequestBody {
            lastClientRead = now()
        } else if !exchangeActive, partialRequest, requestBytesSince == nil {
            requestBytesSince = now()
        }
    }
}

/// Enforces the client-side timeouts: `http-request` (complete headers, the slowloris guard),
/// `http-keep-alive` (idle between requests) and `client` (a stalled request body).
///
/// One lazily re-armed timer per connection: it fires at the earliest possible deadline, recomputes
/// the real one from the state and re-arms if the connection made progress, so the request path
/// never schedules or cancels timers. The proxy handler runs it (no handler of its own in the
/// pipeline, so reads do not pay for one more pipeline step).
final class ClientConnectionGuard {
    private let state: ClientConnectionState
    private let timeouts: TimeoutSettings
    private var timer: Scheduled<Void>?

    init(state: ClientConnectionState, timeouts: TimeoutSettings) {
        self.state = state
        self.timeouts = timeouts
    }

    /// Starts watching the connection of `context` (once it is active).
    func start(context: ChannelHandlerContext) {
        if timer == nil { arm(context: context) }
    }

    func stop() {
        timer?.cancel()
        timer = nil
    }

    /// What the guard should do now.
    enum Verdict: Equatable {
        case wait(until: NIODeadline)
        /// Headers did not complete in time: answer 408 and close.
        case requestTimeout
        /// Idle keep-alive connection or stalled body: close.
        case close
    }

    /// Decides from the connection state (exposed for tests).
    static func verdict(
        state: ClientConnectionState, timeouts: TimeoutSettings, now: NIODeadline
    ) -> Verdict {
        if state.exchangeActive {
            guard state.awaitingRequestBody else {
                // The upstream side owns timing now (`timeout server`); look again later.
                return .wait(until: now + timeouts.httpKeepAlive)
            }
            let deadline = state.lastClientRead + timeouts.client
            return now >= deadline ? .close : .wait(until: deadline)
        }
        if let since = state.requestBytesSince {
            let deadline = since + timeouts.httpRequest
            return now >= deadline ? .requestTimeout : .wait(until: deadline)
        }
        // A fresh connection must send its first request within http-request, later ones within keep-alive.
        let allowance = state.completedExchanges == 0 ? timeouts.httpRequest : timeouts.httpKeepAlive
        let deadline = state.idleSince + allowance
        return now >= deadline ? .close : .wait(until: deadline)
    }

    private func arm(context: ChannelHandlerContext) {
        switch Self.verdict(state: state, timeouts: timeouts, now: context.eventLoop.now) {
        case .wait(let deadline):
            timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
                arm(context: context)
            }
        case .requestTimeout:
            timer = nil
            var buffer = context.channel.allocator.buffer(capacity: 96)
            buffer.writeString("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            context.writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case .close:
            timer = nil
            context.close(promise: nil)
        }
    }
}
