import Foundation

/// Python methods on strings, lists and dicts that playbooks call (`x.split(',')`, `d.items()`, …).
enum MethodCalls {
    static func call(_ method: String, on receiver: Value, arguments: CallArguments) throws -> Value {
        switch receiver {
        case .string(let string): return try stringMethod(method, string, arguments)
        case .dict(let dictionary): return try dictMethod(method, dictionary, arguments)
        case .list(let items): return try listMethod(method, items, arguments)
        case .undefined(let undefined): throw RenderFailure.undefined(undefined)
        case .int(let number) where method == "bit_length":
            return .int(number == 0 ? 0 : Int.bitWidth - abs(number).leadingZeroBitCount)
        case .float(let number) where method == "is_integer":
            return .bool(number == number.rounded())
        default:
            throw RenderFailure.undefined(
                Undefined(hint: "object of type '\(receiver.pythonTypeName)' has no attribute '\(method)'"))
        }
    }

    private static func noSuchMethod(_ typeName: String, _ method: String) -> RenderFailure {
        .undefined(Undefined(hint: "object of type '\(typeName)' has no attribute '\(method)'"))
    }

    static func stringMethod(_ method: String, _ string: String, _ arguments: CallArguments) throws -> Value {
        switch method {
        case "upper": return .string(string.uppercased())
        case "lower": return .string(string.lowercased())
        case "title": return .string(StringFunctions.title(string))
        case "capitalize": return .string(StringFunctions.capitalize(string))
        case "swapcase":
            return .string(String(string.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) }))
        case "strip", "lstrip", "rstrip":
            let characters = try arguments.value(0).flatMap { value -> String? in
                if case .none = value { return nil }
                return try value.pythonString()
            }
            return .string(
                StringFunctions.strip(string, characters: characters, leading: method != "rstrip", trailing: method != "lstrip"))
        case "split", "rsplit":
            let separator = try arguments.value(0, "sep").flatMap { value -> String? in
                if case .none = value { return nil }
                return try value.pythonString()
            }
            let limit = try arguments.integer(1, "maxsplit", default: -1)
            if let separator, separator.isEmpty { throw RenderFailure("empty separator", kind: .value) }
            let parts = method == "split"
                ? StringFunctions.split(string, separator: separator, maxSplit: limit)
                : StringFunctions.rsplit(string, separator: separator, maxSplit: limit)
            return .list(parts.map { .string($0) })
        case "splitlines":
            return .list(StringFunctions.splitLines(string, keepEnds: try arguments.bool(0, "keepends", default: false)).map { .string($0) })
        case "startswith", "endswith":
            guard let prefix = arguments.value(0) else {
                throw RenderFailure.type("\(method)() takes at least 1 argument (0 given)")
            }
            let candidates = try (prefix.array ?? [prefix]).map { try $0.pythonString() }
            return .bool(candidates.contains { method == "startswith" ? string.hasPrefix($0) : string.hasSuffix($0) })
        case "replace":
            let old = try arguments.string(0, default: "")
            let new = try arguments.string(1, default: "")
            let count = try arguments.integer(2, "count", default: -1)
            return .string(StringFunctions.replace(string, old, new, count: count))
        case "join":
            guard let items = arguments.value(0) else { throw RenderFailure.type("join() takes exactly one argument (0 given)") }
            let parts = try items.iterated().map { item throws -> String in
                guard case .string(let text) = item else {
                    throw RenderFailure.type("sequence item: expected str instance, \(item.pythonTypeName) found")
                }
                return text
            }
            return .string(parts.joined(separator: string))
        case "format":
            return .string(try StringFormatter.format(string, arguments))
        case "count":
            let needle = try arguments.string(0, default: "")
            return .int(needle.isEmpty ? string.count + 1 : string.components(separatedBy: needle).count - 1)
        case "find", "index", "rfind", "rindex":
            let needle = try arguments.string(0, default: "")
            let range = method.hasPrefix("r") ? string.range(of: needle, options: .backwards) : string.range(of: needle)
            guard let range else {
                if method.hasSuffix("index") { throw RenderFailure("substring not found", kind: .value) }
                return .int(-1)
            }
            return .int(string.distance(from: string.startIndex, to: range.lowerBound))
        case "isdigit", "isnumeric", "isdecimal":
            return .bool(!string.isEmpty && string.allSatisfy { $0.isNumber })
        case "isalpha": return .bool(!string.isEmpty && string.allSatisfy { $0.isLetter })
        case "isalnum": return .bool(!string.isEmpty && string.allSatisfy { $0.isLetter || $0.isNumber })
        case "isspace": return .bool(!string.isEmpty && string.allSatisfy { $0.isWhitespace })
        case "isupper": return .bool(string.contains { $0.isCased } && !string.contains { $0.isLowercase })
        case "islower": return .bool(string.contains { $0.isCased } && !string.contains { $0.isUppercase })
        case "center", "ljust", "rjust":
            let width = try arguments.integer(0, default: 0)
            let fill = try arguments.string(1, default: " ")
            return .string(StringFunctions.pad(string, width: width, fill: fill.first ?? " ", mode: method))
        case "zfill":
            let width = try arguments.integer(0, default: 0)
            guard string.count < width else { return .string(string) }
            let zeros = String(repeating: "0", count: width - string.count)
            if let sign = string.first, sign == "-" || sign == "+" { return .string(String(sign) + zeros + string.dropFirst()) }
            return .string(zeros + string)
        case "partition", "rpartition":
            let separator = try arguments.string(0, default: "")
            guard let range = method == "partition" ? string.range(of: separator) : string.range(of: separator, options: .backwards) else {
                return method == "partition" ? .list([.string(string), "", ""]) : .list(["", "", .string(string)])
            }
            return .list([.string(String(string[..<range.lowerBound])), .string(separator), .string(String(string[range.upperBound...]))])
        case "removeprefix":
            let prefix = try arguments.string(0, default: "")
            return .string(string.hasPrefix(prefix) ? String(string.dropFirst(prefix.count)) : string)
        case "removesuffix":
            let suffix = try arguments.string(0, default: "")
            return .string(string.hasSuffix(suffix) ? String(string.dropLast(suffix.count)) : string)
        case "encode", "decode": return .string(string)
        default: throw noSuchMethod("str", method)
        }
    }

    static func dictMethod(_ method: String, _ dictionary: ValueDictionary, _ arguments: CallArguments) throws -> Value {
        switch method {
        case "keys": return .list(dictionary.keys)
        case "values": return .list(dictionary.values)
        case "items": return .list(dictionary.map { .list([$0.key, $0.value]) })
        case "get":
            guard let key = arguments.value(0) else { throw RenderFailure.type("get expected at least 1 argument, got 0") }
            return dictionary[key] ?? arguments.value(1) ?? .none
        case "copy": return .dict(dictionary)
        default:
            throw noSuchMethod("dict", method)
        }
    }

    static func listMethod(_ method: String, _ items: [Value], _ arguments: CallArguments) throws -> Value {
        switch method {
        case "index":
            guard let needle = arguments.value(0), let index = items.firstIndex(where: { $0.pythonEquals(needle) }) else {
                throw RenderFailure("value is not in list", kind: .value)
            }
            return .int(index)
        case "count":
            guard let needle = arguments.value(0) else { throw RenderFailure.type("count() takes exactly one argument (0 given)") }
            return .int(items.filter { $0.pythonEquals(needle) }.count)
        case "copy": return .list(items)
        default: throw noSuchMethod("list", method)
        }
    }
}
