import NIOCore
import NIOHTTP1

/// One request on its way through the balancer, from its head to the end of its response.
final class ProxyExchange {
    let request: HTTPRequestHead
    let upstreamHead: HTTPRequestHead
    let frontend: FrontendRuntime
    let backend: BackendRuntime
    /// GET/HEAD without a body: may be sent again after the upstream connection broke.
    let replayable: Bool
    let startedAt = NIODeadline.now()

    /// Server whose slot this request holds (released exactly once per acquisition).
    var server: ServerRuntime?
    /// Upstream connection carrying the request, once attached.
    var upstream: UpstreamConnection?
    /// Servers already tried, avoided by redispatch.
    var tried: [ServerRuntime] = []
    var retriesLeft: Int
    /// The client sent the request's `.end`.
    var requestComplete = false
    /// Request parts received before an upstream connection was ready.
    var pendingParts: [HTTPClientRequestPart] = []
    /// Status of the response forwarded to the client, once its head went out.
    var responseStatus: Int?
    var upstreamKeepAlive = true
    var keepClientAlive = true
    var responseBytes = 0
    var lastUpstreamActivity = NIODeadline.now()
    var serverTimer: Scheduled<Void>?
    var acquiredAt: NIODeadline?
    var connectedAt: NIODeadline?
    var respondedAt: NIODeadline?

    init(request: HTTPRequestHead, upstreamHead: HTTPRequestHead, frontend: FrontendRuntime, backend: BackendRuntime) {
        self.request = request
        self.upstreamHead = upstreamHead
        self.frontend = frontend
        self.backend = backend
        self.replayable = RequestValidation.isReplayable(request)
        self.retriesLeft = backend.configuration.retries
    }

    /// Milliseconds from the start of the exchange to `deadline`, -1 when it never happened.
    func milliseconds(until deadline: NIODeadline?) -> Int64 {
        guard let deadline else { return -1 }
        return (deadline - startedAt).nanoseconds / 1_000_000
    }
}
