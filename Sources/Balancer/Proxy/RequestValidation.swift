import NIOCore
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
/// The head parser already rejects malformed syntax (invalid tokens, bare CR/LF, folded or oversized
/// headers). These checks cover what is syntactically valid but lets a proxy and a backend
/// disagree about where the request ends: the classic request-smuggling vectors.
enum RequestValidation {
    /// Returns why `head` must be refused, or nil when it may be forwarded.
    static func rejection(for head: RequestHead) -> RequestRejection? {
        guard head.majorVersion == 1, head.minorVersion <= 1 else {
            return RequestRejection(status: .badRequest, reason: "unsupported HTTP version \(head.versionText)")
        }
        if head.method == .connect {
            return RequestRejection(status: .methodNotAllowed, reason: "CONNECT is not proxied")
        }
        if let problem = targetProblem(head) { return problem }
        let facts = head.facts
        if facts.transferEncodingCount > 0 {
            if facts.contentLengthCount > 0 {
                return RequestRejection(status: .badRequest, reason: "both Content-Length and Transfer-Encoding")
            }
            if head.minorVersion == 0 {
                return RequestRejection(status: .badRequest, reason: "Transfer-Encoding in an HTTP/1.0 request")
            }
            // Only a single `chunked` coding is forwarded: anything else could be framed differently upstream.
            guard facts.transferEncodingCount == 1, facts.transferEncodingIsChunked else {
                return RequestRejection(status: .badRequest, reason: "unsupported Transfer-Encoding")
            }
        }
        if facts.contentLengthCount > 1 {
            return RequestRejection(status: .badRequest, reason: "duplicate Content-Length")
        }
        if facts.contentLengthCount == 1, facts.contentLength == nil {
            return RequestRejection(status: .badRequest, reason: "invalid Content-Length")
        }
        if facts.hostCount > 1 {
            return RequestRejection(status: .badRequest, reason: "duplicate Host")
        }
        if facts.hostCount == 0, head.minorVersion == 1 {
            return RequestRejection(status: .badRequest, reason: "missing Host")
        }
        return nil
    }

    private static func targetProblem(_ head: RequestHead) -> RequestRejection? {
        let acceptable = head.raw.withUnsafeReadableBytes { bytes -> Bool in
            let start = head.targetStart
            let end = head.targetEnd
            if bytes[start] == UInt8(ascii: "/") { return true }
            if end - start == 1, bytes[start] == UInt8(ascii: "*"), head.method == .options { return true }
            for scheme: StaticString in ["http://", "https://"] {
                let length = scheme.utf8CodeUnitCount
                guard end - start >= length else { continue }
                var same = true
                for offset in 0..<length where HTTP1.lowercased(bytes[start + offset]) != scheme.utf8Start[offset] {
                    same = false
                    break
                }
                if same { return true }
            }
            return false
        }
        return acceptable ? nil : RequestRejection(status: .badRequest, reason: "invalid request target")
    }

    // MARK: NIO request heads (tests and tools)

    /// Parses and checks `head` as if its serialised form had arrived from a client.
    static func rejection(for head: HTTPRequestHead) -> RequestRejection? {
        switch parse(head) {
        case .success(let parsed): return rejection(for: parsed)
        case .failure(let error): return RequestRejection(status: .badRequest, reason: error.reason)
        }
    }

    /// Whether `head` may be sent again after a broken upstream connection.
    static func isReplayable(_ head: HTTPRequestHead) -> Bool {
        (try? parse(head).get())?.isReplayable ?? false
    }

    private static func parse(_ head: HTTPRequestHead) -> Result<RequestHead, HeadSyntaxError> {
        var text = "\(head.method.rawValue) \(head.uri) HTTP/\(head.version.major).\(head.version.minor)\r\n"
        for (name, value) in head.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        var lines: [HeaderLine] = []
        do {
            return .success(try RequestHead(raw: ByteBuffer(string: text), lines: &lines))
        } catch {
            return .failure(error)
        }
    }
}
