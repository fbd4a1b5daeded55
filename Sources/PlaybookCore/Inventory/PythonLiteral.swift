import Templating

/// Python's `ast.literal_eval` for the literals INI inventory values use (Ansible's INI plugin
/// types every value this way): ints (`0x1f`, `0o7`, `1_000`), floats, strings with escapes
/// (adjacent literals concatenate), `True`/`False`/`None`, lists, tuples and sets (as lists),
/// dicts, unary `+`/`-`. Anything else is not a literal and stays a string.
enum PythonLiteral {
    static func evaluate(_ text: String) -> Value? {
        var parser = Parser(Array(text.unicodeScalars))
        guard let value = parser.parseExpression() else { return nil }
        parser.skipWhitespace()
        return parser.atEnd ? value : nil
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index >= scalars.count }
        var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        mutating func skipWhitespace() {
            while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { index += 1 }
        }

        mutating func parseExpression() -> Value? {
            skipWhitespace()
            guard let c = current else { return nil }
            switch c {
            case "[": return parseSequence(close: "]")
            case "(": return parseSequence(close: ")")
            case "{": return parseBrace()
            case "'", "\"": return parseStrings()
            case "-", "+":
                index += 1
                guard let operand = parseExpression() else { return nil }
                switch operand {
                case .int(let n): return .int(c == "-" ? -n : n)
                case .float(let n): return .float(c == "-" ? -n : n)
                case .bool(let b): return .int(c == "-" ? -(b ? 1 : 0) : (b ? 1 : 0))
                default: return nil
                }
            default:
                if c.properties.isAlphabetic || c == "_" { return parseName() }
                return parseNumber()
            }
        }

        mutating func parseName() -> Value? {
            let start = index
            while let c = current, c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) { index += 1 }
            let name = String(String.UnicodeScalarView(scalars[start..<index]))
            // String prefixes: r'', b'', u''.
            if let quote = current, quote == "'" || quote == "\"", ["r", "R", "u", "U"].contains(name) {
                let raw = name.lowercased() == "r"
                return parseStrings(raw: raw)
            }
            switch name {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return Value.none
            default: return nil
            }
        }

        mutating func parseNumber() -> Value? {
            let start = index
            while let c = current, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "."
                || ((c == "+" || c == "-") && index > start && ["e", "E"].contains(scalars[index - 1]))
            {
                index += 1
            }
            let text = String(String.UnicodeScalarView(scalars[start..<index]))
            guard !text.isEmpty, !text.hasSuffix("_"), !text.contains("__") else { return nil }
            let digits = text.filter { $0 != "_" }
            let lower = digits.lowercased()
            for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
                return Int(lower.dropFirst(2), radix: radix).map(Value.int)
            }
            if digits.allSatisfy(\.isASCIIDigit) {
                // Python 3 rejects leading zeros in decimal ints ("010"), but accepts "0", "00".
                if digits.count > 1, digits.first == "0", digits.contains(where: { $0 != "0" }) { return nil }
                return Int(digits).map(Value.int)
            }
            if lower.hasSuffix("j") { return nil }
            guard lower.first?.isASCIIDigit == true || lower.first == "." else { return nil }
            return Double(digits).map(Value.float)
        }

        /// One or more adjacent string literals.
        mutating func parseStrings(raw: Bool = false) -> Value? {
            guard var text = parseString(raw: raw) else { return nil }
            while true {
                let save = index
                skipWhitespace()
                guard let c = current, c == "'" || c == "\"" else {
                    index = save
                    break
                }
                guard let more = parseString(raw: false) else { return nil }
                text += more
            }
            return .string(text)
        }

        mutating func parseString(raw: Bool) -> String? {
            guard let quote = current else { return nil }
            let triple = index + 2 < scalars.count && scalars[index + 1] == quote && scalars[index + 2] == quote
            index += triple ? 3 : 1
            var out = String.UnicodeScalarView()
            while let c = current {
                if c == quote {
                    if !triple {
                        index += 1
                        return String(out)
                    }
                    if index + 2 < scalars.count, scalars[index + 1] == quote, scalars[index + 2] == quote {
                        index += 3
                        return String(out)
                    }
                }
                if c == "\n" && !triple { return nil }
                if c == "\\", index + 1 < scalars.count {
                    let next = scalars[index + 1]
                    if raw {
                        out.append(c)
                        out.append(next)
                        index += 2
                        continue
                    }
                    let simple: [Unicode.Scalar: Unicode.Scalar] = [
                        "n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}",
                        "b": "\u{08}", "f": "\u{0C}", "v": "\u{0B}", "0": "\u{00}",
                    ]
                    if let replacement = simple[next] {
                        out.append(replacement)
                        index += 2
                        continue
                    }
                    if next == "\n" {
                        index += 2
                        continue
                    }
                    let width = next == "x" ? 2 : next == "u" ? 4 : next == "U" ? 8 : 0
                    if width > 0, index + 2 + width <= scalars.count {
                        let hex = String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 2 + width)]))
                        guard let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) else { return nil }
                        out.append(decoded)
                        index += 2 + width
                        continue
                    }
                    out.append(c)
                    index += 1
                    continue
                }
                out.append(c)
                index += 1
            }
            return nil
        }

        mutating func parseSequence(close: Unicode.Scalar) -> Value? {
            index += 1
            var elements: [Value] = []
            var sawComma = false
            while true {
                skipWhitespace()
                if current == close {
                    index += 1
                    // `(1)` is just 1 in Python; `(1,)` is a tuple.
                    if close == ")" && elements.count == 1 && !sawComma { return elements[0] }
                    return .list(elements)
                }
                guard let element = parseExpression() else { return nil }
                elements.append(element)
                skipWhitespace()
                if current == "," {
                    sawComma = true
                    index += 1
                } else if current != close {
                    return nil
                }
            }
        }

        /// `{}` dict, `{k: v}` dict, or `{a, b}` set (returned as a list).
        mutating func parseBrace() -> Value? {
            index += 1
            var dictionary = ValueDictionary()
            var set: [Value] = []
            var isSet: Bool?
            while true {
                skipWhitespace()
                if current == "}" {
                    index += 1
                    return isSet == true ? .list(set) : .dict(dictionary)
                }
                guard let key = parseExpression() else { return nil }
                skipWhitespace()
                if current == ":" {
                    guard isSet != true else { return nil }
                    isSet = false
                    index += 1
                    guard let value = parseExpression() else { return nil }
                    // Unhashable keys (lists, dicts) are a TypeError in Python: not a literal.
                    if case .list = key { return nil }
                    if case .dict = key { return nil }
                    dictionary[key] = value
                } else {
                    guard isSet != false else { return nil }
                    isSet = true
                    if !set.contains(key) { set.append(key) }
                }
                skipWhitespace()
                if current == "," {
                    index += 1
                } else if current != "}" {
                    return nil
                }
            }
        }
    }
}
