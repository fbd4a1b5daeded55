/// `lookup('sequence', 'start=1 end=10 stride=2 format=web%02d')` and the `1-10/2:fmt` shortcut.
enum SequenceLookup {
    static func run(_ terms: [Value], _ options: CallArguments) throws -> [Value] {
        var results: [Value] = []
        let keywordTerm = options.keyword.map { "\($0.name)=\($0.value.displayString)" }.joined(separator: " ")
        let allTerms = terms.isEmpty ? [Value.string(keywordTerm)] : terms
        for term in allTerms {
            var start = 1, end: Int? = nil, stride = 1, format = "%d", count: Int? = nil
            let text = try term.pythonString() + (terms.isEmpty || keywordTerm.isEmpty ? "" : " " + keywordTerm)
            if text.contains("=") {
                for pair in text.split(separator: " ") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw RenderFailure("can't parse arg \(pair) in sequence", kind: .other) }
                    switch parts[0] {
                    case "start": start = try number(parts[1])
                    case "end": end = try number(parts[1])
                    case "stride": stride = try number(parts[1])
                    case "count": count = try number(parts[1])
                    case "format": format = parts[1]
                    default: throw RenderFailure("unrecognized arguments to with_sequence: \(parts[0])", kind: .other)
                    }
                }
            } else {
                var spec = Substring(text)
                if let colon = spec.firstIndex(of: ":") {
                    format = String(spec[spec.index(after: colon)...])
                    spec = spec[..<colon]
                }
                if let slash = spec.firstIndex(of: "/") {
                    stride = try number(String(spec[spec.index(after: slash)...]))
                    spec = spec[..<slash]
                }
                if let dash = spec.dropFirst().firstIndex(of: "-") {
                    start = try number(String(spec[..<dash]))
                    end = try number(String(spec[spec.index(after: dash)...]))
                } else {
                    end = try number(String(spec))
                }
            }
            if let count {
                guard end == nil else { throw RenderFailure("can't specify both count and end in with_sequence", kind: .other) }
                end = count == 0 ? start - stride : start + (count - 1) * stride
            }
            guard let end else { throw RenderFailure("must specify count or end in with_sequence", kind: .other) }
            guard stride != 0 else { return results }
            if stride > 0 && end < start { throw RenderFailure("to count backwards make stride negative", kind: .other) }
            if stride < 0 && end > start { throw RenderFailure("to count forward don't make stride negative", kind: .other) }
            var value = start
            while stride > 0 ? value <= end : value >= end {
                results.append(.string(try PercentFormatter.format(format, .int(value))))
                value += stride
            }
        }
        return results
    }

    private static func number(_ text: String) throws -> Int {
        let value = FilterSupport.toInt(.string(text), default: Int.min, base: 0)
        guard value != Int.min else { throw RenderFailure("can't parse \(text) as an integer in with_sequence", kind: .other) }
        return value
    }
}
