extension TaskScope {
    /// A keyword that holds a number of seconds (`async`, `poll`, `timeout`, `delay`), templated:
    /// an integer, a float or numeric text; nil when absent or anything else.
    func seconds(_ expression: LocatedExpression?) throws -> Double? {
        guard let expression else { return nil }
        switch try template(expression.value, at: expression.location) {
        case .int(let number): return Double(number)
        case .float(let number): return number
        case .string(let text): return Double(text.trimmingSpaces)
        default: return nil
        }
    }
}
