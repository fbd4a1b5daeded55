extension JMESPath {
    /// Ordering for `sort`, `sort_by`, `min`, `max`, `min_by` and `max_by`: numbers by value,
    /// strings by code point, stable like Python's `sorted`, ties resolved to the first element
    /// like Python's `min` / `max`.
    enum Ordering {
        static func less(_ left: Value, _ right: Value) throws(QueryError) -> Bool {
            do { return try left.pythonLess(than: right) } catch { throw .evaluation(error.message) }
        }

        /// The first smallest or largest element.
        static func extreme(of elements: [Value], largest: Bool) throws(QueryError) -> Value {
            guard var best = elements.first else { return .none }
            for element in elements.dropFirst() where try largest ? less(best, element) : less(element, best) {
                best = element
            }
            return best
        }

        /// The first element whose key (a number or a string) is the smallest or largest.
        static func extreme(
            of elements: [Value], by key: Node, function: String, largest: Bool, interpreter: Interpreter
        ) throws(QueryError) -> Value {
            guard let first = elements.first else { return .none }
            var best = (element: first, key: try sortKey(first, key, function: function, interpreter: interpreter))
            for element in elements.dropFirst() {
                let candidate = try sortKey(element, key, function: function, interpreter: interpreter)
                if try largest ? less(best.key, candidate) : less(candidate, best.key) { best = (element, candidate) }
            }
            return best.element
        }

        /// A stable sort of homogeneous numbers or strings (the signature check ensures that).
        static func sorted(_ elements: [Value], key: (Value) -> Value) throws(QueryError) -> [Value] {
            do {
                return try FilterSupport.stableSorted(elements) { left, right in try less(key(left), key(right)) }
            } catch let error as QueryError {
                throw error
            } catch {
                throw .evaluation("\(error)")
            }
        }

        /// `sort_by`: every key must have the type (number or string) of the first element's key.
        static func sorted(_ elements: [Value], by key: Node, interpreter: Interpreter) throws(QueryError) -> Value {
            guard let first = elements.first else { return .list(elements) }
            let required = Functions.typeName(of: try interpreter.evaluate(key, on: first))
            guard required == "number" || required == "string" else {
                throw Functions.invalidType("sort_by", value: first.displayString, actual: required, expected: ["string", "number"])
            }
            var keyed: [Value] = []
            for element in elements {
                let elementKey = try interpreter.evaluate(key, on: element)
                let actual = Functions.typeName(of: elementKey)
                guard actual == required else {
                    throw Functions.invalidType("sort_by", value: elementKey.displayString, actual: actual, expected: [required])
                }
                keyed.append(.list([elementKey, element]))
            }
            // Sorting [key, element] pairs by their key alone keeps equal keys in input order.
            return .list(try sorted(keyed) { $0.array?.first ?? .none }.map { $0.array?[1] ?? .none })
        }

        private static func sortKey(_ element: Value, _ key: Node, function: String, interpreter: Interpreter) throws(QueryError) -> Value {
            let result = try interpreter.evaluate(key, on: element)
            let actual = Functions.typeName(of: result)
            guard actual == "number" || actual == "string" else {
                throw Functions.invalidType(function, value: result.displayString, actual: actual, expected: ["number", "string"])
            }
            return result
        }
    }
}
