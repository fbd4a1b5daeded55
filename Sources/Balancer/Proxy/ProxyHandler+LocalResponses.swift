import NIOCore
import NIOHTTP1

extension ProxyHandler {
    /// Answers without a backend (errors, stats) and ends the exchange.
    func respondLocally(
        to request: HTTPRequestHead, status: HTTPResponseStatus, body: String, contentType: String = "text/plain",
        frontend: FrontendRuntime? = nil, exchange: ProxyExchange? = nil
    ) {
        guard let context else { return }
        if let exchange {
            exchange.serverTimer?.cancel()
            releaseServer(of: exchange)
        }
        let requestComplete = exchange?.requestComplete ?? !RequestValidation.hasBody(request)
        // Refused requests (4xx) close the connection: what follows on it cannot be trusted.
        let keep =
            request.isKeepAlive && requestComplete && (status.code < 400 || status.code >= 500)
            && !runtime.draining.load(ordering: .relaxed)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.utf8.count))
        headers.add(name: "cache-control", value: "no-cache")
        if !keep { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(
            version: request.version.minor == 0 ? .http1_0 : .http1_1, status: status, headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
            buffer.writeString(body)
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let counters = (frontend ?? exchange?.frontend)?.counters
        counters?.localResponses.add(1, ordering: .relaxed)
        counters?.countResponse(status: Int(status.code))
        if let exchange {
            log(exchange, status: Int(status.code), note: nil)
        } else {
            logLocal(request, status: Int(status.code), frontend: frontend)
        }
        endExchange(keepAlive: keep, end: nil)
    }
}
