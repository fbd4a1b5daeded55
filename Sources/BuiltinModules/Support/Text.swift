import Foundation
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
    /// `2026-11-25 22:34:14.024451`
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let micros = Int((date.timeIntervalSince1970 * 1_000_000).truncatingRemainder(dividingBy: 1_000_000))
        return formatter.string(from: date) + String(format: ".%06d", micros)
    }

    /// `0:00:00.003456`, as Python's `timedelta`.
    static func delta(_ seconds: TimeInterval) -> String {
        let micros = Int((seconds * 1_000_000).rounded())
        let whole = micros / 1_000_000
        return String(format: "%d:%02d:%02d.%06d", whole / 3600, whole / 60 % 60, whole % 60, micros % 1_000_000)
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
