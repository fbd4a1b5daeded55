import NIOCore

/// The servers a request was sent to, in order; no allocation for the usual single attempt.
struct TriedServers {
    private(set) var last: ServerRuntime?
    private var earlier: [ServerRuntime] = []

    var isEmpty: Bool { last == nil }

    mutating func append(_ server: ServerRuntime) {
        if let last { earlier.append(last) }
        last = server
    }

    func contains(_ server: ServerRuntime) -> Bool {
        last === server || earlier.contains { $0 === server }
    }
}

/// One request on its way through the balancer, from its head to the end of its response.
final class ProxyExchange {
    let request: RequestHead
    /// The head sent upstream (kept for retries).
    let upstreamHead: ByteBuffer
    let frontend: FrontendRuntime
    let backend: BackendRuntime
    /// GET/HEAD without a body: may be sent again after the upstream connection broke.
    let replayable: Bool
    /// Whether the access log is on (timings are only taken then).
    let logging: Bool
    let startedAt: NIODeadline

    /// Server whose slot this request holds (released exactly once per acquisition).
    var server: ServerRuntime?
    /// Upstream connection carrying the request, once attached.
    var upstream: UpstreamConnection?
    /// Servers already tried, avoided by redispatch.
    var tried = TriedServers()
    var retriesLeft: Int
    /// The whole request body went by.
    var requestComplete = false
    /// Where the request body ends.
    var requestBody = BodyReader(.none)
    /// Request body bytes received before an upstream connection was ready.
    var pendingBody: [ByteBuffer] = []
    /// Status of the response forwarded to the client, once its head went out.
    var responseStatus: Int?
    var upstreamKeepAlive = true
    var keepClientAlive = true
    var responseBytes = 0
    var lastUpstreamActivity = NIODeadline.uptimeNanoseconds(0)
    var acquiredAt: NIODeadline?
    var connectedAt: NIODeadline?
    var respondedAt: NIODeadline?

    init(request: RequestHead, upstreamHead: ByteBuffer, frontend: FrontendRuntime, backend: BackendRuntime, logging: Bool)
    {
        self.request = request
        self.upstreamHead = upstreamHead
        self.frontend = frontend
        self.backend = backend
        self.replayable = request.isReplayable
        self.retriesLeft = backend.configuration.retries
        self.logging = logging
        self.startedAt = logging ? .now() : .uptimeNanoseconds(0)
    }

    /// Milliseconds from the start of the exchange to `deadline`, -1 when it never happened.
    func milliseconds(until deadline: NIODeadline?) -> Int64 {
        guard let deadline else { return -1 }
        return (deadline - startedAt).nanoseconds / 1_000_000
    }
}
