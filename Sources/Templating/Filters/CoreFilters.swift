/// Jinja2's built-in filters on numbers, sequences and mappings.
enum CoreFilters {
    static let table: [String: FilterFunction] = [
        "default": defaultFilter, "d": defaultFilter,
        "abs": { input, _, _ in
            switch input {
            case .int(let number):
                guard number != Int.min else { throw RenderFailure("integer overflow", kind: .value) }
                return .int(abs(number))
            case .float(let number): return .float(abs(number))
            case .bool(let flag): return .int(flag ? 1 : 0)
            default: throw RenderFailure.type("bad operand type for abs(): '\(input.pythonTypeName)'")
            }
        },
        "attr": { input, arguments, _ in
            // Python getattr only: dictionary keys are not attributes.
            let name = try arguments.string(0, "name", default: "")
            return .undefined(Undefined(hint: "'\(input.pythonTypeName) object' has no attribute '\(name)'"))
        },
        "length": length, "count": length,
        "first": { input, _, _ in
            let items = try input.iterated()
            return items.first ?? .undefined(Undefined(hint: "No first item, sequence was empty."))
        },
        "last": { input, _, _ in
            let items = try input.iterated()
            return items.last ?? .undefined(Undefined(hint: "No last item, sequence was empty."))
        },
        "int": { input, arguments, _ in
            let base = try arguments.integer(1, "base", default: 10)
            let fallback = try arguments.integer(0, "default", default: 0)
            return .int(FilterSupport.toInt(input, default: fallback, base: base))
        },
        "float": { input, arguments, _ in
            let fallback = arguments.value(0, "default").flatMap(\.numericValue) ?? 0
            return .float(FilterSupport.toFloat(input, default: fallback))
        },
        "string": { input, _, _ in .string(try input.pythonString()) },
        "list": { input, _, _ in .list(try input.iterated()) },
        "items": { input, _, _ in
            guard case .dict(let dictionary) = input else {
                throw RenderFailure.type("Can only get item pairs from a mapping.")
            }
            return .list(dictionary.map { .list([$0.key, $0.value]) })
        },
        "join": { input, arguments, _ in
            let separator = try arguments.string(0, "d", default: "")
            let attribute = arguments.value(1, "attribute").map(\.displayString)
            var output = ""
            for (index, item) in try input.iterated().enumerated() {
                if index > 0 { output += separator }
                let element = attribute.map { FilterSupport.attribute($0, of: item) } ?? item
                if case .none = element { output += "None" } else { output += try element.pythonString() }
            }
            return .string(output)
        },
        "reverse": { input, _, _ in
            switch input {
            case .string(let text): return .string(String(text.reversed()))
            default: return .list(try input.iterated().reversed())
            }
        },
        "round": { input, arguments, _ in
            let precision = try arguments.integer(0, "precision", default: 0)
            let method = try arguments.string(1, "method", default: "common")
            guard let number = input.numericValue else {
                throw RenderFailure.type("type \(input.pythonTypeName) doesn't define __round__ method")
            }
            let factor = Value.pow(10, Double(precision))
            let scaled = number * factor
            let rounded: Double
            switch method {
            case "common": rounded = scaled.rounded(.toNearestOrEven)
            case "ceil": rounded = scaled.rounded(.up)
            case "floor": rounded = scaled.rounded(.down)
            default: throw RenderFailure("method must be common, ceil or floor", kind: .value)
            }
            return .float(rounded / factor)
        },
        "max": { input, arguments, _ in try extreme(input, arguments, wantMax: true) },
        "min": { input, arguments, _ in try extreme(input, arguments, wantMax: false) },
        "sum": { input, arguments, _ in
            let attribute = arguments.value(0, "attribute").flatMap { $0.string }
            var total = arguments.value(1, "start") ?? .int(0)
            for item in try input.iterated() {
                let element = attribute.map { FilterSupport.attribute($0, of: item) } ?? item
                total = try Value.applying(.add, total, element)
            }
            return total
        },
        "sort": { input, arguments, _ in
            let reverse = try arguments.bool(0, "reverse", default: false)
            let caseSensitive = try arguments.bool(1, "case_sensitive", default: false)
            let attributes = arguments.value(2, "attribute").map { $0.displayString.split(separator: ",").map(String.init) } ?? []
            let items = try input.iterated()
            func key(_ item: Value) -> [Value] {
                attributes.isEmpty
                    ? [FilterSupport.sortKey(item, caseSensitive: caseSensitive)]
                    : attributes.map { FilterSupport.sortKey(FilterSupport.attribute($0, of: item), caseSensitive: caseSensitive) }
            }
            let sorted = try FilterSupport.stableSorted(items) { a, b in
                let (ka, kb) = (key(a), key(b))
                for (x, y) in zip(ka, kb) where !x.pythonEquals(y) {
                    return reverse ? try y.pythonLess(than: x) : try x.pythonLess(than: y)
                }
                return false
            }
            return .list(sorted)
        },
        "dictsort": { input, arguments, _ in
            guard case .dict(let dictionary) = input else { throw RenderFailure.type("You can only sort by either \"key\" or \"value\"") }
            let caseSensitive = try arguments.bool(0, "case_sensitive", default: false)
            let by = try arguments.string(1, "by", default: "key")
            let reverse = try arguments.bool(2, "reverse", default: false)
            guard by == "key" || by == "value" else {
                throw RenderFailure("You can only sort by either \"key\" or \"value\"", kind: .value)
            }
            let pairs: [Value] = dictionary.map { .list([$0.key, $0.value]) }
            let sorted = try FilterSupport.stableSorted(pairs) { a, b in
                let index = by == "key" ? 0 : 1
                guard case .list(let x) = a, case .list(let y) = b else { return false }
                let (kx, ky) = (FilterSupport.sortKey(x[index], caseSensitive: caseSensitive), FilterSupport.sortKey(y[index], caseSensitive: caseSensitive))
                return reverse ? try ky.pythonLess(than: kx) : try kx.pythonLess(than: ky)
            }
            return .list(sorted)
        },
        "unique": { input, arguments, _ in
            let caseSensitive = try arguments.bool(0, "case_sensitive", default: false)
            let attribute = arguments.value(1, "attribute").flatMap(\.string)
            var seen: [Value] = []
            var result: [Value] = []
            for item in try input.iterated() {
                let key = FilterSupport.sortKey(attribute.map { FilterSupport.attribute($0, of: item) } ?? item, caseSensitive: caseSensitive)
                if !seen.contains(where: { $0.pythonEquals(key) }) {
                    seen.append(key)
                    result.append(item)
                }
            }
            return .list(result)
        },
        "batch": { input, arguments, _ in
            let size = try arguments.integer(0, "linecount", default: 1)
            guard size > 0 else { throw RenderFailure("batch size must be positive", kind: .value) }
            let fill = arguments.value(1, "fill_with")
            let items = try input.iterated()
            var batches: [Value] = []
            var index = 0
            while index < items.count {
                var chunk = Array(items[index..<min(index + size, items.count)])
                if let fill, chunk.count < size { chunk += Array(repeating: fill, count: size - chunk.count) }
                batches.append(.list(chunk))
                index += size
            }
            return .list(batches)
        },
        "slice": { input, arguments, _ in
            let count = try arguments.integer(0, "slices", default: 1)
            guard count > 0 else { throw RenderFailure("slices must be positive", kind: .value) }
            let fill = arguments.value(1, "fill_with")
            let items = try input.iterated()
            let perSlice = items.count / count
            let withExtra = items.count % count
            var offset = 0
            var slices: [Value] = []
            for sliceIndex in 0..<count {
                let start = offset + sliceIndex * perSlice
                if sliceIndex < withExtra { offset += 1 }
                let end = offset + (sliceIndex + 1) * perSlice
                var part = Array(items[min(start, items.count)..<min(end, items.count)])
                if let fill, sliceIndex >= withExtra { part.append(fill) }
                slices.append(.list(part))
            }
            return .list(slices)
        },
        "groupby": { input, arguments, _ in
            let attribute = try arguments.string(0, "attribute", default: "")
            let fallback = arguments.value(1, "default")
            let caseSensitive = try arguments.bool(2, "case_sensitive", default: false)
            var groups: [(key: Value, items: [Value])] = []
            for item in try input.iterated() {
                var key = FilterSupport.attribute(attribute, of: item)
                if case .undefined(let undefined) = key {
                    guard let fallback else { throw RenderFailure.undefined(undefined) }
                    key = fallback
                }
                let normalized = FilterSupport.sortKey(key, caseSensitive: caseSensitive)
                if let index = groups.firstIndex(where: { FilterSupport.sortKey($0.key, caseSensitive: caseSensitive).pythonEquals(normalized) }) {
                    groups[index].items.append(item)
                } else {
                    groups.append((key, [item]))
                }
            }
            let sorted = try FilterSupport.stableSorted(groups.map { Value.list([$0.key, .list($0.items)]) }) { a, b in
                guard case .list(let x) = a, case .list(let y) = b else { return false }
                return try FilterSupport.lessThan(x[0], y[0], caseSensitive: caseSensitive)
            }
            return .list(sorted)
        },
    ]

    private static let defaultFilter: FilterFunction = { input, arguments, _ in
        let fallback = arguments.value(0, "default_value") ?? .string("")
        let boolean = try arguments.bool(1, "boolean", default: false)
        if case .undefined = input { return fallback }
        if boolean, !(try input.truthy()) { return fallback }
        return input
    }

    private static let length: FilterFunction = { input, _, _ in
        switch input {
        case .string(let text): return .int(text.count)
        case .list(let items): return .int(items.count)
        case .dict(let dictionary): return .int(dictionary.count)
        default: throw RenderFailure.type("object of type '\(input.pythonTypeName)' has no len()")
        }
    }

    private static func extreme(_ input: Value, _ arguments: CallArguments, wantMax: Bool) throws -> Value {
        let caseSensitive = try arguments.bool(0, "case_sensitive", default: false)
        let attribute = arguments.value(1, "attribute").flatMap(\.string)
        let items = try input.iterated()
        guard var best = items.first else {
            return .undefined(Undefined(hint: "No aggregated item, sequence was empty."))
        }
        func key(_ item: Value) -> Value {
            FilterSupport.sortKey(attribute.map { FilterSupport.attribute($0, of: item) } ?? item, caseSensitive: caseSensitive)
        }
        for item in items.dropFirst() {
            let better = wantMax ? try key(best).pythonLess(than: key(item)) : try key(item).pythonLess(than: key(best))
            if better { best = item }
        }
        return best
    }
}
