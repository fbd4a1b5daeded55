import NIOHTTP1
import Testing

@testable import Balancer

/// Requests a proxy and a backend could frame differently must never be forwarded.
@Suite struct RequestSmugglingTests {
    @Test(arguments: [
        ("CL+TE", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("TE+CL", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
        ("conflicting CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        ("duplicate CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
        ("CL list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello"),
        ("TE list", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
        ("TE not chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        ("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("CL not a number", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
        ("negative CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
        ("space before colon", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello"),
        ("HTTP/2.0 line", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
        ("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n"),
        ("bad method", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("two-word method", "FOO BAR / HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("missing Host", "GET / HTTP/1.1\r\n\r\n"),
        ("duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        ("bad target", "GET index.html HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("bare LF in header", "GET / HTTP/1.1\r\nHost: x\r\nX: a\nb\r\n\r\n"),
    ] as [(String, String)])
    func isRejectedWith400AndClosed(name: String, request: String) throws {
        let pipeline = try EmbeddedClientPipeline()
        pipeline.send(request)
        let output = try pipeline.output()
        #expect(output.hasPrefix("HTTP/1.1 400 ") || output.hasPrefix("HTTP/1.0 400 "), "\(name): \(output)")
        #expect(!pipeline.isOpen, "\(name): connection must be closed")
    }

    @Test func badChunkSizeClosesTheConnectionWithoutForwardingTheBody() throws {
        // The head is valid, so the proxy starts the exchange; the body's bad chunk size then aborts it.
        let pipeline = try EmbeddedClientPipeline()
        pipeline.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
        let output = try pipeline.output()
        #expect(output.hasPrefix("HTTP/1.1 400 ") || output.hasPrefix("HTTP/1.1 503 "), "\(output)")
        #expect(!output.contains(" 200 "))
        #expect(!pipeline.isOpen)
    }

    @Test func connectIsRefusedWith405() throws {
        let pipeline = try EmbeddedClientPipeline()
        pipeline.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        #expect(try pipeline.output().hasPrefix("HTTP/1.1 405 "))
    }

    @Test func oversizedHeadersAndTooManyFieldsAreRejected() throws {
        let big = try EmbeddedClientPipeline { $0.global.maxHeaderBytes = 4096 }
        big.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 5000))\r\n\r\n")
        #expect(try big.output().hasPrefix("HTTP/1.1 400 "))
        #expect(!big.isOpen)

        let many = try EmbeddedClientPipeline { $0.global.maxHeaderCount = 20 }
        var request = "GET / HTTP/1.1\r\nHost: x\r\n"
        for index in 0..<30 { request += "X-\(index): v\r\n" }
        many.send(request + "\r\n")
        #expect(try many.output().hasPrefix("HTTP/1.1 400 "))
        #expect(!many.isOpen)
    }

    @Test func validatorAcceptsOrdinaryRequests() {
        var get = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/a?b=c")
        get.headers.add(name: "Host", value: "x")
        #expect(RequestValidation.rejection(for: get) == nil)
        #expect(RequestValidation.isReplayable(get))
        var post = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/upload")
        post.headers.add(name: "Host", value: "x")
        post.headers.add(name: "Transfer-Encoding", value: "Chunked")
        #expect(RequestValidation.rejection(for: post) == nil)
        #expect(!RequestValidation.isReplayable(post))
        let old = HTTPRequestHead(version: .http1_0, method: .GET, uri: "/")
        #expect(RequestValidation.rejection(for: old) == nil)
        let options = HTTPRequestHead(version: .http1_0, method: .OPTIONS, uri: "*")
        #expect(RequestValidation.rejection(for: options) == nil)
    }
}
