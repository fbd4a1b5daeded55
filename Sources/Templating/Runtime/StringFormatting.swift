import Foundation

/// Python's `%` operator on strings (printf-style), as the `format` filter and `"…" % x` use it.
enum PercentFormatter {
    static func format(_ format: String, _ argument: Value) throws(RenderFailure) -> String {
        var positional: [Value]
        var mapping: ValueDictionary?
        switch argument {
        case .list(let items): positional = items
        case .dict(let dictionary): positional = [argument]; mapping = dictionary
        default: positional = [argument]
        }
        return try apply(format, positional: &positional, mapping: mapping)
    }

    static func apply(_ format: String, positional: inout [Value], mapping: ValueDictionary?) throws(RenderFailure) -> String {
        var output = ""
        let characters = Array(format)
        var index = 0
        var used = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "%" else {
                output.append(character)
                index += 1
                continue
            }
            index += 1
            guard index < characters.count else { throw RenderFailure("incomplete format", kind: .value) }
            var value: Value?
            if characters[index] == "(" {
                guard let close = characters[index...].firstIndex(of: ")") else {
                    throw RenderFailure("incomplete format key", kind: .value)
                }
                let key = String(characters[(index + 1)..<close])
                guard let mapping else { throw .type("format requires a mapping") }
                guard let found = mapping[key] else { throw RenderFailure("'\(key)'", kind: .other) }
                value = found
                index = close + 1
            }
            var spec = FormatSpec()
            while index < characters.count, "-+ #0".contains(characters[index]) {
                spec.flags.insert(characters[index])
                index += 1
            }
            var width = ""
            while index < characters.count, characters[index].isNumber { width.append(characters[index]); index += 1 }
            if index < characters.count, characters[index] == "*" {
                guard used < positional.count, let star = positional[used].integerValue else {
                    throw RenderFailure.type("* wants int")
                }
                width = String(star)
                used += 1
                index += 1
            }
            spec.width = Int(width)
            if index < characters.count, characters[index] == "." {
                index += 1
                var precision = ""
                while index < characters.count, characters[index].isNumber { precision.append(characters[index]); index += 1 }
                spec.precision = Int(precision) ?? 0
            }
            guard index < characters.count else { throw RenderFailure("incomplete format", kind: .value) }
            let conversion = characters[index]
            index += 1
            if conversion == "%" {
                output.append("%")
                continue
            }
            if value == nil {
                guard used < positional.count else { throw .type("not enough arguments for format string") }
                value = positional[used]
                used += 1
            }
            guard let value else { continue }
            spec.type = conversion
            output += try spec.render(value, percentStyle: true)
        }
        if mapping == nil && used < positional.count {
            throw .type("not all arguments converted during string formatting")
        }
        return output
    }
}

/// Python's `str.format` (`"{} {name:>5}".format(…)`).
enum StringFormatter {
    static func format(_ format: String, _ arguments: CallArguments) throws -> String {
        var output = ""
        let characters = Array(format)
        var index = 0
        var automatic = 0
        while index < characters.count {
            let character = characters[index]
            if character == "}" {
                guard index + 1 < characters.count, characters[index + 1] == "}" else {
                    throw RenderFailure("Single '}' encountered in format string", kind: .value)
                }
                output.append("}")
                index += 2
                continue
            }
            guard character == "{" else {
                output.append(character)
                index += 1
                continue
            }
            if index + 1 < characters.count, characters[index + 1] == "{" {
                output.append("{")
                index += 2
                continue
            }
            guard let close = characters[index...].firstIndex(of: "}") else {
                throw RenderFailure("Single '{' encountered in format string", kind: .value)
            }
            let field = String(characters[(index + 1)..<close])
            index = close + 1
            var name = field
            var specText = ""
            if let colon = field.firstIndex(of: ":") {
                name = String(field[..<colon])
                specText = String(field[field.index(after: colon)...])
            }
            var conversion: Character?
            if let bang = name.firstIndex(of: "!") {
                conversion = name[name.index(after: bang)...].first
                name = String(name[..<bang])
            }
            let (head, path) = splitFieldPath(name)
            var value: Value
            if head.isEmpty {
                guard automatic < arguments.positional.count else {
                    throw RenderFailure("Replacement index \(automatic) out of range for positional args tuple", kind: .other)
                }
                value = arguments.positional[automatic]
                automatic += 1
            } else if let number = Int(head) {
                guard number < arguments.positional.count else {
                    throw RenderFailure("Replacement index \(number) out of range for positional args tuple", kind: .other)
                }
                value = arguments.positional[number]
            } else {
                guard let found = arguments.named(head) else { throw RenderFailure("'\(head)'", kind: .other) }
                value = found
            }
            for key in path {
                if case .dict(let dictionary) = value, let found = dictionary[key] { value = found }
                else if case .list(let items) = value, let number = Int(key), number < items.count { value = items[number] }
                else { throw RenderFailure("'\(key)'", kind: .other) }
            }
            if conversion == "r" { value = .string(value.pythonRepr) }
            output += try FormatSpec.parse(specText).render(value, percentStyle: false)
        }
        return output
    }

    private static func splitFieldPath(_ name: String) -> (String, [String]) {
        var parts: [String] = []
        var current = ""
        var head: String?
        for character in name {
            if character == "." || character == "[" {
                if head == nil { head = current } else if !current.isEmpty { parts.append(current) }
                current = ""
            } else if character == "]" {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if head == nil { head = current } else if !current.isEmpty { parts.append(current) }
        return (head ?? "", parts)
    }
}

/// One conversion specification, shared by `%` formatting and `str.format`.
struct FormatSpec {
    var flags: Set<Character> = []
    var fill: Character = " "
    var align: Character?
    var width: Int?
    var precision: Int?
    var type: Character?
    var grouping = false

    /// Parses a `str.format` spec: `[[fill]align][sign][#][0][width][,][.precision][type]`.
    static func parse(_ text: String) -> FormatSpec {
        var spec = FormatSpec()
        var characters = Array(text)[...]
        if characters.count >= 2, "<>^=".contains(characters[characters.startIndex + 1]) {
            spec.fill = characters.removeFirst()
            spec.align = characters.removeFirst()
        } else if let first = characters.first, "<>^=".contains(first) {
            spec.align = characters.removeFirst()
        }
        if let first = characters.first, "+- ".contains(first) { spec.flags.insert(first); characters.removeFirst() }
        if characters.first == "#" { spec.flags.insert("#"); characters.removeFirst() }
        if characters.first == "0" { spec.flags.insert("0"); characters.removeFirst() }
        var width = ""
        while let first = characters.first, first.isNumber { width.append(first); characters.removeFirst() }
        spec.width = Int(width)
        if characters.first == "," { spec.grouping = true; characters.removeFirst() }
        if characters.first == "." {
            characters.removeFirst()
            var precision = ""
            while let first = characters.first, first.isNumber { precision.append(first); characters.removeFirst() }
            spec.precision = Int(precision)
        }
        spec.type = characters.first
        return spec
    }

    func render(_ value: Value, percentStyle: Bool) throws(RenderFailure) -> String {
        var body: String
        var isNumeric = false
        switch type {
        case "d", "i", "u":
            isNumeric = true
            guard let number = value.integerValue ?? value.numericValue.map({ Int($0) }) else {
                throw .type("%\(type ?? "d") format: a real number is required, not \(value.pythonTypeName)")
            }
            body = String(abs(number))
            if grouping { body = Self.group(body) }
            body = sign(number < 0) + body
        case "x", "X", "o", "b":
            isNumeric = true
            guard let number = value.integerValue else { throw .type("%\(type ?? "x") format: an integer is required, not \(value.pythonTypeName)") }
            let radix = type == "o" ? 8 : type == "b" ? 2 : 16
            var digits = String(abs(number), radix: radix, uppercase: type == "X")
            if flags.contains("#") { digits = (type == "o" ? "0o" : type == "b" ? "0b" : type == "X" ? "0X" : "0x") + digits }
            body = sign(number < 0) + digits
        case "f", "F", "e", "E", "g", "G", "%":
            isNumeric = true
            guard let number = value.numericValue else {
                throw .type("must be real number, not \(value.pythonTypeName)")
            }
            let digits = precision ?? 6
            let magnitude = type == "%" ? abs(number) * 100 : abs(number)
            let letter = type == "%" ? "f" : String(type ?? "f")
            body = String(format: "%.\(digits)\(letter)", magnitude)
            if grouping, let dot = body.firstIndex(of: ".") {
                body = Self.group(String(body[..<dot])) + body[dot...]
            }
            if type == "%" { body += "%" }
            body = sign(number < 0) + body
        case "s", nil:
            if !percentStyle, type == nil, let number = value.integerValue, value.isNumber, case .int = value {
                isNumeric = true
                body = grouping ? sign(number < 0) + Self.group(String(abs(number))) : String(number)
            } else if !percentStyle, type == nil, case .float(let number) = value {
                isNumeric = true
                if let precision {
                    body = String(format: "%.\(precision)g", number)
                } else {
                    body = Value.pythonFloatString(number)
                }
            } else {
                body = try value.pythonString()
                if let precision { body = String(body.prefix(precision)) }
            }
        case "r", "a":
            body = value.pythonRepr
            if let precision { body = String(body.prefix(precision)) }
        case "c":
            if let number = value.integerValue, let scalar = Unicode.Scalar(UInt32(max(0, number))) {
                body = String(Character(scalar))
            } else {
                body = try value.pythonString()
            }
        default:
            throw RenderFailure("unsupported format character '\(type.map(String.init) ?? "")'", kind: .value)
        }
        guard let width, body.count < width else { return body }
        let padding = width - body.count
        let alignment = align ?? (percentStyle ? (flags.contains("-") ? "<" : ">") : (isNumeric ? ">" : "<"))
        if (flags.contains("0") && !flags.contains("-") && isNumeric && align == nil) || alignment == "=" {
            let fillCharacter: Character = flags.contains("0") ? "0" : fill
            if let first = body.first, "+- ".contains(first) {
                return String(first) + String(repeating: fillCharacter, count: padding) + body.dropFirst()
            }
            return String(repeating: fillCharacter, count: padding) + body
        }
        switch alignment {
        case "<": return body + String(repeating: fill, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fill, count: left) + body + String(repeating: fill, count: padding - left)
        default: return String(repeating: fill, count: padding) + body
        }
    }

    private func sign(_ negative: Bool) -> String {
        if negative { return "-" }
        if flags.contains("+") { return "+" }
        if flags.contains(" ") { return " " }
        return ""
    }

    private static func group(_ digits: String) -> String {
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }
}
