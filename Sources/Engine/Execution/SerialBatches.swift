/// Splits a play's hosts into `serial` batches: sizes are ints or percentages, a list gives
/// successive sizes and its last size repeats (ansible-core's `_get_serialized_batches`).
public enum SerialBatches {
    /// One `serial` entry.
    public enum Size: Sendable, Equatable {
        case count(Int)
        case percent(Double)

        /// Parses `5`, `"5"`, `"30%"`; nil for anything else.
        public init?(text: String) {
            let trimmed = text.trimmingSpaces
            if trimmed.hasSuffix("%"), let number = Double(trimmed.dropLast()) {
                self = .percent(number)
            } else if let number = Int(trimmed) {
                self = .count(number)
            } else {
                return nil
            }
        }

        func resolve(total: Int) -> Int {
            switch self {
            case .count(let count): return count <= 0 ? total : count
            case .percent(let percent):
                let size = Int(Double(total) * percent / 100)
                return percent <= 0 ? total : max(size, 1)
            }
        }
    }

    public static func batches<Host>(_ hosts: [Host], sizes: [Size]) -> [[Host]] {
        guard !sizes.isEmpty, !hosts.isEmpty else { return hosts.isEmpty ? [] : [hosts] }
        var batches: [[Host]] = []
        var remaining = hosts[...]
        var index = 0
        while !remaining.isEmpty {
            let size = sizes[min(index, sizes.count - 1)].resolve(total: hosts.count)
            batches.append(Array(remaining.prefix(size)))
            remaining = remaining.dropFirst(size)
            index += 1
        }
        return batches
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
