import NIOHTTP1

/// Why a request is refused before it reaches a backend.
struct RequestRejection: Equatable, Error {
    /// Status sent to the client (the connection is closed afterwards).
    let status: HTTPResponseStatus
    /// Text for the access log and the error body.
    let reason: String
}

/// Checks that a parsed request head has one unambiguous message framing and a sane request line.
///
/// The decoder already rejects malformed syntax (bad chunk sizes, invalid tokens, oversized
/// headers). These checks cover what is syntactically valid but lets a proxy and a backend
/// disagree about where the request ends: the classic request-smuggling vectors.
enum RequestValidation {
    /// Returns why `head` must be refused, or nil when it may be forwarded.
    static func rejection(for head: HTTPRequestHead) -> RequestRejection? {
        guard head.version.major == 1, head.version.minor <= 1 else {
            return RequestRejection(status: .badRequest, reason: "unsupported HTTP version \(head.version)")
        }
        if head.method == .CONNECT {
            return RequestRejection(status: .methodNotAllowed, reason: "CONNECT is not proxied")
        }
        if let problem = targetProblem(head) { return problem }

        let contentLengths = head.headers[canonicalForm: "content-length"]
        let transferEncodings = head.headers[canonicalForm: "transfer-encoding"]
        if !transferEncodings.isEmpty {
            if !contentLengths.isEmpty || head.headers.contains(name: "content-length") {
                return RequestRejection(status: .badRequest, reason: "both Content-Length and Transfer-Encoding")
            }
            if head.version.minor == 0 {
                return RequestRejection(status: .badRequest, reason: "Transfer-Encoding in an HTTP/1.0 request")
            }
            // Only a single `chunked` coding is forwarded: anything else could be framed differently upstream.
            guard transferEncodings.count == 1, transferEncodings[0].lowercased() == "chunked",
                head.headers["transfer-encoding"].count == 1
            else {
                return RequestRejection(status: .badRequest, reason: "unsupported Transfer-Encoding")
            }
        }
        let rawLengths = head.headers["content-length"]
        if rawLengths.count > 1 || contentLengths.count > 1 {
            return RequestRejection(status: .badRequest, reason: "duplicate Content-Length")
        }
        if let length = rawLengths.first, length.isEmpty || !length.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return RequestRejection(status: .badRequest, reason: "invalid Content-Length")
        }
        let hosts = head.headers["host"]
        if hosts.count > 1 {
            return RequestRejection(status: .badRequest, reason: "duplicate Host")
        }
        if hosts.isEmpty, head.version.minor == 1 {
            return RequestRejection(status: .badRequest, reason: "missing Host")
        }
        return nil
    }

    /// Whether the request carries a body (so it cannot be replayed on another server).
    static func hasBody(_ head: HTTPRequestHead) -> Bool {
        if head.headers.contains(name: "transfer-encoding") { return true }
        if let length = head.headers.first(name: "content-length") { return length != "0" }
        return false
    }

    /// Methods RFC 9110 calls idempotent and safe to send again after a broken upstream connection.
    static func isReplayable(_ head: HTTPRequestHead) -> Bool {
        (head.method == .GET || head.method == .HEAD) && !hasBody(head)
    }

    private static func targetProblem(_ head: HTTPRequestHead) -> RequestRejection? {
        let uri = head.uri
        if uri.hasPrefix("/") { return nil }
        if uri == "*", head.method == .OPTIONS { return nil }
        let lowered = uri.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") { return nil }
        return RequestRejection(status: .badRequest, reason: "invalid request target")
    }
}
