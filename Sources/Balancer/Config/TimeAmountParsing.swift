import NIOCore

extension TimeAmount {
    /// Parses an HAProxy-style duration: `500ms`, `2s`, `1m`, `1h`, `1d`, `250us`; a bare number is milliseconds.
    ///
    /// Returns nil for anything else, so callers can report the value's location.
    public static func parse(duration text: String) -> TimeAmount? {
        let trimmed = text.trimmingWhitespace()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int64(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count)
        switch unit {
        case "", "ms": return .milliseconds(value)
        case "us": return .microseconds(value)
        case "s": return .seconds(value)
        case "m": return .minutes(value)
        case "h": return .hours(value)
        case "d": return .hours(value * 24)
        default: return nil
        }
    }

    /// The shortest exact textual form (`1500ms`, `2s`), the inverse of `parse(duration:)`.
    public var durationDescription: String {
        let ns = nanoseconds
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        return "\(ns / 1000)us"
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
