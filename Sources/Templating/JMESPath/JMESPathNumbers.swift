import Foundation

extension JMESPath {
    /// Number handling shared by the functions, following Python's arithmetic: integers stay
    /// integers until a float joins in, and strings convert as Python's `int()` / `float()` read them.
    enum Numbers {
        /// Python's `sum()`: an integer while every term is one, else a float.
        static func sum(_ numbers: [Value]) -> Value {
            var integerTotal = 0
            var floatTotal: Double? = nil
            for number in numbers {
                if floatTotal == nil, case .int(let term) = number {
                    let (total, overflow) = integerTotal.addingReportingOverflow(term)
                    // Python's integers do not overflow; a float is the nearest this model can hold.
                    if !overflow { integerTotal = total; continue }
                    floatTotal = Double(integerTotal)
                }
                floatTotal = (floatTotal ?? Double(integerTotal)) + (number.numericValue ?? 0)
            }
            return floatTotal.map(Value.float) ?? .int(integerTotal)
        }

        /// `math.ceil` / `math.floor`: an integer, as in Python 3.
        static func integral(_ value: Value, rounding: FloatingPointRoundingRule) throws(QueryError) -> Value {
            switch value {
            case .int: return value
            case .float(let number):
                if number.isNaN { throw .evaluation("cannot convert float NaN to integer") }
                if number.isInfinite { throw .evaluation("cannot convert float infinity to integer") }
                let rounded = number.rounded(rounding)
                // Beyond Int's range Python would give a big integer; the float is its exact value.
                return Int(exactly: rounded).map(Value.int) ?? .float(rounded)
            default: return .none
            }
        }

        /// `to_number` of a string: Python's `int(text)`, else `float(text)`, else null.
        static func parse(_ text: String) -> Value? {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.wholeMatch(of: /[+-]?[0-9](_?[0-9])*/) != nil,
                let number = Int(trimmed.replacingOccurrences("_", "").replacingOccurrences("+", ""))
            {
                return .int(number)
            }
            let lowered = trimmed.lowercased()
            let unsigned = lowered.hasPrefix("-") || lowered.hasPrefix("+") ? String(lowered.dropFirst()) : lowered
            let negative = lowered.hasPrefix("-")
            switch unsigned {
            case "inf", "infinity": return .float(negative ? -.infinity : .infinity)
            case "nan": return .float(.nan)
            default: break
            }
            let decimal = /[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?/
            guard trimmed.wholeMatch(of: decimal) != nil else { return nil }
            return Double(trimmed.replacingOccurrences("_", "")).map(Value.float)
        }
    }
}
