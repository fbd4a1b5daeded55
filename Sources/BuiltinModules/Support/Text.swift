import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import ModuleAPI
import Templating

extension String {
    /// Without trailing `\r` and `\n` (Ansible's `strip_empty_ends`).
    var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" { text = text.dropLast() }
        return String(text)
    }

    /// Lines as Python's `str.splitlines()` gives them: no trailing empty line for a final newline.
    var ansibleLines: [String] {
        var lines = split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

extension Data {
    var utf8Text: String { String(decoding: self, as: UTF8.self) }
}

/// Timestamps in the formats Ansible's command results use.
enum AnsibleTime {
    /// `2026-11-25 22:34:14.024451`, local time. Formatted by hand: a `DateFormatter` costs more
    /// to create than the command it times.
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        var clock = time_t(whole)
        var parts = tm()
        localtime_r(&clock, &parts)
        let micros = Int((seconds * 1_000_000).truncatingRemainder(dividingBy: 1_000_000))
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-"
            + padded(Int(parts.tm_mday), 2) + " " + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2)
            + ":" + padded(Int(parts.tm_sec), 2) + "." + padded(micros, 6)
    }

    /// `0:00:00.003456`, as Python's `timedelta`.
    static func delta(_ seconds: TimeInterval) -> String {
        let micros = Int((seconds * 1_000_000).rounded())
        let whole = micros / 1_000_000
        return String(whole / 3600) + ":" + padded(whole / 60 % 60, 2) + ":" + padded(whole % 60, 2) + "."
            + padded(micros % 1_000_000, 6)
    }

    /// `number` in decimal, zero-padded to `width` digits.
    static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension ValueDictionary {
    /// A dictionary from string keys, in the order written.
    init(_ pairs: KeyValuePairs<String, Value>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }
}

extension ModuleFailure {
    /// A failure with return keys written as a literal: `ModuleFailure("…", values: ["path": .string(p)])`.
    init(_ message: String, values pairs: KeyValuePairs<String, Value>) {
        self.init(message, values: ValueDictionary(pairs))
    }
}
