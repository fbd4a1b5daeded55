import NIOCore

extension ProxyHandler {
    /// Logs a proxied request: `client [date] frontend backend/server Tw/Tc/Tr/Ta status bytes "request"`.
    ///
    /// Tw is the wait for a server slot, Tc the connect, Tr the wait for the response head and Ta
    /// the total, all in milliseconds from the request head (-1 when the step never happened).
    func log(_ exchange: ProxyExchange, status: Int, note: String?) {
        guard let accessLog = runtime.accessLog else { return }
        let server = exchange.tried.last?.name ?? "<none>"
        let timings = [
            exchange.milliseconds(until: exchange.acquiredAt),
            exchange.milliseconds(until: exchange.connectedAt),
            exchange.milliseconds(until: exchange.respondedAt),
            exchange.milliseconds(until: .now()),
        ].map(String.init).joined(separator: "/")
        let retries = exchange.backend.configuration.retries - exchange.retriesLeft
        let request = exchange.request
        var line = "\(clientDescription) [\(AccessLog.timestamp(wallClockSeconds()))] \(frontendName) "
        line += "\(exchange.backend.name)/\(server) \(timings) \(status) \(exchange.responseBytes) retries=\(retries) "
        line += "\"\(request.methodText) \(request.target) \(request.versionText)\""
        if let note { line += " \(note)" }
        accessLog.log(line)
    }

    /// Logs a request answered by the balancer itself (rejections, stats).
    func logLocal(_ request: RequestHead, status: Int) {
        guard let accessLog = runtime.accessLog else { return }
        var line = "\(clientDescription) [\(AccessLog.timestamp(wallClockSeconds()))] \(frontendName) "
        line += "<local> -1/-1/-1/0 \(status) 0 retries=0 "
        line += "\"\(request.methodText) \(request.target) \(request.versionText)\""
        accessLog.log(line)
    }

    private var clientDescription: String {
        guard let clientAddress, let ip = clientAddress.ipAddress else { return "-" }
        return "\(ip):\(clientAddress.port ?? 0)"
    }
}
