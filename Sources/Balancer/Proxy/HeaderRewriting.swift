import NIOCore
import NIOHTTP1

/// Turns client request heads into upstream ones and upstream response heads into client ones.
enum HeaderRewriting {
    /// Hop-by-hop headers (RFC 9110 §7.6.1) that describe one connection, never forwarded.
    static let hopByHop: [String] = ["connection", "keep-alive", "proxy-connection", "te", "upgrade"]

    /// The head sent upstream: HTTP/1.1 keep-alive, hop-by-hop headers removed, X-Forwarded-* added.
    static func upstreamRequest(
        from head: HTTPRequestHead, client: SocketAddress?, forwarding: ForwardingSettings
    ) -> HTTPRequestHead {
        var upstream = HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: head.headers)
        removeHopByHop(&upstream.headers)
        if head.version.minor == 0, !upstream.headers.contains(name: "host") {
            // HTTP/1.0 clients may omit Host; HTTP/1.1 servers require one.
            upstream.headers.add(name: "host", value: "localhost")
        }
        if forwarding.addForwardedFor, let client, let ip = client.ipAddress,
            !forwarding.forwardedForExcept.contains(where: { $0.contains(client) })
        {
            upstream.headers.add(name: "x-forwarded-for", value: ip)
        }
        if forwarding.addForwardedProto {
            upstream.headers.replaceOrAdd(name: "x-forwarded-proto", value: "http")
        }
        return upstream
    }

    /// The head sent to the client for an upstream response.
    static func clientResponse(
        from head: HTTPResponseHead, request: HTTPRequestHead, keepAlive: Bool, serverName: String,
        forwarding: ForwardingSettings
    ) -> HTTPResponseHead {
        var response = HTTPResponseHead(version: request.version, status: head.status, headers: head.headers)
        removeHopByHop(&response.headers)
        if request.version.minor == 0 {
            // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
            response.headers.remove(name: "transfer-encoding")
        }
        if !keepAlive {
            response.headers.add(name: "connection", value: "close")
        } else if request.version.minor == 0 {
            response.headers.add(name: "connection", value: "keep-alive")
        }
        if forwarding.addBackendServerHeader, !response.headers.contains(name: "x-backend-server") {
            response.headers.add(name: "x-backend-server", value: serverName)
        }
        return response
    }

    private static func removeHopByHop(_ headers: inout HTTPHeaders) {
        guard headers.contains(name: "connection") || headers.contains(name: "keep-alive")
            || headers.contains(name: "te") || headers.contains(name: "upgrade")
            || headers.contains(name: "proxy-connection")
        else { return }
        // Headers named in Connection are hop-by-hop too, except the framing ones we must keep.
        for token in headers[canonicalForm: "connection"] {
            let name = token.lowercased()
            if name != "content-length" && name != "transfer-encoding" && name != "host" {
                headers.remove(name: String(name))
            }
        }
        for name in hopByHop { headers.remove(name: name) }
    }
}
