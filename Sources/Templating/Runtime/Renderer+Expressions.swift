/// Expression evaluation.
extension Renderer {
    func evaluate(_ expression: Expression) throws -> Value {
        switch expression {
        case .literal(let value):
            return value
        case .name(let name, _):
            return try lookup(name)
        case .attribute(let base, let name, let offset):
            guard case .name(let baseName, _) = base else { return try attribute(name, of: try evaluate(base), offset: offset) }
            // One lookup of the base name serves both plain values and `loop` / imported modules.
            switch try binding(of: baseName) {
            case .value(let value)?: return try attribute(name, of: value, offset: offset)
            case .loop(let loop)?:
                return loop.attribute(name) ?? .undefined(Undefined(hint: "'LoopContext object' has no attribute '\(name)'"))
            case .module(let module)?:
                if case .value(let value)? = module.frame[name] { return value }
                return .undefined(Undefined(hint: "the template module has no attribute '\(name)'"))
            case .macro?: return .undefined(Undefined(hint: "object of type 'Macro' has no attribute '\(name)'"))
            case .helper(let object)?:
                return object.attribute(name) ?? .undefined(object.noSuchAttribute(name))
            case nil: return .undefined(Undefined.name(baseName))
            }
        case .item(let base, let key, let offset):
            return try item(try evaluate(key), of: try evaluate(base), offset: offset)
        case .slice(let base, let start, let stop, let step, let offset):
            let value = try evaluate(base)
            do {
                return try Slicing.slice(
                    value, start: try start.map(evaluate), stop: try stop.map(evaluate), step: try step.map(evaluate))
            } catch { throw locate(error, at: offset) }
        case .list(let items), .tuple(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .dict(let pairs):
            var dictionary = ValueDictionary()
            for pair in pairs { dictionary[try evaluate(pair.key)] = try evaluate(pair.value) }
            return .dict(dictionary)
        case .unary(let op, let operand, let offset):
            let value = try evaluate(operand)
            switch (op, value) {
            case (.negate, .int(let number)):
                if number == Int.min { throw RenderFailure("integer overflow", kind: .value, offset: offset) }
                return .int(-number)
            case (.negate, .float(let number)): return .float(-number)
            case (.negate, .bool(let flag)): return .int(flag ? -1 : 0)
            case (.plus, .int), (.plus, .float): return value
            case (.plus, .bool(let flag)): return .int(flag ? 1 : 0)
            case (_, .undefined(let undefined)): throw RenderFailure.undefined(undefined).located(at: offset, in: template)
            default:
                throw RenderFailure(
                    "bad operand type for unary \(op == .negate ? "-" : "+"): '\(value.pythonTypeName)'", kind: .type,
                    offset: offset)
            }
        case .binary(let op, let left, let right, let offset):
            let leftValue = try evaluate(left)
            let rightValue = try evaluate(right)
            do { return try Value.applying(op, leftValue, rightValue) } catch { throw locate(error, at: offset) }
        case .and(let left, let right):
            let leftValue = try evaluate(left)
            return try truth(leftValue, at: left) ? try evaluate(right) : leftValue
        case .or(let left, let right):
            let leftValue = try evaluate(left)
            return try truth(leftValue, at: left) ? leftValue : try evaluate(right)
        case .not(let operand):
            return .bool(!(try truth(try evaluate(operand), at: operand)))
        case .compare(let first, let operations, let offset):
            var left = try evaluate(first)
            do {
                for operation in operations {
                    let right = try evaluate(operation.operand)
                    if !(try compare(left, operation.op, right)) { return .bool(false) }
                    left = right
                }
            } catch { throw locate(error, at: offset) }
            return .bool(true)
        case .concat(let parts, let offset):
            var result = ""
            do {
                for part in parts {
                    let value = try evaluate(part)
                    if case .none = value { result += "None" } else { result += try value.pythonString() }
                }
            } catch { throw locate(error, at: offset) }
            return .string(result)
        case .conditional(let test, let then, let otherwise):
            if try truth(try evaluate(test), at: test) { return try evaluate(then) }
            if let otherwise { return try evaluate(otherwise) }
            return .undefined(Undefined(hint: Renderer.missingElseHint))
        case .filter(let base, let call):
            return try applyFilter(call, to: try evaluate(base))
        case .test(let base, let call, let negated):
            let result = try applyTest(call, to: try evaluate(base))
            return .bool(negated ? !result : result)
        case .call(let callee, let arguments, let offset):
            do { return try self.call(callee, arguments, offset: offset) } catch { throw locate(error, at: offset) }
        }
    }

    /// Truth of a value; an undefined value raises its error at the expression's position.
    func truth(_ value: Value, at expression: Expression) throws -> Bool {
        do { return try value.truthy() } catch { throw locate(error, at: Self.offset(of: expression) ?? 0) }
    }

    static func offset(of expression: Expression) -> Int? {
        switch expression {
        case .name(_, let offset), .attribute(_, _, let offset), .item(_, _, let offset), .slice(_, _, _, _, let offset),
            .unary(_, _, let offset), .binary(_, _, _, let offset), .compare(_, _, let offset), .concat(_, let offset),
            .call(_, _, let offset):
            return offset
        case .filter(_, let call): return call.offset
        case .test(_, let call, _): return call.offset
        case .and(let left, _), .or(let left, _), .not(let left), .conditional(let left, _, _): return offset(of: left)
        default: return nil
        }
    }

    func compare(_ left: Value, _ op: ComparisonOperator, _ right: Value) throws -> Bool {
        switch op {
        case .equal:
            if case .undefined(let undefined) = left { throw RenderFailure.undefined(undefined) }
            if case .undefined(let undefined) = right { throw RenderFailure.undefined(undefined) }
            return left.pythonEquals(right)
        case .notEqual:
            if case .undefined(let undefined) = left { throw RenderFailure.undefined(undefined) }
            if case .undefined(let undefined) = right { throw RenderFailure.undefined(undefined) }
            return !left.pythonEquals(right)
        case .less: return try left.pythonLess(than: right, symbol: "<")
        case .greater: return try right.pythonLess(than: left, symbol: ">")
        case .lessOrEqual:
            return try left.pythonLess(than: right, symbol: "<=") || left.pythonEquals(right)
        case .greaterOrEqual:
            return try right.pythonLess(than: left, symbol: ">=") || left.pythonEquals(right)
        case .contains:
            if case .undefined(let undefined) = left { throw RenderFailure.undefined(undefined) }
            return try right.pythonContains(left)
        case .notContains:
            if case .undefined(let undefined) = left { throw RenderFailure.undefined(undefined) }
            return !(try right.pythonContains(left))
        }
    }

    /// Jinja2's `getattr`: attribute first, then item; a miss is an undefined value.
    func attribute(_ name: String, of value: Value, offset: Int) throws -> Value {
        switch value {
        case .dict(let dictionary):
            if let found = dictionary[name] { return found }
        case .undefined:
            // Ansible keeps the first miss: `a.b.c` with `a.b` missing reports `b`.
            return value
        default:
            break
        }
        return .undefined(.attribute(name, ofType: value.pythonTypeName))
    }

    /// Jinja2's `getitem`: item first, then attribute for string keys.
    func item(_ key: Value, of value: Value, offset: Int) throws -> Value {
        switch value {
        case .dict(let dictionary):
            if let found = dictionary[key] { return found }
            if let number = key.numericValue, key.isNumber {
                // 1 == 1.0 == True as dictionary keys in Python.
                for candidate in dictionary.keys where candidate.numericValue == number { return dictionary[candidate] ?? .none }
            }
        case .list(let items):
            if let index = key.integerValue {
                let resolved = index < 0 ? items.count + index : index
                if resolved >= 0 && resolved < items.count { return items[resolved] }
            }
        case .string(let string):
            if let index = key.integerValue {
                let characters = Array(string)
                let resolved = index < 0 ? characters.count + index : index
                if resolved >= 0 && resolved < characters.count { return .string(String(characters[resolved])) }
            }
        case .undefined:
            return value
        default:
            break
        }
        if case .undefined(let undefined) = key { throw RenderFailure.undefined(undefined).located(at: offset, in: template) }
        let keyText = key.string.map { "'\($0)'" } ?? key.pythonRepr
        return .undefined(Undefined(hint: "object of type '\(value.pythonTypeName)' has no attribute \(keyText)"))
    }
}
