import Templating

/// Writes values as Python's `json.dumps(..., ensure_ascii=False)` does, so results print exactly
/// as ansible-playbook prints them: `", "` and `": "` separators without indent, one item per line
/// with indent, keys sorted on request.
public enum JSONText {
    public static func encode(_ value: Value, indent: Int? = nil, sortKeys: Bool = true) -> String {
        var output = ""
        write(value, indent: indent, sortKeys: sortKeys, depth: 0, into: &output)
        return output
    }

    private static func write(_ value: Value, indent: Int?, sortKeys: Bool, depth: Int, into output: inout String) {
        switch value {
        case .none, .undefined: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .float(let number): output += floatText(number)
        case .string(let text): appendQuoted(text, into: &output)
        case .list(let elements):
            writeContainer(
                elements.map { (nil, $0) }, open: "[", close: "]", indent: indent, sortKeys: sortKeys, depth: depth,
                into: &output)
        case .dict(let dictionary):
            var pairs = dictionary.map { (Optional(keyText($0.key)), $0.value) }
            if sortKeys { pairs.sort { ($0.0 ?? "") < ($1.0 ?? "") } }
            writeContainer(pairs, open: "{", close: "}", indent: indent, sortKeys: sortKeys, depth: depth, into: &output)
        }
    }

    private static func writeContainer(
        _ items: [(String?, Value)], open: String, close: String, indent: Int?, sortKeys: Bool, depth: Int,
        into output: inout String
    ) {
        output += open
        guard !items.isEmpty else {
            output += close
            return
        }
        for (index, (key, element)) in items.enumerated() {
            if let indent {
                output += index == 0 ? "\n" : ",\n"
                output += String(repeating: " ", count: indent * (depth + 1))
            } else if index > 0 {
                output += ", "
            }
            if let key {
                appendQuoted(key, into: &output)
                output += ": "
            }
            write(element, indent: indent, sortKeys: sortKeys, depth: depth + 1, into: &output)
        }
        if let indent { output += "\n" + String(repeating: " ", count: indent * depth) }
        output += close
    }

    /// Python converts non-string keys with `str()`-like rules: `true`, `1`, `null`.
    private static func keyText(_ key: Value) -> String {
        switch key {
        case .string(let text): text
        case .int(let number): String(number)
        case .float(let number): floatText(number)
        case .bool(let flag): flag ? "true" : "false"
        default: "null"
        }
    }

    /// Python's float repr: `1.0`, `0.5`, `1e+20`, `inf` spelled as JSON's `Infinity`.
    static func floatText(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "Infinity" : "-Infinity" }
        return "\(number)"
    }

    static func appendQuoted(_ text: String, into output: inout String) {
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
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
