import Foundation

extension JMESPath {
    /// A function argument: a value, or an unevaluated `&expression`.
    enum Argument: Sendable {
        case value(Value)
        case expression(Node)
    }

    /// The built-in functions, with the signatures (argument count and types) Python's
    /// `jmespath.functions` checks before calling them, and its results (`ceil` gives an integer,
    /// `avg` a float, `sum` keeps integers integral).
    enum Functions {
        /// An argument type as the specification writes it: `number`, `array-string`, `expref`, …
        /// An empty list accepts any value.
        struct Signature: Sendable {
            var parameters: [[String]]
            /// Whether the last parameter repeats (`merge`, `not_null`).
            var variadic = false
        }

        typealias Implementation = @Sendable ([Argument], Interpreter) throws(QueryError) -> Value

        static func call(_ name: String, _ arguments: [Argument], interpreter: Interpreter) throws(QueryError) -> Value {
            guard let (signature, implementation) = table[name] else {
                throw QueryError(kind: .unknownFunction, message: "Unknown function: \(name)()")
            }
            try check(arguments, against: signature, function: name)
            return try implementation(arguments, interpreter)
        }

        // MARK: Signature checks

        private static func check(_ arguments: [Argument], against signature: Signature, function: String) throws(QueryError) {
            let expected = signature.parameters.count
            if signature.variadic ? arguments.count < expected : arguments.count != expected {
                let noun = expected == 1 ? "argument" : "arguments"
                throw QueryError(
                    kind: .arity,
                    message: "Expected \(signature.variadic ? "at least " : "")\(expected) \(noun) for function \(function)(), received \(arguments.count)")
            }
            for (position, argument) in arguments.enumerated() {
                let types = signature.parameters[min(position, expected - 1)]
                try checkType(argument, allowed: types, function: function)
            }
        }

        private static func checkType(_ argument: Argument, allowed types: [String], function: String) throws(QueryError) {
            switch argument {
            case .expression:
                guard types.contains("expref") else {
                    throw invalidType(function, value: "&expression", actual: "expref", expected: types)
                }
            case .value(let value):
                if types.isEmpty { return }
                let actual = typeName(of: value)
                guard types.contains(where: { $0 == actual || $0.hasPrefix(actual + "-") }) else {
                    throw invalidType(function, value: value.displayString, actual: actual, expected: types)
                }
                // `array-number` / `array-string`: every element has the type of the first
                // element that one of the allowed element types accepts, as Python checks it.
                let elementTypes = types.compactMap { $0.hasPrefix("array-") ? String($0.dropFirst(6)) : nil }
                guard case .list(let elements) = value, !elementTypes.isEmpty, let first = elements.first else { return }
                let required = typeName(of: first)
                guard elementTypes.contains(required) else {
                    throw invalidType(function, value: first.displayString, actual: required, expected: types)
                }
                for element in elements where typeName(of: element) != required {
                    throw invalidType(function, value: element.displayString, actual: typeName(of: element), expected: types)
                }
            }
        }

        static func invalidType(_ function: String, value: String, actual: String, expected: [String]) -> QueryError {
            let expectedList = "[" + expected.map { "'\($0)'" }.joined(separator: ", ") + "]"
            return QueryError(
                kind: .invalidType,
                message: "In function \(function)(), invalid type for value: \(value), expected one of: \(expectedList), received: \"\(actual)\"")
        }

        /// The JMESPath type of a value, as the `type()` function names it.
        static func typeName(of value: Value) -> String {
            switch value {
            case .none: "null"
            case .bool: "boolean"
            case .int, .float: "number"
            case .string: "string"
            case .list: "array"
            case .dict: "object"
            case .undefined: "unknown"
            }
        }

        // MARK: The function table

        private static let table: [String: (Signature, Implementation)] = [
            "abs": (Signature(parameters: [["number"]]), { arguments, _ throws(QueryError) in
                let value = arguments.values[0]
                if case .int(let number) = value {
                    guard number != .min else { throw .evaluation("integer overflow in abs()") }
                    return .int(Swift.abs(number))
                }
                return .float(Swift.abs(value.numericValue ?? 0))
            }),
            "avg": (Signature(parameters: [["array-number"]]), { arguments, _ throws(QueryError) in
                let numbers = arguments.values[0].array ?? []
                guard !numbers.isEmpty else { return .none }
                return .float((Numbers.sum(numbers).numericValue ?? 0) / Double(numbers.count))
            }),
            "ceil": (Signature(parameters: [["number"]]), { arguments, _ throws(QueryError) in
                try Numbers.integral(arguments.values[0], rounding: .up)
            }),
            "floor": (Signature(parameters: [["number"]]), { arguments, _ throws(QueryError) in
                try Numbers.integral(arguments.values[0], rounding: .down)
            }),
            "contains": (Signature(parameters: [["array", "string"], []]), { arguments, _ throws(QueryError) in
                let (subject, search) = (arguments.values[0], arguments.values[1])
                if case .string = subject, search.string == nil {
                    throw .evaluation("'in <string>' requires string as left operand, not \(search.pythonTypeName)")
                }
                return .bool((try? subject.pythonContains(search)) ?? false)
            }),
            "ends_with": (Signature(parameters: [["string"], ["string"]]), { arguments, _ throws(QueryError) in
                let (subject, suffix) = (arguments.values[0].string ?? "", arguments.values[1].string ?? "")
                return .bool(subject.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed()))
            }),
            "starts_with": (Signature(parameters: [["string"], ["string"]]), { arguments, _ throws(QueryError) in
                let (subject, prefix) = (arguments.values[0].string ?? "", arguments.values[1].string ?? "")
                return .bool(subject.unicodeScalars.starts(with: prefix.unicodeScalars))
            }),
            "join": (Signature(parameters: [["string"], ["array-string"]]), { arguments, _ throws(QueryError) in
                let parts = (arguments.values[1].array ?? []).map { $0.string ?? "" }
                return .string(parts.joined(separator: arguments.values[0].string ?? ""))
            }),
            "keys": (Signature(parameters: [["object"]]), { arguments, _ throws(QueryError) in
                .list(arguments.values[0].dictionary?.keys ?? [])
            }),
            "values": (Signature(parameters: [["object"]]), { arguments, _ throws(QueryError) in
                .list(arguments.values[0].dictionary?.values ?? [])
            }),
            "length": (Signature(parameters: [["string", "array", "object"]]), { arguments, _ throws(QueryError) in
                switch arguments.values[0] {
                case .string(let text): return .int(text.unicodeScalars.count)
                case .list(let items): return .int(items.count)
                case .dict(let dictionary): return .int(dictionary.count)
                default: return .none
                }
            }),
            "map": (Signature(parameters: [["expref"], ["array"]]), { arguments, interpreter throws(QueryError) in
                var results: [Value] = []
                for element in arguments.values[1].array ?? [] {
                    results.append(try interpreter.evaluate(arguments.expression(0), on: element))
                }
                return .list(results)
            }),
            "max": (Signature(parameters: [["array-number", "array-string"]]), { arguments, _ throws(QueryError) in
                try Ordering.extreme(of: arguments.values[0].array ?? [], largest: true)
            }),
            "min": (Signature(parameters: [["array-number", "array-string"]]), { arguments, _ throws(QueryError) in
                try Ordering.extreme(of: arguments.values[0].array ?? [], largest: false)
            }),
            "max_by": (Signature(parameters: [["array"], ["expref"]]), { arguments, interpreter throws(QueryError) in
                try Ordering.extreme(
                    of: arguments.values[0].array ?? [], by: arguments.expression(1), function: "max_by", largest: true,
                    interpreter: interpreter)
            }),
            "min_by": (Signature(parameters: [["array"], ["expref"]]), { arguments, interpreter throws(QueryError) in
                try Ordering.extreme(
                    of: arguments.values[0].array ?? [], by: arguments.expression(1), function: "min_by", largest: false,
                    interpreter: interpreter)
            }),
            "sort": (Signature(parameters: [["array-string", "array-number"]]), { arguments, _ throws(QueryError) in
                .list(try Ordering.sorted(arguments.values[0].array ?? []) { $0 })
            }),
            "sort_by": (Signature(parameters: [["array"], ["expref"]]), { arguments, interpreter throws(QueryError) in
                try Ordering.sorted(arguments.values[0].array ?? [], by: arguments.expression(1), interpreter: interpreter)
            }),
            "merge": (Signature(parameters: [["object"]], variadic: true), { arguments, _ throws(QueryError) in
                var merged = ValueDictionary()
                for object in arguments.values {
                    for (key, value) in object.dictionary ?? ValueDictionary() { merged[key] = value }
                }
                return .dict(merged)
            }),
            "not_null": (Signature(parameters: [[]], variadic: true), { arguments, _ throws(QueryError) in
                arguments.values.first { if case .none = $0 { return false } else { return true } } ?? .none
            }),
            "reverse": (Signature(parameters: [["array", "string"]]), { arguments, _ throws(QueryError) in
                if case .string(let text) = arguments.values[0] {
                    return .string(String(String.UnicodeScalarView(text.unicodeScalars.reversed())))
                }
                return .list((arguments.values[0].array ?? []).reversed())
            }),
            "sum": (Signature(parameters: [["array-number"]]), { arguments, _ throws(QueryError) in
                Numbers.sum(arguments.values[0].array ?? [])
            }),
            "to_array": (Signature(parameters: [[]]), { arguments, _ throws(QueryError) in
                let value = arguments.values[0]
                return value.array != nil ? value : .list([value])
            }),
            "to_number": (Signature(parameters: [[]]), { arguments, _ throws(QueryError) in
                switch arguments.values[0] {
                case .int, .float: return arguments.values[0]
                case .string(let text): return Numbers.parse(text) ?? .none
                default: return .none
                }
            }),
            "to_string": (Signature(parameters: [[]]), { arguments, _ throws(QueryError) in
                let value = arguments.values[0]
                if case .string = value { return value }
                // Python's json.dumps(value, separators=(',', ':')), ASCII-escaped as by default.
                return .string(JSON.text(value, JSON.Style(itemSeparator: ",", keySeparator: ":")))
            }),
            "type": (Signature(parameters: [[]]), { arguments, _ throws(QueryError) in
                .string(typeName(of: arguments.values[0]))
            }),
        ]
    }
}

extension [JMESPath.Argument] {
    /// The arguments as values; an expression reference (only accepted where a signature says
    /// `expref`) stands as null.
    var values: [Value] {
        map { argument in
            if case .value(let value) = argument { return value }
            return .none
        }
    }

    /// The expression reference at `position` (signature checks guarantee there is one).
    func expression(_ position: Int) -> JMESPath.Node {
        if case .expression(let node) = self[position] { return node }
        return .identity
    }
}
