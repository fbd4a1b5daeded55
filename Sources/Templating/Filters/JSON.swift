/// JSON in Python's `json` module dialect: `dumps` formatting (separators, indent, sort_keys,
/// ensure_ascii) and a parser that keeps key order and tells ints from floats.
enum JSON {
    struct Style {
        var indent: Int?
        var sortKeys = false
        var ensureASCII = true
        var itemSeparator = ", "
        var keySeparator = ": "
        /// Jinja2's `tojson` escapes `<`, `>`, `&` and `'` for HTML safety.
        var htmlSafe = false
    }

    static func dumps(_ value: Value, style: Style) throws -> String {
        var output = ""
        try write(value, style: style, level: 0, into: &output)
        return output
    }

    private static func write(_ value: Value, style: Style, level: Int, into output: inout String) throws {
        switch value {
        case .none: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .float(let number):
            if number.isNaN { output += "NaN" } else if number.isInfinite { output += number < 0 ? "-Infinity" : "Infinity" }
            else { output += Value.pythonFloatString(number) }
        case .string(let text): writeString(text, style: style, into: &output)
        case .undefined(let undefined): throw RenderFailure.undefined(undefined)
        case .list(let items):
            if items.isEmpty { output += "[]"; return }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += style.indent == nil ? style.itemSeparator : StringFunctions.strip(style.itemSeparator, characters: " ", leading: false, trailing: true) }
                newline(style, level + 1, &output)
                try write(item, style: style, level: level + 1, into: &output)
            }
            newline(style, level, &output)
            output += "]"
        case .dict(let dictionary):
            if dictionary.isEmpty { output += "{}"; return }
            var pairs: [(String, Value)] = try dictionary.map { (try keyString($0.key), $0.value) }
            if style.sortKeys { pairs.sort { Value.codepointLess($0.0, $1.0) } }
            output += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { output += style.indent == nil ? style.itemSeparator : StringFunctions.strip(style.itemSeparator, characters: " ", leading: false, trailing: true) }
                newline(style, level + 1, &output)
                writeString(pair.0, style: style, into: &output)
                output += style.keySeparator
                try write(pair.1, style: style, level: level + 1, into: &output)
            }
            newline(style, level, &output)
            output += "}"
        }
    }

    private static func keyString(_ key: Value) throws -> String {
        switch key {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .float(let number): return Value.pythonFloatString(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .none: return "null"
        default: throw RenderFailure.type("keys must be str, int, float, bool or None, not \(key.pythonTypeName)")
        }
    }

    private static func newline(_ style: Style, _ level: Int, _ output: inout String) {
        guard let indent = style.indent else { return }
        output += "\n" + String(repeating: " ", count: indent * level)
    }

    private static func writeString(_ text: String, style: Style, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "<" where style.htmlSafe: output += "\\u003c"
            case ">" where style.htmlSafe: output += "\\u003e"
            case "&" where style.htmlSafe: output += "\\u0026"
            case "'" where style.htmlSafe: output += "\\u0027"
            default:
                if scalar.value < 0x20 || (style.ensureASCII && scalar.value > 0x7e) {
                    if scalar.value > 0xFFFF {
                        let offset = scalar.value - 0x10000
                        output += "\\u" + Value.hex(0xD800 + (offset >> 10), width: 4) + "\\u" + Value.hex(0xDC00 + (offset & 0x3FF), width: 4)
                    } else {
                        output += "\\u" + Value.hex(scalar.value, width: 4)
                    }
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    // MARK: Parsing

    static func parse(_ text: String) throws -> Value {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw parser.failure("Extra data") }
        return value
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func failure(_ message: String) -> RenderFailure {
        RenderFailure("\(message): line 1 column \(position + 1) (char \(position))", kind: .value)
    }

    mutating func skipWhitespace() {
        while position < bytes.count, [32, 9, 10, 13].contains(bytes[position]) { position += 1 }
    }

    mutating func parseValue() throws -> Value {
        guard position < bytes.count else { throw failure("Expecting value") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var dictionary = ValueDictionary()
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .dict(dictionary) }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw failure("Expecting property name enclosed in double quotes")
                }
                let key = try parseString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("Expecting ':' delimiter") }
                position += 1
                skipWhitespace()
                dictionary[key] = try parseValue()
                skipWhitespace()
                guard position < bytes.count else { throw failure("Expecting ',' delimiter") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .dict(dictionary) }
                throw failure("Expecting ',' delimiter")
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [Value] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .list(items) }
            while true {
                skipWhitespace()
                items.append(try parseValue())
                skipWhitespace()
                guard position < bytes.count else { throw failure("Expecting ',' delimiter") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .list(items) }
                throw failure("Expecting ',' delimiter")
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
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

    mutating func matchWord(_ word: String) -> Bool {
        let wordBytes = Array(word.utf8)
        guard position + wordBytes.count <= bytes.count, Array(bytes[position..<position + wordBytes.count]) == wordBytes else {
            return false
        }
        position += wordBytes.count
        return true
    }

    mutating func parseNumber() throws -> Value {
        let start = position
        var isFloat = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= 48 && byte <= 57 { position += 1 }
            else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
                || (byte == UInt8(ascii: "-") && position > start)
            {
                isFloat = true
                position += 1
            } else { break }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if !isFloat, let number = Int(text) { return .int(number) }
        if let number = Double(text), !text.isEmpty { return .float(number) }
        position = start
        throw failure("Expecting value")
    }

    mutating func parseString() throws -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var pendingBytes: [UInt8] = []
        func flush() {
            if !pendingBytes.isEmpty {
                scalars.append(contentsOf: String(decoding: pendingBytes, as: UTF8.self).unicodeScalars)
                pendingBytes.removeAll()
            }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                flush()
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                flush()
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
                    guard position + 4 <= bytes.count, var code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
                    else { throw failure("Invalid \\uXXXX escape") }
                    position += 4
                    if code >= 0xD800 && code < 0xDC00, position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        let low = UInt32(String(decoding: bytes[position + 2..<position + 6], as: UTF8.self), radix: 16)
                    {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: scalars.append(Unicode.Scalar(escaped))
                }
                continue
            }
            pendingBytes.append(byte)
            position += 1
        }
        throw failure("Unterminated string starting at")
    }
}
