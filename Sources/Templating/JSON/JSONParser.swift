/// A malformed JSON document, described as Python's `json` module words it
/// (`Expecting value: line 1 column 5 (char 4)`), with the byte offset where parsing stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var offset: Int
    public var line: Int
    public var column: Int

    public var description: String { "\(reason): line \(line) column \(column) (char \(offset))" }
}

/// The one JSON parser of the code base (filters, module results, service responses, argument
/// conversion): Python's dialect (`NaN`, `Infinity`), object keys kept in document order, integers
/// told from floats and `true` from `1`, which Foundation's `JSONSerialization` does not do on Linux.
struct JSONParser {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A complete document: one value with only whitespace around it.
    static func parseDocument(_ bytes: [UInt8]) throws(JSONSyntaxError) -> Value {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.failure("Extra data") }
        return value
    }

    func failure(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        let offset = offset ?? position
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return JSONSyntaxError(reason: reason, offset: offset, line: line, column: offset - lineStart + 1)
    }

    mutating func skipWhitespace() {
        while position < bytes.count, [32, 9, 10, 13].contains(bytes[position]) { position += 1 }
    }

    mutating func parseValue() throws(JSONSyntaxError) -> Value {
        guard position < bytes.count else { throw failure("Expecting value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        default:
            if matchWord("true") { return .bool(true) }
            if matchWord("false") { return .bool(false) }
            if matchWord("null") { return .none }
            if matchWord("NaN") { return .float(.nan) }
            if matchWord("Infinity") { return .float(.infinity) }
            if matchWord("-Infinity") { return .float(-.infinity) }
            return try parseNumber()
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> Value {
        position += 1
        var dictionary = ValueDictionary()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .dict(dictionary)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw failure("Expecting property name enclosed in double quotes")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw failure("Expecting ':' delimiter")
            }
            position += 1
            skipWhitespace()
            dictionary[.string(key)] = try parseValue()
            skipWhitespace()
            guard position < bytes.count else { throw failure("Expecting ',' delimiter") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .dict(dictionary)
            }
            throw failure("Expecting ',' delimiter")
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> Value {
        position += 1
        var items: [Value] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .list(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw failure("Expecting ',' delimiter") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .list(items)
            }
            throw failure("Expecting ',' delimiter")
        }
    }

    private mutating func matchWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { wordBytes in
            (0..<count).allSatisfy { bytes[position + $0] == wordBytes[$0] }
        }
        if matches { position += count }
        return matches
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> Value {
        let start = position
        var isFloat = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= 48 && byte <= 57 {
                position += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+") || (byte == UInt8(ascii: "-") && position > start)
            {
                isFloat = true
                position += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if !isFloat, let number = Int(text) { return .int(number) }
        if let number = Double(text), !text.isEmpty { return .float(number) }
        throw failure("Expecting value", at: start)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        // Unescaped runs are decoded in one piece; escapes are appended scalar by scalar.
        func flushRun(upTo end: Int) {
            if end > runStart { scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars) }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                flushRun(upTo: position)
                position += 1
                return String(scalars)
            }
            guard byte == UInt8(ascii: "\\") else {
                position += 1
                continue
            }
            flushRun(upTo: position)
            position += 1
            guard position < bytes.count else { break }
            let escaped = bytes[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                // A UTF-16 surrogate pair spells one scalar outside the BMP.
                if (0xD800...0xDBFF).contains(code), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                {
                    position += 2
                    let low = try parseHex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                }
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: scalars.append(Unicode.Scalar(escaped))
            }
            runStart = position
        }
        throw failure("Unterminated string starting at", at: start)
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count,
            let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw failure("Invalid \\uXXXX escape", at: position - 1) }
        position += 4
        return code
    }
}
