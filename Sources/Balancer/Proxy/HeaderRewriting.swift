import NIOCore

/// Turns client request heads into upstream ones and upstream response heads into client ones, on
/// the bytes: kept header lines are copied as received, in runs, and only the changes are written,
/// all into one buffer allocated at its final size.
enum HeaderRewriting {
    /// The head sent upstream: HTTP/1.1 keep-alive, hop-by-hop headers removed, X-Forwarded-* added.
    ///
    /// - Parameter forwardedFor: the `x-forwarded-for: <ip>\r\n` line for this client, nil for none.
    static func upstreamRequest(
        _ head: RequestHead, lines: [HeaderLine], forwardedFor: ByteBuffer?, forwarding: ForwardingSettings,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        let replaceProto = forwarding.addForwardedProto
        let addHost = head.minorVersion == 0 && head.facts.hostCount == 0
        let forwardedForLength = forwardedFor?.readableBytes ?? 0
        let capacity = head.raw.readableBytes + 64 + forwardedForLength
        var out = allocator.buffer(capacity: capacity)
        head.raw.withUnsafeReadableBytes { bytes -> Void in
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { target in
                var writer = RawWriter(target)
                writer.copy(bytes, 0..<head.targetEnd)
                writer.copy(" HTTP/1.1\r\n")
                let dropSome = head.facts.hasHopByHop || (replaceProto && head.facts.hasForwardedProto)
                copyLines(bytes, from: head.headersStart, lines: lines, into: &writer, dropSome: dropSome) { line in
                    line.kind.isHopByHop || line.listedInConnection || (replaceProto && line.kind == .xForwardedProto)
                }
                // HTTP/1.0 clients may omit Host; HTTP/1.1 servers require one.
                if addHost { writer.copy("host: localhost\r\n") }
                if let forwardedFor {
                    forwardedFor.withUnsafeReadableBytes { writer.copy($0, 0..<$0.count) }
                }
                if replaceProto { writer.copy("x-forwarded-proto: http\r\n") }
                writer.copy("\r\n")
                return writer.offset
            }
        }
        return out
    }

    /// The head sent to the client for an upstream response, with room for `bodyCapacity` more bytes.
    ///
    /// - Parameters:
    ///   - clientMinorVersion: the request's HTTP minor version, used for the status line.
    ///   - dechunk: the chunked body is passed on as plain data (HTTP/1.0 clients): drop Transfer-Encoding.
    ///   - backendServer: the value of an added `x-backend-server` header, nil to add none.
    static func clientResponse(
        _ head: ResponseHead, lines: [HeaderLine], clientMinorVersion: Int, keepAlive: Bool, dechunk: Bool,
        backendServer: String?, allocator: ByteBufferAllocator, bodyCapacity: Int
    ) -> ByteBuffer {
        // With Transfer-Encoding, a Content-Length is wrong by definition (RFC 9112 §6.3): never pass it on.
        let dropLength = head.facts.transferEncodingCount > 0 && head.facts.contentLengthCount > 0
        let addServer = backendServer != nil && !head.facts.hasBackendServer
        let headCapacity = head.raw.readableBytes + 48 + (addServer ? 24 + (backendServer?.utf8.count ?? 0) : 0)
        var out = allocator.buffer(capacity: headCapacity + bodyCapacity)
        head.raw.withUnsafeReadableBytes { bytes -> Void in
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: headCapacity) { target in
                var writer = RawWriter(target)
                writer.copy(clientMinorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1")
                var statusEnd = head.headersStart - 1
                if statusEnd > head.statusRestStart, bytes[statusEnd - 1] == HTTP1.cr { statusEnd -= 1 }
                writer.copy(bytes, head.statusRestStart..<statusEnd)
                writer.copy("\r\n")
                let dropSome = head.facts.hasHopByHop || dropLength || (dechunk && head.facts.transferEncodingCount > 0)
                copyLines(bytes, from: head.headersStart, lines: lines, into: &writer, dropSome: dropSome) { line in
                    line.kind.isHopByHop || line.listedInConnection || (dropLength && line.kind == .contentLength)
                        || (dechunk && line.kind == .transferEncoding)
                }
                if !keepAlive {
                    writer.copy("connection: close\r\n")
                } else if clientMinorVersion == 0 {
                    writer.copy("connection: keep-alive\r\n")
                }
                if addServer, let backendServer {
                    writer.copy("x-backend-server: ")
                    var name = backendServer
                    name.withUTF8 { writer.copy(UnsafeRawBufferPointer($0), 0..<$0.count) }
                    writer.copy("\r\n")
                }
                writer.copy("\r\n")
                return writer.offset
            }
        }
        return out
    }

    /// Copies the header lines that `drop` does not reject, in as few copies as possible.
    private static func copyLines(
        _ bytes: UnsafeRawBufferPointer, from headersStart: Int, lines: [HeaderLine], into writer: inout RawWriter,
        dropSome: Bool, drop: (HeaderLine) -> Bool
    ) {
        guard let lastLine = lines.last else { return }
        guard dropSome else {
            writer.copy(bytes, headersStart..<Int(lastLine.lineEnd))
            return
        }
        var runStart = headersStart
        var lineStart = headersStart
        for line in lines {
            if drop(line) {
                if lineStart > runStart { writer.copy(bytes, runStart..<lineStart) }
                runStart = Int(line.lineEnd)
            }
            lineStart = Int(line.lineEnd)
        }
        if lineStart > runStart { writer.copy(bytes, runStart..<lineStart) }
    }
}

/// Appends bytes to memory known to be large enough.
struct RawWriter {
    private let target: UnsafeMutableRawBufferPointer
    private(set) var offset = 0

    init(_ target: UnsafeMutableRawBufferPointer) {
        self.target = target
    }

    mutating func copy(_ source: UnsafeRawBufferPointer, _ range: Range<Int>) {
        let count = range.count
        precondition(offset + count <= target.count, "head rewriting outgrew its buffer")
        guard count > 0, let from = source.baseAddress, let to = target.baseAddress else { return }
        (to + offset).copyMemory(from: from + range.lowerBound, byteCount: count)
        offset += count
    }

    mutating func copy(_ text: StaticString) {
        copy(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), 0..<text.utf8CodeUnitCount)
    }
}
