import Foundation

/// Python arithmetic on values. Integers are 64-bit: overflow is an error rather than a silent wrap.
extension Value {
    private static func unsupported(_ symbol: String, _ left: Value, _ right: Value) -> RenderFailure {
        .type("unsupported operand type(s) for \(symbol): '\(left.pythonTypeName)' and '\(right.pythonTypeName)'")
    }

    private static func overflow() -> RenderFailure {
        RenderFailure("integer overflow: the result does not fit in 64 bits", kind: .value)
    }

    /// Ints (and bools, which are ints in Python) as Int.
    var integerValue: Int? {
        switch self {
        case .int(let value): return value
        case .bool(let value): return value ? 1 : 0
        default: return nil
        }
    }

    static func applying(_ op: BinaryOperator, _ left: Value, _ right: Value) throws(RenderFailure) -> Value {
        if case .undefined(let undefined) = left { throw .undefined(undefined) }
        if case .undefined(let undefined) = right { throw .undefined(undefined) }
        switch op {
        case .add: return try add(left, right)
        case .subtract: return try integerOrFloat(op, left, right, { $0.subtractingReportingOverflow($1) }, -)
        case .multiply: return try multiply(left, right)
        case .divide:
            guard let a = left.numericValue, let b = right.numericValue else { throw unsupported("/", left, right) }
            guard b != 0 else { throw RenderFailure("division by zero", kind: .value) }
            return .float(a / b)
        case .floorDivide:
            if let a = left.integerValue, let b = right.integerValue {
                guard b != 0 else { throw RenderFailure("integer division or modulo by zero", kind: .value) }
                if a == Int.min && b == -1 { throw overflow() }
                let quotient = a / b
                return .int((a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient)
            }
            guard let a = left.numericValue, let b = right.numericValue else { throw unsupported("//", left, right) }
            guard b != 0 else { throw RenderFailure("float floor division by zero", kind: .value) }
            return .float((a / b).rounded(.down))
        case .modulo:
            if case .string(let format) = left { return .string(try PercentFormatter.format(format, right)) }
            if let a = left.integerValue, let b = right.integerValue {
                guard b != 0 else { throw RenderFailure("integer division or modulo by zero", kind: .value) }
                if b == -1 { return .int(0) }
                let remainder = a % b
                return .int(remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder)
            }
            guard let a = left.numericValue, let b = right.numericValue else { throw unsupported("%", left, right) }
            guard b != 0 else { throw RenderFailure("float modulo", kind: .value) }
            let remainder = a.truncatingRemainder(dividingBy: b)
            return .float(remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder)
        case .power: return try power(left, right)
        }
    }

    private static func integerOrFloat(
        _ op: BinaryOperator, _ left: Value, _ right: Value,
        _ integer: (Int, Int) -> (partialValue: Int, overflow: Bool), _ float: (Double, Double) -> Double
    ) throws(RenderFailure) -> Value {
        if let a = left.integerValue, let b = right.integerValue {
            let result = integer(a, b)
            if result.overflow { throw overflow() }
            return .int(result.partialValue)
        }
        guard let a = left.numericValue, let b = right.numericValue else { throw unsupported(op.rawValue, left, right) }
        return .float(float(a, b))
    }

    private static func add(_ left: Value, _ right: Value) throws(RenderFailure) -> Value {
        switch (left, right) {
        case (.string(let a), .string(let b)): return .string(a + b)
        case (.list(let a), .list(let b)): return .list(a + b)
        case (.string, _), (_, .string):
            if case .string = left {
                throw .type("can only concatenate str (not \"\(right.pythonTypeName)\") to str")
            }
            throw unsupported("+", left, right)
        case (.list, _):
            throw .type("can only concatenate list (not \"\(right.pythonTypeName)\") to list")
        default:
            return try integerOrFloat(.add, left, right, { $0.addingReportingOverflow($1) }, +)
        }
    }

    private static func multiply(_ left: Value, _ right: Value) throws(RenderFailure) -> Value {
        switch (left, right) {
        case (.string(let text), _):
            guard let count = right.integerValue else {
                throw .type("can't multiply sequence by non-int of type '\(right.pythonTypeName)'")
            }
            return .string(String(repeating: text, count: max(0, count)))
        case (_, .string(let text)):
            guard let count = left.integerValue else {
                throw .type("can't multiply sequence by non-int of type '\(left.pythonTypeName)'")
            }
            return .string(String(repeating: text, count: max(0, count)))
        case (.list(let items), _):
            guard let count = right.integerValue else {
                throw .type("can't multiply sequence by non-int of type '\(right.pythonTypeName)'")
            }
            return .list(Array(repeating: items, count: max(0, count)).flatMap { $0 })
        case (_, .list(let items)):
            guard let count = left.integerValue else {
                throw .type("can't multiply sequence by non-int of type '\(left.pythonTypeName)'")
            }
            return .list(Array(repeating: items, count: max(0, count)).flatMap { $0 })
        default:
            return try integerOrFloat(.multiply, left, right, { $0.multipliedReportingOverflow(by: $1) }, *)
        }
    }

    private static func power(_ left: Value, _ right: Value) throws(RenderFailure) -> Value {
        if let base = left.integerValue, let exponent = right.integerValue {
            if exponent < 0 {
                guard base != 0 else { throw RenderFailure("0.0 cannot be raised to a negative power", kind: .value) }
                return .float(Self.pow(Double(base), Double(exponent)))
            }
            var result = 1
            var factor = base
            var remaining = exponent
            while remaining > 0 {
                if remaining & 1 == 1 {
                    let (product, overflowed) = result.multipliedReportingOverflow(by: factor)
                    if overflowed { throw overflow() }
                    result = product
                }
                remaining >>= 1
                if remaining > 0 {
                    let (square, overflowed) = factor.multipliedReportingOverflow(by: factor)
                    if overflowed { throw overflow() }
                    factor = square
                }
            }
            return .int(result)
        }
        guard let a = left.numericValue, let b = right.numericValue else { throw unsupported("** or pow()", left, right) }
        return .float(Self.pow(a, b))
    }

    static func pow(_ base: Double, _ exponent: Double) -> Double {
        Foundation.pow(base, exponent)
    }
}
