/// The one JSON writer of the code base, in Python's `json.dumps` dialect (separators, indent,
/// sort_keys, ensure_ascii), so filters, callbacks, diffs and request bodies print as Ansible's do.
public enum JSON {
    public struct Style: Sendable {
        public var indent: Int?
        public var sortKeys = false
        public var ensureASCII = true
        public var itemSeparator = ", "
        public var keySeparator = ": "
        /// Jinja2's `tojson` escapes `<`, `>`, `&` and `'` for HTML safety.
        public var htmlSafe = false
        /// Outside templates (results, request bodies, diffs) an undefined value is written as `null`
        /// and a key JSON cannot spell is written as its JSON text, instead of failing like Python.
        public var lenient = false

        public init(
            indent: Int? = nil, sortKeys: Bool = false, ensureASCII: Bool = true, itemSeparator: String = ", ",
            keySeparator: String = ": ", htmlSafe: Bool = false, lenient: Bool = false
        ) {
            self.indent = indent
            self.sortKeys = sortKeys
            self.ensureASCII = ensureASCII
            self.itemSeparator = itemSeparator
            self.keySeparator = keySeparator
            self.htmlSafe = htmlSafe
            self.lenient = lenient
        }
    }

    /// `json.dumps(value)` with the given style; never fails (undefined is `null`).
    public static func text(_ value: Value, _ style: Style) -> String {
        var style = style
        style.lenient = true
        return (try? dumps(value, style: style)) ?? "null"
    }

    /// Parses a complete JSON document.
    public static func parse(_ bytes: some Sequence<UInt8>) throws(JSONSyntaxError) -> Value {
        try JSONParser.parseDocument(Array(bytes))
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
        case .undefined(let undefined):
            guard style.lenient else { throw RenderFailure.undefined(undefined) }
            output += "null"
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
            var pairs: [(String, Value)] = try dictionary.map { (try keyString($0.key, style), $0.value) }
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

    private static func keyString(_ key: Value, _ style: Style) throws -> String {
        switch key {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .float(let number): return Value.pythonFloatString(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .none: return "null"
        default:
            guard style.lenient else {
                throw RenderFailure.type("keys must be str, int, float, bool or None, not \(key.pythonTypeName)")
            }
            return text(key, style)
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
}

extension JSON.Style {
    /// `json.dumps(value, ensure_ascii=False)`: request bodies, messages and diffs.
    public static let compact = JSON.Style(ensureASCII: false, lenient: true)
}

extension JSON.Style {
    /// `json.dumps(value)` with Python's defaults (ASCII-escaped), as Ansible's modules write JSON.
    public static let python = JSON.Style(lenient: true)

    /// How ansible-playbook prints results and diffs: `json.dumps(..., sort_keys=True, indent=4)`.
    public static func results(indent: Int? = 4, sortKeys: Bool = true) -> JSON.Style {
        JSON.Style(indent: indent, sortKeys: sortKeys, ensureASCII: false, lenient: true)
    }
}
