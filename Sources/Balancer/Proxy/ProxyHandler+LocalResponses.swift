import NIOCore
import NIOHTTP1

extension ProxyHandler {
    /// Answers without a backend (errors, stats) and ends the exchange.
    ///
    /// - Parameter request: the request answered; nil when its head could not even be parsed.
    func respondLocally(
        to request: RequestHead?, status: HTTPResponseStatus, body: String, contentType: String = "text/plain",
        frontend: FrontendRuntime? = nil, exchange: ProxyExchange? = nil
    ) {
        guard let context else { return }
        if let exchange { releaseServer(of: exchange) }
        let requestComplete = exchange?.requestComplete ?? !(request?.hasBody ?? true)
        // Refused requests (4xx) close the connection: what follows on it cannot be trusted.
        let keep =
            (request?.isKeepAlive ?? false) && requestComplete && (status.code < 400 || status.code >= 500)
            && !runtime.draining.load(ordering: .relaxed)
        let http10 = request?.minorVersion == 0
        var buffer = context.channel.allocator.buffer(capacity: 192 + body.utf8.count)
        buffer.writeString(http10 ? "HTTP/1.0 " : "HTTP/1.1 ")
        buffer.writeString("\(status.code) \(status.reasonPhrase)\r\ncontent-type: \(contentType)\r\n")
        buffer.writeString("content-length: \(body.utf8.count)\r\ncache-control: no-cache\r\n")
        if !keep {
            buffer.writeStaticString("connection: close\r\n")
        } else if http10 {
            buffer.writeStaticString("connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
        if request?.method != .head {
            buffer.writeString(body)
        }
        writeLocal(buffer)
        let counters = (frontend ?? exchange?.frontend)?.counters
        counters?.localResponses.add(1, ordering: .relaxed)
        counters?.perLoop.countResponse(status: Int(status.code), loop: worker.index)
        if let exchange {
            log(exchange, status: Int(status.code), note: nil)
        } else if let request {
            logLocal(request, status: Int(status.code))
        }
        endExchange(keepAlive: keep)
    }
}
