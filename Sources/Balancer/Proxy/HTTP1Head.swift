import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Header names the proxy acts on; every other header is forwarded byte for byte.
enum KnownHeader: UInt8 {
    case other, host, contentLength, transferEncoding, connection, keepAlive, proxyConnection, te, upgrade
    case xForwardedFor, xForwardedProto, xBackendServer, accept

    /// Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are never forwarded.
    var isHopByHop: Bool {
        switch self {
        case .connection, .keepAlive, .proxyConnection, .te, .upgrade: return true
        default: return false
        }
    }
}

/// One header line of a parsed head, as offsets into the head's bytes.
struct HeaderLine {
    /// Start of the name (and of the line).
    var nameStart: Int32
    var nameEnd: Int32
    /// The value without leading and trailing whitespace.
    var valueStart: Int32
    var valueEnd: Int32
    /// Just past the line's CRLF.
    var lineEnd: Int32
    var kind: KnownHeader
    /// Named by a Connection header: hop-by-hop too, not forwarded.
    var listedInConnection = false
}

/// Why a head could not be parsed (answered with 400 for requests, 502 for responses).
struct HeadSyntaxError: Error, Equatable {
    let reason: String
}

/// Where the empty line that ends a head is, searched incrementally as bytes arrive.
enum HeadEnd {
    /// The head is the first `length` bytes.
    case found(length: Int)
    /// Not complete yet; resume the search at `resumeAt` when more bytes arrive.
    case notYet(resumeAt: Int)
}

/// Byte-level HTTP/1.1 head parsing (RFC 9112), strict where a proxy and a server could disagree.
///
/// The balancer forwards heads as the bytes it received, minus the headers it must drop and plus
/// the ones it adds, so there is no decoding into strings and re-encoding per request.
enum HTTP1 {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")

    /// Finds the end of the head (the empty line) in `bytes`, starting the search at `start`.
    static func findHeadEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> HeadEnd {
        guard let base = bytes.baseAddress else { return .notYet(resumeAt: 0) }
        let count = bytes.count
        var index = start
        while index < count {
            guard let found = memchr(base + index, Int32(lf), count - index) else {
                return .notYet(resumeAt: count)
            }
            let at = UnsafeRawPointer(found) - base
            if at + 1 >= count { return .notYet(resumeAt: at) }
            let next = bytes[at + 1]
            if next == lf { return .found(length: at + 2) }
            if next == cr {
                if at + 2 >= count { return .notYet(resumeAt: at) }
                if bytes[at + 2] == lf { return .found(length: at + 3) }
            }
            index = at + 1
        }
        return .notYet(resumeAt: count)
    }

    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        // ! # $ % & ' * + - . ^ _ ` | ~
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E:
            return true
        default:
            return false
        }
    }

    /// Field-value bytes: visible characters, obs-text, space and tab (no other control characters).
    @inline(__always)
    static func isValueChar(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == tab
    }

    /// Character classes, one byte per value: `tokenClass` for tchar, `valueClass` for field-value
    /// bytes (visible, obs-text, SP, HTAB), `spaceClass` for SP and HTAB.
    static let characterClasses = CharacterTable()
    static let tokenClass: UInt8 = 1
    static let valueClass: UInt8 = 2
    static let spaceClass: UInt8 = 4

    /// The 256 class bytes, built once and never written again (hence safe to share between threads).
    struct CharacterTable: @unchecked Sendable {
        let pointer: UnsafePointer<UInt8>

        fileprivate init() {
            let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
            for byte in 0..<256 {
                let value = UInt8(byte)
                var classes: UInt8 = 0
                if HTTP1.isTokenChar(value) { classes |= HTTP1.tokenClass }
                if HTTP1.isValueChar(value) { classes |= HTTP1.valueClass }
                if value == HTTP1.space || value == HTTP1.tab { classes |= HTTP1.spaceClass }
                table[byte] = classes
            }
            pointer = UnsafePointer(table)
        }
    }

    /// Whether one of the eight bytes of `word` is below 0x20 (CR, LF, HTAB and other controls) or is
    /// 0x7F. Bytes from 0x80 (obs-text) count as visible. Exact: a true result only means "check these
    /// eight bytes one by one", a false one that all eight are plain value bytes.
    @inline(__always)
    static func containsControlOrDelete(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte below 0x20: subtracting 0x20 borrows into its high bit (bytes >= 0x80 are masked by ~word).
        let belowSpace = (word &- ones &* 0x20) & ~word & highs
        // A 0x7F byte: it becomes zero after XOR, and the usual zero-byte test finds it.
        let flipped = word ^ (ones &* 0x7F)
        let delete = (flipped &- ones) & ~flipped & highs
        return belowSpace | delete != 0
    }

    /// Whether `bytes[start..<end]` equals `lowercase` ignoring ASCII case (`lowercase` is letters and '-').
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ lowercase: StaticString)
        -> Bool
    {
        guard end - start == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for offset in 0..<(end - start) where bytes[start + offset] | 0x20 != expected[offset] {
            return false
        }
        return true
    }

    /// Recognises the names the proxy acts on.
    static func classify(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> KnownHeader {
        switch end - start {
        case 2: return equalsIgnoringCase(bytes, start, end, "te") ? .te : .other
        case 4: return equalsIgnoringCase(bytes, start, end, "host") ? .host : .other
        case 6: return equalsIgnoringCase(bytes, start, end, "accept") ? .accept : .other
        case 7: return equalsIgnoringCase(bytes, start, end, "upgrade") ? .upgrade : .other
        case 10:
            if equalsIgnoringCase(bytes, start, end, "connection") { return .connection }
            return equalsIgnoringCase(bytes, start, end, "keep-alive") ? .keepAlive : .other
        case 14: return equalsIgnoringCase(bytes, start, end, "content-length") ? .contentLength : .other
        case 15: return equalsIgnoringCase(bytes, start, end, "x-forwarded-for") ? .xForwardedFor : .other
        case 16:
            if equalsIgnoringCase(bytes, start, end, "proxy-connection") { return .proxyConnection }
            return equalsIgnoringCase(bytes, start, end, "x-backend-server") ? .xBackendServer : .other
        case 17:
            if equalsIgnoringCase(bytes, start, end, "transfer-encoding") { return .transferEncoding }
            return equalsIgnoringCase(bytes, start, end, "x-forwarded-proto") ? .xForwardedProto : .other
        default: return .other
        }
    }

    /// What the header section says about framing and connection handling.
    struct HeaderFacts {
        var contentLengthCount = 0
        /// The Content-Length value; nil when absent or not a plain decimal number.
        var contentLength: Int?
        var transferEncodingCount = 0
        /// The only Transfer-Encoding is exactly `chunked`.
        var transferEncodingIsChunked = false
        /// The last transfer coding is `chunked` (what frames a response).
        var lastCodingIsChunked = false
        var hostCount = 0
        var connectionClose = false
        var connectionKeepAlive = false
        /// Some header must be dropped when forwarding (hop-by-hop or named in Connection).
        var hasHopByHop = false
        var hasBackendServer = false
        var hasForwardedProto = false
        var acceptsJSON = false
    }

    /// Parses the header lines in `bytes[start..<end]` (the last line is the empty one) into `lines`.
    static func parseHeaderLines(
        _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, lines: inout [HeaderLine],
        allowBareLF: Bool
    ) throws(HeadSyntaxError) -> HeaderFacts {
        lines.removeAll(keepingCapacity: true)
        var facts = HeaderFacts()
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw HeadSyntaxError(reason: "truncated head")
        }
        let classes = characterClasses.pointer
        var index = start
        while true {
            guard index < end else { throw HeadSyntaxError(reason: "truncated head") }
            // The empty line ends the section.
            if base[index] == cr {
                guard index + 1 < end, base[index + 1] == lf else { throw HeadSyntaxError(reason: "bare CR") }
                break
            }
            if base[index] == lf {
                guard allowBareLF else { throw HeadSyntaxError(reason: "bare LF") }
                break
            }
            let nameStart = index
            while index < end, classes[Int(base[index])] & tokenClass != 0 { index += 1 }
            guard index > nameStart else {
                throw HeadSyntaxError(reason: base[index] == space || base[index] == tab ? "folded header" : "invalid header name")
            }
            guard index < end, base[index] == colon else { throw HeadSyntaxError(reason: "invalid header name") }
            let nameEnd = index
            index += 1
            while index < end, base[index] == space || base[index] == tab { index += 1 }
            let valueStart = index
            var valueEnd = index
            var lineEnd = index
            // Eight bytes at a time while none of them is a control character (the line end included).
            while index + 8 <= end, !containsControlOrDelete(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                valueEnd = index
            }
            if index > valueStart {
                // The last stride may have ended in whitespace: find the real end of the value.
                while valueEnd > valueStart, base[valueEnd - 1] == space || base[valueEnd - 1] == tab { valueEnd -= 1 }
            }
            while true {
                guard index < end else { throw HeadSyntaxError(reason: "truncated head") }
                let byte = base[index]
                let byteClasses = classes[Int(byte)]
                if byteClasses & valueClass == 0 {
                    if byte == cr {
                        guard index + 1 < end, base[index + 1] == lf else { throw HeadSyntaxError(reason: "bare CR") }
                        lineEnd = index + 2
                        break
                    }
                    if byte == lf {
                        guard allowBareLF else { throw HeadSyntaxError(reason: "bare LF") }
                        lineEnd = index + 1
                        break
                    }
                    throw HeadSyntaxError(reason: "invalid character in a header value")
                }
                index += 1
                if byteClasses & spaceClass == 0 { valueEnd = index }
            }
            let kind = classify(bytes, nameStart, nameEnd)
            lines.append(
                HeaderLine(
                    nameStart: Int32(nameStart), nameEnd: Int32(nameEnd), valueStart: Int32(valueStart),
                    valueEnd: Int32(valueEnd), lineEnd: Int32(lineEnd), kind: kind))
            index = lineEnd
            switch kind {
            case .other: break
            case .host: facts.hostCount += 1
            case .contentLength:
                facts.contentLengthCount += 1
                facts.contentLength = decimal(bytes, valueStart, valueEnd)
            case .transferEncoding:
                facts.transferEncodingCount += 1
                facts.transferEncodingIsChunked =
                    facts.transferEncodingCount == 1 && equalsIgnoringCase(bytes, valueStart, valueEnd, "chunked")
                facts.lastCodingIsChunked = lastTokenIsChunked(bytes, valueStart, valueEnd)
            case .connection:
                facts.hasHopByHop = true
            case .keepAlive, .proxyConnection, .te, .upgrade:
                facts.hasHopByHop = true
            case .xBackendServer: facts.hasBackendServer = true
            case .xForwardedProto: facts.hasForwardedProto = true
            case .xForwardedFor: break
            case .accept:
                facts.acceptsJSON = facts.acceptsJSON || contains(bytes, valueStart, valueEnd, "application/json")
            }
        }
        if facts.hasHopByHop { applyConnectionTokens(bytes, lines: &lines, facts: &facts) }
        return facts
    }

    /// Reads `close` and `keep-alive` from the Connection headers, and marks every header they name.
    private static func applyConnectionTokens(
        _ bytes: UnsafeRawBufferPointer, lines: inout [HeaderLine], facts: inout HeaderFacts
    ) {
        for line in lines where line.kind == .connection {
            var tokenStart = Int(line.valueStart)
            let end = Int(line.valueEnd)
            while tokenStart < end {
                var tokenEnd = tokenStart
                while tokenEnd < end, bytes[tokenEnd] != UInt8(ascii: ",") { tokenEnd += 1 }
                var first = tokenStart
                var last = tokenEnd
                while first < last, bytes[first] == space || bytes[first] == tab { first += 1 }
                while last > first, bytes[last - 1] == space || bytes[last - 1] == tab { last -= 1 }
                if equalsIgnoringCase(bytes, first, last, "close") {
                    facts.connectionClose = true
                } else if equalsIgnoringCase(bytes, first, last, "keep-alive") {
                    // The Keep-Alive header is dropped anyway.
                    facts.connectionKeepAlive = true
                } else if last > first {
                    markListed(bytes, first, last, lines: &lines)
                }
                tokenStart = tokenEnd + 1
            }
        }
    }

    /// Marks the headers called `bytes[start..<end]`, except the framing ones a proxy must keep.
    private static func markListed(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, lines: inout [HeaderLine]) {
        for index in lines.indices {
            let line = lines[index]
            switch line.kind {
            case .contentLength, .transferEncoding, .host: continue
            default: break
            }
            let nameStart = Int(line.nameStart)
            let nameEnd = Int(line.nameEnd)
            guard nameEnd - nameStart == end - start else { continue }
            var same = true
            for offset in 0..<(end - start) where lowercased(bytes[nameStart + offset]) != lowercased(bytes[start + offset]) {
                same = false
                break
            }
            if same { lines[index].listedInConnection = true }
        }
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// A plain decimal number of at most 18 digits, else nil.
    static func decimal(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        guard end > start, end - start <= 18 else { return nil }
        var value = 0
        for index in start..<end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private static func lastTokenIsChunked(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var tokenStart = start
        var index = end
        while index > start {
            if bytes[index - 1] == UInt8(ascii: ",") {
                tokenStart = index
                break
            }
            index -= 1
        }
        while tokenStart < end, bytes[tokenStart] == space || bytes[tokenStart] == tab { tokenStart += 1 }
        return equalsIgnoringCase(bytes, tokenStart, end, "chunked")
    }

    private static func contains(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ needle: StaticString) -> Bool {
        let length = needle.utf8CodeUnitCount
        guard end - start >= length else { return false }
        let pointer = needle.utf8Start
        for candidate in start...(end - length) {
            var same = true
            for offset in 0..<length where lowercased(bytes[candidate + offset]) != pointer[offset] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }

    /// Parses `HTTP/d.d` at `index`; returns (major, minor).
    static func version(_ bytes: UnsafeRawBufferPointer, at index: Int, end: Int) -> (Int, Int)? {
        guard end - index >= 8, bytes[index] == UInt8(ascii: "H"), bytes[index + 1] == UInt8(ascii: "T"),
            bytes[index + 2] == UInt8(ascii: "T"), bytes[index + 3] == UInt8(ascii: "P"),
            bytes[index + 4] == UInt8(ascii: "/"), bytes[index + 6] == UInt8(ascii: ".")
        else { return nil }
        let major = bytes[index + 5] &- UInt8(ascii: "0")
        let minor = bytes[index + 7] &- UInt8(ascii: "0")
        guard major < 10, minor < 10 else { return nil }
        return (Int(major), Int(minor))
    }
}

/// Request methods the proxy treats specially.
enum RequestMethod: UInt8 {
    case get, head, post, put, delete, options, connect, other

    static func from(_ bytes: UnsafeRawBufferPointer, _ end: Int) -> RequestMethod {
        func equals(_ text: StaticString) -> Bool {
            guard end == text.utf8CodeUnitCount else { return false }
            let pointer = text.utf8Start
            for index in 0..<end where bytes[index] != pointer[index] { return false }
            return true
        }
        switch end {
        case 3: return equals("GET") ? .get : equals("PUT") ? .put : .other
        case 4: return equals("HEAD") ? .head : equals("POST") ? .post : .other
        case 6: return equals("DELETE") ? .delete : .other
        case 7: return equals("OPTIONS") ? .options : equals("CONNECT") ? .connect : .other
        default: return .other
        }
    }
}

/// A parsed request head: its bytes and what the proxy needs to know about it.
struct RequestHead {
    /// The head's bytes, from the request line to the empty line included.
    let raw: ByteBuffer
    let method: RequestMethod
    /// `raw[0..<methodEnd]` is the method, `raw[targetStart..<targetEnd]` the request target.
    let methodEnd: Int
    let targetStart: Int
    let targetEnd: Int
    let majorVersion: Int
    let minorVersion: Int
    /// Where the header lines start.
    let headersStart: Int
    let facts: HTTP1.HeaderFacts

    /// Parses the head in `raw` (which ends with the empty line) and fills `lines`.
    init(raw: ByteBuffer, lines: inout [HeaderLine]) throws(HeadSyntaxError) {
        self.raw = raw
        (method, methodEnd, targetStart, targetEnd, majorVersion, minorVersion, headersStart, facts) =
            try raw.withUnsafeReadableBytesTyped { bytes throws(HeadSyntaxError) in try Self.parse(bytes, lines: &lines) }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, lines: inout [HeaderLine]) throws(HeadSyntaxError)
        -> (RequestMethod, Int, Int, Int, Int, Int, Int, HTTP1.HeaderFacts)
    {
        let end = bytes.count
        var index = 0
        while index < end, HTTP1.isTokenChar(bytes[index]) { index += 1 }
        guard index > 0, index < end, bytes[index] == HTTP1.space else {
            throw HeadSyntaxError(reason: "invalid method")
        }
        let methodEnd = index
        index += 1
        let targetStart = index
        while index < end, bytes[index] > HTTP1.space, bytes[index] != 0x7F { index += 1 }
        guard index > targetStart, index < end, bytes[index] == HTTP1.space else {
            throw HeadSyntaxError(reason: "invalid request target")
        }
        let targetEnd = index
        index += 1
        guard let (major, minor) = HTTP1.version(bytes, at: index, end: end) else {
            throw HeadSyntaxError(reason: "invalid HTTP version")
        }
        index += 8
        guard index + 1 < end, bytes[index] == HTTP1.cr, bytes[index + 1] == HTTP1.lf else {
            throw HeadSyntaxError(reason: "invalid request line")
        }
        index += 2
        let facts = try HTTP1.parseHeaderLines(bytes, from: index, to: end, lines: &lines, allowBareLF: false)
        return (RequestMethod.from(bytes, methodEnd), methodEnd, targetStart, targetEnd, major, minor, index, facts)
    }

    /// HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it.
    var isKeepAlive: Bool {
        minorVersion >= 1 ? !facts.connectionClose : facts.connectionKeepAlive && !facts.connectionClose
    }

    /// Whether the request carries a body.
    var hasBody: Bool {
        facts.transferEncodingCount > 0 || (facts.contentLength ?? 0) > 0
    }

    /// GET/HEAD without a body: may be sent again after the upstream connection broke (RFC 9110 idempotent).
    var isReplayable: Bool {
        (method == .get || method == .head) && !hasBody
    }

    /// The request target as text (logs, routing rules).
    var target: String {
        raw.getString(at: raw.readerIndex + targetStart, length: targetEnd - targetStart) ?? ""
    }

    /// The method as text.
    var methodText: String {
        raw.getString(at: raw.readerIndex, length: methodEnd) ?? ""
    }

    /// `HTTP/1.1`.
    var versionText: String { "HTTP/\(majorVersion).\(minorVersion)" }

    /// The value of the first header of `kind`.
    func value(of kind: KnownHeader, in lines: [HeaderLine]) -> String? {
        guard let line = lines.first(where: { $0.kind == kind }) else { return nil }
        return raw.getString(at: raw.readerIndex + Int(line.valueStart), length: Int(line.valueEnd - line.valueStart))
    }

    /// The path of the target (no query string or fragment) equals `path`.
    func pathEquals(_ path: String, suffix: StaticString? = nil) -> Bool {
        raw.withUnsafeReadableBytes { bytes in
            var end = targetStart
            while end < targetEnd, bytes[end] != UInt8(ascii: "?"), bytes[end] != UInt8(ascii: "#") { end += 1 }
            var utf8 = Array(path.utf8)
            if let suffix {
                utf8.append(contentsOf: UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
            }
            guard end - targetStart == utf8.count else { return false }
            for (offset, byte) in utf8.enumerated() where bytes[targetStart + offset] != byte { return false }
            return true
        }
    }

    /// The target contains `text` (a query flag such as `?json`).
    func targetContains(_ text: String) -> Bool {
        target.contains(text)
    }
}

/// A parsed response head.
struct ResponseHead {
    let raw: ByteBuffer
    let status: Int
    let minorVersion: Int
    /// Where the status line continues after `HTTP/1.x` (the space before the code).
    let statusRestStart: Int
    let headersStart: Int
    let facts: HTTP1.HeaderFacts

    init(raw: ByteBuffer, lines: inout [HeaderLine]) throws(HeadSyntaxError) {
        self.raw = raw
        (status, minorVersion, statusRestStart, headersStart, facts) =
            try raw.withUnsafeReadableBytesTyped { bytes throws(HeadSyntaxError) in try Self.parse(bytes, lines: &lines) }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, lines: inout [HeaderLine]) throws(HeadSyntaxError)
        -> (Int, Int, Int, Int, HTTP1.HeaderFacts)
    {
        let end = bytes.count
        guard let (major, minor) = HTTP1.version(bytes, at: 0, end: end), major == 1 else {
            throw HeadSyntaxError(reason: "invalid status line")
        }
        guard end > 12, bytes[8] == HTTP1.space, let status = HTTP1.decimal(bytes, 9, 12), status >= 100,
            bytes[12] == HTTP1.space || bytes[12] == HTTP1.cr || bytes[12] == HTTP1.lf
        else { throw HeadSyntaxError(reason: "invalid status line") }
        var index = 12
        while index < end, bytes[index] != HTTP1.lf { index += 1 }
        guard index < end else { throw HeadSyntaxError(reason: "invalid status line") }
        index += 1
        let facts = try HTTP1.parseHeaderLines(bytes, from: index, to: end, lines: &lines, allowBareLF: true)
        return (status, minor, 8, index, facts)
    }

    var isKeepAlive: Bool {
        minorVersion >= 1 ? !facts.connectionClose : facts.connectionKeepAlive && !facts.connectionClose
    }

    /// How the body is delimited (RFC 9112 §6.3), given the request's method.
    func framing(requestMethod: RequestMethod) throws(HeadSyntaxError) -> BodyFraming {
        if requestMethod == .head || status < 200 || status == 204 || status == 304 { return .none }
        if facts.transferEncodingCount > 0 {
            return facts.lastCodingIsChunked ? .chunked : .untilClose
        }
        if facts.contentLengthCount > 0 {
            guard let length = facts.contentLength else { throw HeadSyntaxError(reason: "invalid Content-Length") }
            return length == 0 ? .none : .length(length)
        }
        return .untilClose
    }
}

/// How a message body ends.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
    /// HTTP/1.0-style: the body is everything until the server closes the connection.
    case untilClose
}
