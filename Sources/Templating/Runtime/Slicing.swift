/// Python slice semantics (`x[a:b:c]`) for lists and strings.
enum Slicing {
    static func slice(_ value: Value, start: Value?, stop: Value?, step: Value?) throws(RenderFailure) -> Value {
        func bound(_ value: Value?) throws(RenderFailure) -> Int? {
            guard let value else { return nil }
            if case .none = value { return nil }
            if case .undefined(let undefined) = value { throw .undefined(undefined) }
            guard let number = value.integerValue else {
                throw .type("slice indices must be integers or None or have an __index__ method")
            }
            return number
        }
        let stepValue = try bound(step) ?? 1
        guard stepValue != 0 else { throw RenderFailure("slice step cannot be zero", kind: .value) }
        switch value {
        case .list(let items):
            let indices = indices(count: items.count, start: try bound(start), stop: try bound(stop), step: stepValue)
            return .list(indices.map { items[$0] })
        case .string(let string):
            let characters = Array(string)
            let indices = indices(count: characters.count, start: try bound(start), stop: try bound(stop), step: stepValue)
            return .string(String(indices.map { characters[$0] }))
        case .undefined(let undefined):
            throw .undefined(undefined)
        default:
            throw .type("'\(value.pythonTypeName)' object is not subscriptable")
        }
    }

    /// The indices `range(*slice(start, stop, step).indices(count))` yields.
    static func indices(count: Int, start: Int?, stop: Int?, step: Int) -> [Int] {
        func clamp(_ index: Int?, _ defaultValue: Int, lower: Int, upper: Int) -> Int {
            guard var index else { return defaultValue }
            if index < 0 { index += count }
            return min(max(index, lower), upper)
        }
        var result: [Int] = []
        if step > 0 {
            let from = clamp(start, 0, lower: 0, upper: count)
            let to = clamp(stop, count, lower: 0, upper: count)
            var index = from
            while index < to {
                result.append(index)
                // A step near Int.max (`[1::99999999999999999999]` in a JMESPath query) would overflow.
                let (next, overflow) = index.addingReportingOverflow(step)
                if overflow { break }
                index = next
            }
        } else {
            let from = clamp(start, count - 1, lower: -1, upper: count - 1)
            let to = clamp(stop, -1, lower: -1, upper: count - 1)
            var index = from
            while index > to {
                result.append(index)
                let (next, overflow) = index.addingReportingOverflow(step)
                if overflow { break }
                index = next
            }
        }
        return result
    }
}
