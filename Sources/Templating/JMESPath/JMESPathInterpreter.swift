extension JMESPath {
    /// Evaluates parsed expressions with the semantics of Python's `jmespath.visitor.TreeInterpreter`.
    struct Interpreter {
        func evaluate(_ node: Node, on value: Value) throws(QueryError) -> Value {
            switch node {
            case .identity, .current:
                return value
            case .field(let name):
                return value.dictionary?[name] ?? .none
            case .literal(let literal):
                return literal
            case .subexpression(let children), .indexExpression(let children):
                var result = value
                for child in children { result = try evaluate(child, on: result) }
                return result
            case .index(let index):
                guard case .list(let items) = value else { return .none }
                let resolved = index < 0 ? items.count + index : index
                return items.indices.contains(resolved) ? items[resolved] : .none
            case .slice(let start, let stop, let step):
                guard case .list(let items) = value else { return .none }
                guard step != 0 else { throw .evaluation("slice step cannot be zero") }
                return .list(Slicing.indices(count: items.count, start: start, stop: stop, step: step ?? 1).map { items[$0] })
            case .projection(let base, let each):
                guard case .list(let items) = try evaluate(base, on: value) else { return .none }
                return try project(items, each)
            case .valueProjection(let base, let each):
                guard case .dict(let dictionary) = try evaluate(base, on: value) else { return .none }
                return try project(dictionary.values, each)
            case .filterProjection(let base, let each, let condition):
                guard case .list(let items) = try evaluate(base, on: value) else { return .none }
                var kept: [Value] = []
                for item in items where Self.isTruthy(try evaluate(condition, on: item)) { kept.append(item) }
                return try project(kept, each)
            case .flatten(let base):
                guard case .list(let items) = try evaluate(base, on: value) else { return .none }
                return .list(items.flatMap { $0.array ?? [$0] })
            case .comparison(let comparator, let left, let right):
                return try Self.compare(try evaluate(left, on: value), comparator, try evaluate(right, on: value))
            case .or(let left, let right):
                let result = try evaluate(left, on: value)
                return Self.isTruthy(result) ? result : try evaluate(right, on: value)
            case .and(let left, let right):
                let result = try evaluate(left, on: value)
                return Self.isTruthy(result) ? try evaluate(right, on: value) : result
            case .not(let operand):
                return .bool(!Self.isTruthy(try evaluate(operand, on: value)))
            case .pipe(let left, let right):
                return try evaluate(right, on: try evaluate(left, on: value))
            case .multiSelectList(let elements):
                if case .none = value { return .none }
                var results: [Value] = []
                for element in elements { results.append(try evaluate(element, on: value)) }
                return .list(results)
            case .multiSelectHash(let entries):
                if case .none = value { return .none }
                var result = ValueDictionary()
                for entry in entries { result[entry.key] = try evaluate(entry.value, on: value) }
                return .dict(result)
            case .function(let name, let argumentNodes, _):
                var arguments: [Argument] = []
                for argument in argumentNodes {
                    if case .expressionReference(let expression) = argument {
                        arguments.append(.expression(expression))
                    } else {
                        arguments.append(.value(try evaluate(argument, on: value)))
                    }
                }
                return try Functions.call(name, arguments, interpreter: self)
            case .expressionReference:
                // Python hands back an opaque expression object here, which no template can use;
                // only functions such as sort_by have a meaning for `&expression`.
                throw .evaluation("an expression reference (&...) can only be passed to a function that expects one")
            }
        }

        /// Evaluates `each` on every element, dropping null results, as projections do.
        private func project(_ elements: [Value], _ each: Node) throws(QueryError) -> Value {
            var results: [Value] = []
            for element in elements {
                let result = try evaluate(each, on: element)
                if case .none = result { continue }
                results.append(result)
            }
            return .list(results)
        }

        /// JMESPath truth: false, null and empty strings, arrays and objects are false; every
        /// number (0 included) is true.
        static func isTruthy(_ value: Value) -> Bool {
            switch value {
            case .none, .undefined: return false
            case .bool(let flag): return flag
            case .string(let text): return !text.isEmpty
            case .list(let items): return !items.isEmpty
            case .dict(let dictionary): return !dictionary.isEmpty
            case .int, .float: return true
            }
        }

        /// `==` is Python equality except that true/false never equal 1/0; ordering applies to
        /// numbers and strings only (anything else compares as null), and Python's TypeError for a
        /// number against a string is kept.
        static func compare(_ left: Value, _ comparator: Comparator, _ right: Value) throws(QueryError) -> Value {
            switch comparator {
            case .equal: return .bool(equals(left, right))
            case .notEqual: return .bool(!equals(left, right))
            case .less, .lessOrEqual, .greater, .greaterOrEqual:
                guard isOrderable(left), isOrderable(right) else { return .none }
                do {
                    switch comparator {
                    case .less: return .bool(try left.pythonLess(than: right, symbol: "<"))
                    case .greater: return .bool(try right.pythonLess(than: left, symbol: ">"))
                    case .lessOrEqual: return .bool(try left.pythonLess(than: right, symbol: "<=") || left.pythonEquals(right))
                    default: return .bool(try right.pythonLess(than: left, symbol: ">=") || left.pythonEquals(right))
                    }
                } catch {
                    throw .evaluation(error.message)
                }
            }
        }

        static func equals(_ left: Value, _ right: Value) -> Bool {
            if isBoolean(left) != isBoolean(right), isNumber(left) || isNumber(right) { return false }
            return left.pythonEquals(right)
        }

        private static func isBoolean(_ value: Value) -> Bool {
            if case .bool = value { return true }
            return false
        }

        static func isNumber(_ value: Value) -> Bool {
            switch value {
            case .int, .float: return true
            default: return false
            }
        }

        private static func isOrderable(_ value: Value) -> Bool {
            if case .string = value { return true }
            return isNumber(value)
        }
    }
}
