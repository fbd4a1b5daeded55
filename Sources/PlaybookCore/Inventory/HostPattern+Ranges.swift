/// Host name ranges as Ansible's inventory plugins expand them: `web[01:04]` (zero-padded),
/// `db[a:c]`, steps `[1:10:3]`, several ranges per name, and an optional `:port`.
enum HostRange {
    enum ExpansionError: Error, Equatable {
        case message(String)
        var text: String {
            switch self {
            case .message(let text): return text
            }
        }
    }

    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// The host names `pattern` stands for.
    static func expand(_ pattern: String) throws(ExpansionError) -> [String] {
        guard let open = pattern.firstIndex(of: "[") else { return [pattern] }
        guard let close = pattern[open...].firstIndex(of: "]") else {
            throw .message("host range '\(pattern)' has no closing ']'")
        }
        let head = pattern[..<open]
        let body = pattern[pattern.index(after: open)..<close]
        let tail = pattern[pattern.index(after: close)...]
        let bounds = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else {
            throw .message("host range must be begin:end or begin:end:step")
        }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]
        let end = bounds[1]
        guard !end.isEmpty else { throw .message("host range must specify end value") }
        guard let step = bounds.count == 3 ? Int(bounds[2]) : 1, step > 0 else {
            throw .message("host range step must be a positive integer")
        }
        var sequence: [String]
        if begin.count == 1, end.count == 1, let first = letters.firstIndex(of: Character(begin)),
            let last = letters.firstIndex(of: Character(end))
        {
            guard first <= last else { throw .message("host range must have begin <= end") }
            sequence = stride(from: first, through: last, by: step).map { String(letters[$0]) }
        } else {
            guard let low = Int(begin), let high = Int(end) else {
                throw .message("host range bounds must be numbers or single letters, got '\(body)'")
            }
            let width = begin.hasPrefix("0") && begin.count > 1 ? begin.count : 0
            if width > 0 && width != end.count {
                throw .message("host range must specify equal-length begin and end formats")
            }
            sequence = stride(from: low, through: high, by: step).map { number in
                let digits = String(number)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
        }
        var names: [String] = []
        for element in sequence {
            names.append(contentsOf: try expand(head + element + tail))
        }
        return names
    }

    /// Splits `host:port` / `[v6]:port` (not IPv6 literals or ranges' colons) into name and port.
    static func splitPort(_ pattern: String) -> (String, Int?) {
        if pattern.hasPrefix("["), let close = pattern.firstIndex(of: "]") {
            let rest = pattern[pattern.index(after: close)...]
            if rest.hasPrefix(":"), let port = Int(rest.dropFirst()) {
                let inner = pattern[pattern.index(after: pattern.startIndex)..<close]
                // `[v6]:port`, but not a leading host range like `[a:b]:22`-less names.
                if inner.contains(":") && inner.filter({ $0 == ":" }).count > 1 { return (String(inner), port) }
            }
        }
        // A port is the digits after the last ':' outside brackets, when only one ':' is outside them.
        var depth = 0
        var colons: [String.Index] = []
        for index in pattern.indices {
            switch pattern[index] {
            case "[": depth += 1
            case "]": depth -= 1
            case ":" where depth == 0: colons.append(index)
            default: break
            }
        }
        guard colons.count == 1, let colon = colons.first, let port = Int(pattern[pattern.index(after: colon)...]) else {
            return (pattern, nil)
        }
        return (String(pattern[..<colon]), port)
    }
}
