/// Python semantics of values: truth, `str()`, `repr()`, equality, ordering and type names, as
/// Jinja2 (running on Python) gives them.
extension Value {
    /// Python's type name, used in error messages and by `type_debug`. Public so that errors raised
    /// outside templates (conditionals, module arguments) name types the same way.
    public var pythonTypeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .list: return "list"
        case .dict: return "dict"
        case .undefined: return "AnsibleUndefined"
        }
    }

    /// Python truthiness; using an undefined value is an error.
    func truthy() throws(RenderFailure) -> Bool {
        switch self {
        case .none: return false
        case .bool(let value): return value
        case .int(let value): return value != 0
        case .float(let value): return value != 0
        case .string(let value): return !value.isEmpty
        case .list(let value): return !value.isEmpty
        case .dict(let value): return !value.isEmpty
        case .undefined(let undefined): throw .undefined(undefined)
        }
    }

    /// Python's `str()` of the value (what `{{ }}` prints inside a larger string).
    func pythonString() throws(RenderFailure) -> String {
        switch self {
        case .string(let value): return value
        case .undefined(let undefined): throw .undefined(undefined)
        default: return pythonRepr
        }
    }

    /// Python's `str()`, with undefined rendered as an empty string (for messages, never output).
    var displayString: String {
        if case .string(let value) = self { return value }
        if case .undefined = self { return "" }
        return pythonRepr
    }

    /// Python's `repr()`: `['a', 1]`, `{'k': True}`, `None`.
    var pythonRepr: String {
        var output = ""
        appendRepr(to: &output)
        return output
    }

    func appendRepr(to output: inout String) {
        switch self {
        case .none: output += "None"
        case .bool(let value): output += value ? "True" : "False"
        case .int(let value): output += String(value)
        case .float(let value): output += Self.pythonFloatString(value)
        case .string(let value): Self.appendStringRepr(value, to: &output)
        case .list(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                item.appendRepr(to: &output)
            }
            output += "]"
        case .dict(let dictionary):
            output += "{"
            var first = true
            for (key, value) in dictionary {
                if !first { output += ", " }
                first = false
                key.appendRepr(to: &output)
                output += ": "
                value.appendRepr(to: &output)
            }
            output += "}"
        case .undefined: output += "AnsibleUndefined"
        }
    }

    static func pythonFloatString(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value.description
    }

    static func appendStringRepr(_ string: String, to output: inout String) {
        let quote: Character = string.contains("'") && !string.contains("\"") ? "\"" : "'"
        output.append(quote)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if Character(scalar) == quote {
                    output += "\\"
                    output.unicodeScalars.append(scalar)
                } else if scalar.value < 0x20 || scalar.value == 0x7f {
                    output += "\\x" + Self.hex(scalar.value, width: 2)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append(quote)
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python `==`: numbers compare by value across bool/int/float; containers element-wise.
    func pythonEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.none, .none): return true
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for index in a.indices where !a[index].pythonEquals(b[index]) { return false }
            return true
        case (.dict(let a), .dict(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let otherValue = b[key], value.pythonEquals(otherValue) else { return false }
            }
            return true
        case (.undefined, .undefined): return true
        default:
            if let a = numericValue, let b = other.numericValue { return a == b }
            return false
        }
    }

    /// The value as a Double when it is bool, int or float.
    var numericValue: Double? {
        switch self {
        case .bool(let value): return value ? 1 : 0
        case .int(let value): return Double(value)
        case .float(let value): return value
        default: return nil
        }
    }

    var isNumber: Bool {
        switch self {
        case .bool, .int, .float: return true
        default: return false
        }
    }

    /// Python ordering (`<`); throws a TypeError for unorderable types.
    func pythonLess(than other: Value, symbol: String = "<") throws(RenderFailure) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a < b
        case (.string(let a), .string(let b)): return Self.codepointLess(a, b)
        case (.list(let a), .list(let b)):
            for index in 0..<min(a.count, b.count) where !a[index].pythonEquals(b[index]) {
                return try a[index].pythonLess(than: b[index], symbol: symbol)
            }
            return a.count < b.count
        case (.undefined(let undefined), _), (_, .undefined(let undefined)): throw .undefined(undefined)
        default:
            if let a = numericValue, let b = other.numericValue { return a < b }
            throw .type("'\(symbol)' not supported between instances of '\(pythonTypeName)' and '\(other.pythonTypeName)'")
        }
    }

    /// Python compares strings by code point, not by Unicode collation as Swift's `<` does.
    static func codepointLess(_ a: String, _ b: String) -> Bool {
        var left = a.unicodeScalars.makeIterator()
        var right = b.unicodeScalars.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): if x != y { return x.value < y.value }
            }
        }
    }

    /// Python's `x in container`.
    func pythonContains(_ element: Value) throws(RenderFailure) -> Bool {
        switch self {
        case .string(let haystack):
            guard case .string(let needle) = element else {
                if case .undefined(let undefined) = element { throw .undefined(undefined) }
                throw .type("'in <string>' requires string as left operand, not \(element.pythonTypeName)")
            }
            return needle.isEmpty || haystack.contains(needle)
        case .list(let items): return items.contains { $0.pythonEquals(element) }
        case .dict(let dictionary):
            if dictionary[element] != nil { return true }
            return dictionary.keys.contains { $0.pythonEquals(element) }
        case .undefined(let undefined): throw .undefined(undefined)
        default: throw .type("argument of type '\(pythonTypeName)' is not iterable")
        }
    }

    /// The elements Python iteration yields: list items, dict keys, string characters.
    func iterated() throws(RenderFailure) -> [Value] {
        switch self {
        case .list(let items): return items
        case .dict(let dictionary): return dictionary.keys
        case .string(let string): return string.map { .string(String($0)) }
        case .undefined(let undefined): throw .undefined(undefined)
        default: throw .type("'\(pythonTypeName)' object is not iterable")
        }
    }
}
