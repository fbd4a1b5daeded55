import NIOCore

/// Turns client request heads into upstream ones and upstream response heads into client ones, on
/// the bytes: kept header lines are copied as received, in runs, and only the changes are written.
enum HeaderRewriting {
    /// The head sent upstream: HTTP/1.1 keep-alive, hop-by-hop headers removed, X-Forwarded-* added.
    ///
    /// - Parameter forwardedFor: the `x-forwarded-for: <ip>\r\n` line for this client, nil for none.
    static func upstreamRequest(
        _ head: RequestHead, lines: [HeaderLine], forwardedFor: ByteBuffer?, forwarding: ForwardingSettings,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var out = allocator.buffer(capacity: head.raw.readableBytes + 64)
        let replaceProto = forwarding.addForwardedProto
        head.raw.withUnsafeReadableBytes { bytes in
            out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[0..<head.targetEnd]))
            out.writeStaticString(" HTTP/1.1\r\n")
            let dropSome = head.facts.hasHopByHop || (replaceProto && head.facts.hasForwardedProto)
            copyLines(bytes, from: head.headersStart, lines: lines, into: &out, dropSome: dropSome) { line in
                line.kind.isHopByHop || line.listedInConnection || (replaceProto && line.kind == .xForwardedProto)
            }
        }
        if head.minorVersion == 0, head.facts.hostCount == 0 {
            // HTTP/1.0 clients may omit Host; HTTP/1.1 servers require one.
            out.writeStaticString("host: localhost\r\n")
        }
        if var forwardedFor {
            out.writeBuffer(&forwardedFor)
        }
        if replaceProto {
            out.writeStaticString("x-forwarded-proto: http\r\n")
        }
        out.writeStaticString("\r\n")
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
        var out = allocator.buffer(capacity: head.raw.readableBytes + 48 + bodyCapacity)
        // With Transfer-Encoding, a Content-Length is wrong by definition (RFC 9112 §6.3): never pass it on.
        let dropLength = head.facts.transferEncodingCount > 0 && head.facts.contentLengthCount > 0
        head.raw.withUnsafeReadableBytes { bytes in
            out.writeStaticString(clientMinorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1")
            var statusEnd = head.headersStart - 1
            if statusEnd > head.statusRestStart, bytes[statusEnd - 1] == HTTP1.cr { statusEnd -= 1 }
            out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[head.statusRestStart..<statusEnd]))
            out.writeStaticString("\r\n")
            let dropSome = head.facts.hasHopByHop || dropLength || (dechunk && head.facts.transferEncodingCount > 0)
            copyLines(bytes, from: head.headersStart, lines: lines, into: &out, dropSome: dropSome) { line in
                line.kind.isHopByHop || line.listedInConnection || (dropLength && line.kind == .contentLength)
                    || (dechunk && line.kind == .transferEncoding)
            }
        }
        if !keepAlive {
            out.writeStaticString("connection: close\r\n")
        } else if clientMinorVersion == 0 {
            out.writeStaticString("connection: keep-alive\r\n")
        }
        if let backendServer, !head.facts.hasBackendServer {
            out.writeStaticString("x-backend-server: ")
            out.writeString(backendServer)
            out.writeStaticString("\r\n")
        }
        out.writeStaticString("\r\n")
        return out
    }

    /// Copies the header lines that `drop` does not reject, in as few writes as possible.
    private static func copyLines(
        _ bytes: UnsafeRawBufferPointer, from headersStart: Int, lines: [HeaderLine], into out: inout ByteBuffer,
        dropSome: Bool, drop: (HeaderLine) -> Bool
    ) {
        guard let lastLine = lines.last else { return }
        guard dropSome else {
            out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[headersStart..<Int(lastLine.lineEnd)]))
            return
        }
        var runStart = headersStart
        var lineStart = headersStart
        for line in lines {
            if drop(line) {
                if lineStart > runStart {
                    out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<lineStart]))
                }
                runStart = Int(line.lineEnd)
            }
            lineStart = Int(line.lineEnd)
        }
        if lineStart > runStart {
            out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<lineStart]))
        }
    }
}
