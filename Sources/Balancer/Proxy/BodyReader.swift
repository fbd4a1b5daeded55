import NIOCore

/// Invalid chunked framing.
struct ChunkedSyntaxError: Error, Equatable {}

/// The chunked transfer coding (RFC 9112 §7.1) as a byte-at-a-time state machine: finds where a
/// chunked body ends and, if asked, which bytes are chunk data.
struct ChunkedDecoder {
    private enum State {
        case size, sizeWhitespace, chunkExtension, sizeLF, data, dataCR, dataLF
        case trailerStart, trailerLine, trailerLF, endLF, done
    }

    private var state = State.size
    private var remaining = 0
    private var digits = 0
    private var trailerBytes = 0
    static let maxTrailerBytes = 32 * 1024

    /// Consumes the body bytes at the start of `bytes`; `data` gets the ranges that are chunk data.
    /// Returns how many bytes belong to the body and whether its end was reached.
    mutating func consume(_ bytes: UnsafeRawBufferPointer, data: (Range<Int>) -> Void) throws(ChunkedSyntaxError)
        -> (consumed: Int, complete: Bool)
    {
        let count = bytes.count
        var index = 0
        while index < count {
            if state == .data {
                let take = min(remaining, count - index)
                data(index..<(index + take))
                index += take
                remaining -= take
                if remaining == 0 { state = .dataCR }
                continue
            }
            let byte = bytes[index]
            index += 1
            switch state {
            case .size:
                if let value = Self.hexValue(byte) {
                    guard digits < 15 else { throw ChunkedSyntaxError() }
                    remaining = remaining << 4 | value
                    digits += 1
                } else if digits == 0 {
                    throw ChunkedSyntaxError()
                } else if byte == HTTP1.cr {
                    state = .sizeLF
                } else if byte == UInt8(ascii: ";") {
                    state = .chunkExtension
                } else if byte == HTTP1.space || byte == HTTP1.tab {
                    state = .sizeWhitespace
                } else {
                    throw ChunkedSyntaxError()
                }
            case .sizeWhitespace:
                if byte == UInt8(ascii: ";") {
                    state = .chunkExtension
                } else if byte == HTTP1.cr {
                    state = .sizeLF
                } else if byte != HTTP1.space && byte != HTTP1.tab {
                    throw ChunkedSyntaxError()
                }
            case .chunkExtension:
                if byte == HTTP1.cr {
                    state = .sizeLF
                } else if !HTTP1.isValueChar(byte) {
                    throw ChunkedSyntaxError()
                }
            case .sizeLF:
                guard byte == HTTP1.lf else { throw ChunkedSyntaxError() }
                digits = 0
                state = remaining == 0 ? .trailerStart : .data
            case .dataCR:
                guard byte == HTTP1.cr else { throw ChunkedSyntaxError() }
                state = .dataLF
            case .dataLF:
                guard byte == HTTP1.lf else { throw ChunkedSyntaxError() }
                state = .size
            case .trailerStart:
                if byte == HTTP1.cr {
                    state = .endLF
                } else {
                    guard HTTP1.isTokenChar(byte) else { throw ChunkedSyntaxError() }
                    trailerBytes += 1
                    state = .trailerLine
                }
            case .trailerLine:
                trailerBytes += 1
                guard trailerBytes <= Self.maxTrailerBytes else { throw ChunkedSyntaxError() }
                if byte == HTTP1.cr {
                    state = .trailerLF
                } else if !HTTP1.isValueChar(byte) {
                    throw ChunkedSyntaxError()
                }
            case .trailerLF:
                guard byte == HTTP1.lf else { throw ChunkedSyntaxError() }
                state = .trailerStart
            case .endLF:
                guard byte == HTTP1.lf else { throw ChunkedSyntaxError() }
                state = .done
                return (index, true)
            case .data, .done:
                return (index - 1, true)
            }
        }
        return (index, false)
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}

/// Follows one message body through the bytes of a connection and hands out the parts that belong
/// to it, without copying.
struct BodyReader {
    private enum Mode {
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
        case untilClose
        case complete
    }

    private var mode: Mode

    init(_ framing: BodyFraming) {
        switch framing {
        case .none: mode = .complete
        case .length(let length): mode = length > 0 ? .length(remaining: length) : .complete
        case .chunked: mode = .chunked(ChunkedDecoder())
        case .untilClose: mode = .untilClose
        }
    }

    /// The whole body went by.
    var isComplete: Bool {
        if case .complete = mode { return true }
        return false
    }

    /// Takes the body's bytes from the front of `buffer` and passes them to `emit`: as received, or
    /// for chunked bodies with `dechunk` only the chunk data. Returns true once the body is complete.
    mutating func take(
        from buffer: inout ByteBuffer, dechunk: Bool, emit: (ByteBuffer) -> Void
    ) throws(ChunkedSyntaxError) -> Bool {
        switch mode {
        case .complete:
            return true
        case .untilClose:
            if buffer.readableBytes > 0, let slice = buffer.readSlice(length: buffer.readableBytes) { emit(slice) }
            return false
        case .length(let remaining):
            let take = min(remaining, buffer.readableBytes)
            if take > 0, let slice = buffer.readSlice(length: take) { emit(slice) }
            if take == remaining {
                mode = .complete
                return true
            }
            mode = .length(remaining: remaining - take)
            return false
        case .chunked(var decoder):
            var dataRanges: [Range<Int>] = []
            var failed = false
            let result = buffer.withUnsafeReadableBytes { bytes -> (consumed: Int, complete: Bool) in
                do {
                    return try decoder.consume(bytes) { range in
                        if dechunk, !range.isEmpty { dataRanges.append(range) }
                    }
                } catch {
                    failed = true
                    return (0, true)
                }
            }
            if failed {
                mode = .complete
                throw ChunkedSyntaxError()
            }
            if dechunk {
                for range in dataRanges {
                    if let slice = buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count) {
                        emit(slice)
                    }
                }
                buffer.moveReaderIndex(forwardBy: result.consumed)
            } else if result.consumed > 0, let slice = buffer.readSlice(length: result.consumed) {
                emit(slice)
            }
            mode = result.complete ? .complete : .chunked(decoder)
            return result.complete
        }
    }

    /// The connection closed: a body delimited by the close is complete, any other is cut short.
    mutating func finishAtClose() -> Bool {
        switch mode {
        case .untilClose, .complete:
            mode = .complete
            return true
        default:
            return false
        }
    }
}
