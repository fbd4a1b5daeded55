/// The statuses a health check accepts, in Octavia's `expected_codes` syntax: `200`, `200,202`, `200-204`.
public struct ExpectedStatuses: Sendable, Equatable, CustomStringConvertible {
    /// Accepted inclusive ranges.
    public var ranges: [ClosedRange<Int>]

    /// Creates a set from ranges.
    public init(ranges: [ClosedRange<Int>]) {
        self.ranges = ranges
    }

    /// Parses a comma-separated list of codes and `low-high` ranges; nil on anything else.
    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for item in text.split(separator: ",") {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            guard bounds.count <= 2, let low = Int(bounds[0]), (100...599).contains(low) else { return nil }
            let high = bounds.count == 2 ? Int(bounds[1]) : low
            guard let high, high >= low, high <= 599 else { return nil }
            ranges.append(low...high)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    /// Whether `status` is accepted.
    public func contains(_ status: Int) -> Bool {
        ranges.contains { $0.contains(status) }
    }

    /// The list in the syntax `init?(_:)` parses.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}
