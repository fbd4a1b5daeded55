import Foundation

/// YAML output in PyYAML's `yaml.dump` dialect, as Ansible's `to_yaml` / `to_nice_yaml` produce it:
/// sorted keys, indentless sequences inside mappings, leaf collections in flow style unless
/// `default_flow_style=False`, scalars quoted only when a plain scalar would change type.
struct YAMLEmitter {
    var indent = 2
    /// nil: leaf collections in flow style (PyYAML's default); false: always block; true: always flow.
    var flowStyle: Bool? = nil
    var sortKeys = true

    func dump(_ value: Value) throws -> String {
        var output = ""
        switch value {
        case .list(let items) where !items.isEmpty && !usesFlow(value):
            try writeBlockSequence(items, level: 0, into: &output)
        case .dict(let dictionary) where !dictionary.isEmpty && !usesFlow(value):
            try writeBlockMapping(dictionary, level: 0, into: &output)
        case .list, .dict:
            output = try flow(value) + "\n"
        default:
            output = try scalar(value, inFlow: false).text + "\n"
        }
        return output
    }

    private func usesFlow(_ value: Value) -> Bool {
        switch value {
        case .list(let items):
            if items.isEmpty { return true }
            if let flowStyle { return flowStyle }
            return items.allSatisfy { !$0.isCollection }
        case .dict(let dictionary):
            if dictionary.isEmpty { return true }
            if let flowStyle { return flowStyle }
            return dictionary.values.allSatisfy { !$0.isCollection }
        default: return false
        }
    }

    private func orderedPairs(_ dictionary: ValueDictionary) -> [(key: Value, value: Value)] {
        let pairs = dictionary.map { (key: $0.key, value: $0.value) }
        guard sortKeys else { return pairs }
        return pairs.sorted { (try? $0.key.pythonLess(than: $1.key)) ?? false }
    }

    /// `continuingLine`: the first key goes on the current line (after a sequence dash).
    private func writeBlockMapping(
        _ dictionary: ValueDictionary, level: Int, continuingLine: Bool = false, into output: inout String
    ) throws {
        let padding = String(repeating: " ", count: level)
        for (index, pair) in orderedPairs(dictionary).enumerated() {
            let (key, value) = pair
            if index > 0 || !continuingLine { output += padding }
            output += try scalar(key, inFlow: false).text + ":"
            try writeValue(value, level: level, inMapping: true, into: &output)
        }
    }

    private func writeValue(_ value: Value, level: Int, inMapping: Bool, into output: inout String) throws {
        switch value {
        case .list(let items) where !usesFlow(value):
            output += "\n"
            // PyYAML does not indent a sequence that is a mapping value.
            try writeBlockSequence(items, level: inMapping ? level : level + indent, into: &output)
        case .dict(let dictionary) where !usesFlow(value):
            output += "\n"
            try writeBlockMapping(dictionary, level: level + indent, into: &output)
        case .list, .dict:
            output += " " + (try flow(value)) + "\n"
        default:
            output += " "
            try writeScalar(value, continuationIndent: level + indent, into: &output)
            output += "\n"
        }
    }

    /// PyYAML pads a collection item's dash to the indentation width (`-   a: 1` with indent 4)
    /// but writes `- ` before a scalar.
    private func writeBlockSequence(
        _ items: [Value], level: Int, continuingLine: Bool = false, into output: inout String
    ) throws {
        let padding = String(repeating: " ", count: level)
        let collectionDash = "-" + String(repeating: " ", count: max(1, indent - 1))
        for (index, item) in items.enumerated() {
            if index > 0 || !continuingLine { output += padding }
            switch item {
            case .dict(let dictionary) where !usesFlow(item):
                output += collectionDash
                try writeBlockMapping(dictionary, level: level + indent, continuingLine: true, into: &output)
            case .list(let inner) where !usesFlow(item):
                output += collectionDash
                try writeBlockSequence(inner, level: level + indent, continuingLine: true, into: &output)
            case .list, .dict:
                output += "- " + (try flow(item)) + "\n"
            default:
                output += "- "
                try writeScalar(item, continuationIndent: level + indent, into: &output)
                output += "\n"
            }
        }
    }

    /// Writes a block-context scalar, folding long plain or single-quoted text at spaces once
    /// the line passes 80 columns, as PyYAML does.
    private func writeScalar(_ value: Value, continuationIndent: Int, into output: inout String) throws {
        let text = try scalar(value, inFlow: false).text
        guard case .string = value, text.count > 1, !text.hasPrefix("\""), text.contains(" ") else {
            output += text
            return
        }
        var column = 0
        for character in output.reversed() {
            if character == "\n" { break }
            column += 1
        }
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let isSingleSpace = character == " " && index > 0 && index + 1 < characters.count
                && characters[index - 1] != " " && characters[index + 1] != " "
            if isSingleSpace && column > 80 {
                output += "\n" + String(repeating: " ", count: continuationIndent)
                column = continuationIndent
            } else {
                output.append(character)
                column += 1
            }
            index += 1
        }
    }

    private func flow(_ value: Value) throws -> String {
        switch value {
        case .list(let items): return "[" + (try items.map { try flow($0) }.joined(separator: ", ")) + "]"
        case .dict(let dictionary):
            return "{" + (try orderedPairs(dictionary).map { "\(try scalar($0.key, inFlow: true).text): \(try flow($0.value))" }.joined(separator: ", ")) + "}"
        default: return try scalar(value, inFlow: true).text
        }
    }

    /// The scalar's text and whether it is plain (unquoted).
    func scalar(_ value: Value, inFlow: Bool) throws -> (text: String, plain: Bool) {
        switch value {
        case .none: return ("null", true)
        case .bool(let flag): return (flag ? "true" : "false", true)
        case .int(let number): return (String(number), true)
        case .float(let number):
            if number.isNaN { return (".nan", true) }
            if number.isInfinite { return (number < 0 ? "-.inf" : ".inf", true) }
            var text = Value.pythonFloatString(number).lowercased()
            if !text.contains("."), let e = text.firstIndex(of: "e") { text.insert(contentsOf: ".0", at: e) }
            return (text, true)
        case .string(let text): return (Self.quoteIfNeeded(text, inFlow: inFlow), Self.isPlainSafe(text, inFlow: inFlow))
        case .undefined(let undefined): throw RenderFailure.undefined(undefined)
        case .list, .dict: return (try flow(value), false)
        }
    }

    static func quoteIfNeeded(_ text: String, inFlow: Bool) -> String {
        if isPlainSafe(text, inFlow: inFlow) { return text }
        let special = text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7f || (0x80..<0xa0).contains($0.value) }
        if text.contains("\n") || special {
            var escaped = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                case "\r": escaped += "\\r"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7f { escaped += "\\x" + Value.hex(scalar.value, width: 2).uppercased() }
                    else { escaped.unicodeScalars.append(scalar) }
                }
            }
            return escaped + "\""
        }
        return "'" + text.replacingOccurrences("'", "''") + "'"
    }

    private static let implicitPatterns: [NSRegularExpression] = [
        "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
        "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$",
        "^(?:~|null|Null|NULL)$",
        "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?)$",
        "^(?:<<|=)$",
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    /// PyYAML's analysis: may this string be written without quotes and still read back as a string?
    static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        if first == " " || last == " " || text.contains("\n") || text.contains("\t") { return false }
        if "#,[]{}&*!|>'\"%@`".contains(first) { return false }
        if "-?:".contains(first) {
            if text.count == 1 { return false }
            let second = text[text.index(after: text.startIndex)]
            if second == " " { return false }
        }
        if text.contains(": ") || text.contains(" #") || last == ":" { return false }
        if inFlow && text.contains(where: { ",?[]{}".contains($0) }) { return false }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return false }
        let range = NSRange(text.startIndex..., in: text)
        return !implicitPatterns.contains { $0.firstMatch(in: text, range: range) != nil }
    }
}

extension Value {
    var isCollection: Bool {
        switch self {
        case .list, .dict: return true
        default: return false
        }
    }
}
