import NIOCore
import Testing

@testable import Balancer

/// The byte-level HTTP/1.1 layer: head parsing, chunked framing and head rewriting.
@Suite struct HTTP1ParsingTests {
    static func request(_ text: String) throws(HeadSyntaxError) -> (RequestHead, [HeaderLine]) {
        var lines: [HeaderLine] = []
        let head = try RequestHead(raw: ByteBuffer(string: text), lines: &lines)
        return (head, lines)
    }

    static func response(_ text: String) throws(HeadSyntaxError) -> (ResponseHead, [HeaderLine]) {
        var lines: [HeaderLine] = []
        let head = try ResponseHead(raw: ByteBuffer(string: text), lines: &lines)
        return (head, lines)
    }

    @Test func headEndIsFoundWhateverTheSplit() {
        let text = Array("GET /a HTTP/1.1\r\nHost: x\r\nX-Long: 0123456789abcdef\r\n\r\nGET /next".utf8)
        let expected = text.count - "GET /next".utf8.count
        for split in 1..<text.count {
            var resume = 0
            var found: Int?
            for end in [split, text.count] {
                text[..<end].withUnsafeBytes { bytes in
                    switch HTTP1.findHeadEnd(bytes, from: resume) {
                    case .found(let length): found = found ?? length
                    case .notYet(let at): resume = at
                    }
                }
                if found != nil { break }
            }
            #expect(found == expected, "split at \(split)")
        }
    }

    @Test func valuesAreTrimmedAndMayHoldTabsAndObsText() throws {
        let (head, lines) = try Self.request(
            "GET / HTTP/1.1\r\nHost:  x  \r\nX-Tab: a\tb \t \r\nX-Obs: caf\u{E9} and a long tail\r\nX-Empty:\r\n\r\n")
        #expect(head.value(of: .host, in: lines) == "x")
        let values = lines.map {
            head.raw.getString(at: Int($0.valueStart), length: Int($0.valueEnd - $0.valueStart)) ?? "?"
        }
        #expect(values == ["x", "a\tb", "caf\u{E9} and a long tail", ""])
    }

    /// Control characters are refused wherever they sit relative to the 8-byte strides of the scan.
    @Test(arguments: [UInt8(0), 1, 8, 0x0B, 0x1F, 0x7F])
    func controlCharactersInValuesAreRefused(byte: UInt8) {
        for position in 0..<20 {
            var value = Array("abcdefghijklmnopqrstuvwxyz".utf8)
            value[position] = byte
            let text = Array("GET / HTTP/1.1\r\nHost: x\r\nX-V: ".utf8) + value + Array("\r\n\r\n".utf8)
            var lines: [HeaderLine] = []
            #expect(throws: HeadSyntaxError.self, "byte \(byte) at \(position)") {
                try RequestHead(raw: ByteBuffer(bytes: text), lines: &lines)
            }
        }
    }

    @Test func connectionTokensDecideKeepAliveAndNameHopByHopHeaders() throws {
        let (closing, lines) = try Self.request(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close, X-Private\r\nX-Private: 1\r\nX-Public: 2\r\n\r\n")
        #expect(!closing.isKeepAlive)
        #expect(lines.map(\.listedInConnection) == [false, false, true, false])
        let (old, _) = try Self.request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        #expect(old.isKeepAlive)
        let (plainOld, _) = try Self.request("GET / HTTP/1.0\r\n\r\n")
        #expect(!plainOld.isKeepAlive)
    }

    @Test func responseFramingFollowsRFC9112() throws {
        #expect(try Self.response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n").0.framing(requestMethod: .get) == .length(5))
        #expect(try Self.response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n").0.framing(requestMethod: .head) == .none)
        #expect(try Self.response("HTTP/1.1 204 No Content\r\n\r\n").0.framing(requestMethod: .get) == .none)
        #expect(
            try Self.response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 9\r\n\r\n").0
                .framing(requestMethod: .get) == .chunked)
        #expect(try Self.response("HTTP/1.0 200 OK\r\n\r\n").0.framing(requestMethod: .get) == .untilClose)
        #expect(try Self.response("HTTP/1.1 200\r\n\r\n").0.status == 200)
        #expect(throws: HeadSyntaxError.self) {
            try Self.response("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").0.framing(requestMethod: .get)
        }
    }

    @Test func chunkedBodyEndsAtTheSameByteWhateverTheSplit() throws {
        let wire = Array("5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\nNEXT".utf8)
        let bodyLength = wire.count - 4
        for split in 1..<wire.count {
            var reader = BodyReader(.chunked)
            var passed: [UInt8] = []
            var data: [UInt8] = []
            var dechunker = BodyReader(.chunked)
            var complete = false
            var dechunked = false
            for part in [wire[..<split], wire[split...]] {
                var buffer = ByteBuffer(bytes: part)
                var copy = buffer
                if !complete {
                    complete = try reader.take(from: &buffer, dechunk: false) { passed += Array($0.readableBytesView) }
                }
                if !dechunked {
                    dechunked = try dechunker.take(from: &copy, dechunk: true) { data += Array($0.readableBytesView) }
                }
            }
            #expect(complete && passed.count == bodyLength, "split at \(split)")
            #expect(dechunked && String(decoding: data, as: UTF8.self) == "helloabcdefghijklmnopqrstuvwxyz")
        }
    }

    @Test(arguments: ["zz\r\n", "5\n", "5\r\nhelloX\r\n", "-1\r\n", "1234567890123456\r\n", "5 x\r\n"])
    func invalidChunkFramingIsRefused(wire: String) {
        var reader = BodyReader(.chunked)
        var buffer = ByteBuffer(string: wire + "hello\r\n0\r\n\r\n")
        #expect(throws: ChunkedSyntaxError.self) { _ = try reader.take(from: &buffer, dechunk: false) { _ in } }
    }

    @Test func upstreamHeadKeepsHeaderBytesAndReplacesHopByHopOnes() throws {
        let (head, lines) = try Self.request(
            "GET /p?q=1 HTTP/1.0\r\nConnection: keep-alive, X-Hop\r\nX-Hop: h\r\nX-Keep:  spaced \r\n"
                + "X-Forwarded-Proto: https\r\nKeep-Alive: 5\r\n\r\n")
        var forwarding = ForwardingSettings()
        forwarding.addForwardedProto = true
        let out = HeaderRewriting.upstreamRequest(
            head, lines: lines, forwardedFor: ByteBuffer(string: "x-forwarded-for: 10.0.0.1\r\n"),
            forwarding: forwarding, allocator: ByteBufferAllocator())
        #expect(
            String(buffer: out)
                == "GET /p?q=1 HTTP/1.1\r\nX-Keep:  spaced \r\nhost: localhost\r\nx-forwarded-for: 10.0.0.1\r\n"
                + "x-forwarded-proto: http\r\n\r\n")
    }

    @Test func clientHeadTakesTheRequestVersionAndConnectionHandling() throws {
        let (head, lines) = try Self.response(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\nX-A: 1\r\n\r\n")
        let out = HeaderRewriting.clientResponse(
            head, lines: lines, clientMinorVersion: 0, keepAlive: false, dechunk: true, backendServer: "b1",
            allocator: ByteBufferAllocator(), bodyCapacity: 0)
        #expect(String(buffer: out) == "HTTP/1.0 200 OK\r\nX-A: 1\r\nconnection: close\r\nx-backend-server: b1\r\n\r\n")
    }
}
