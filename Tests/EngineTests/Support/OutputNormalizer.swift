import Foundation

/// ansible-playbook's and stackplay's stdout made comparable: each run's scratch directory, the
/// clock and durations become placeholders. Failure reports (`[ERROR]: Task failed: …` before a
/// failure line) keep only where they point: a module's own wording of an error may differ
/// (its JSON result is compared in full on the next line), and for errors raised while preparing a
/// task ansible-core prints a chain of causes where stackplay points at the innermost one, so
/// those reports are left out on both sides.
enum OutputNormalizer {
    static func normalize(_ output: String, directory: String) -> String {
        var text = output.replacingOccurrences(of: directory, with: "<dir>")
        text = text.replacingOccurrences(
            of: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+"#, with: "<time>", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\d+:\d{2}:\d{2}\.\d+"#, with: "<delta>", options: .regularExpression)
        var lines: [Substring] = []
        var report: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[ERROR]: Task failed: ") {
                report = [line]
            } else if var open = report {
                if line.hasPrefix("fatal: ") || line.hasPrefix("failed: ") {
                    lines += reduced(open)
                    report = nil
                    lines.append(line)
                } else {
                    open.append(line)
                    report = open
                }
            } else {
                lines.append(line)
            }
        }
        if let report { lines += report }
        return lines.joined(separator: "\n")
    }

    private static func reduced(_ report: [Substring]) -> [Substring] {
        let headline = report[0]
        guard headline.hasPrefix("[ERROR]: Task failed: Module failed: ")
            || headline.hasPrefix("[ERROR]: Task failed: Action failed: ")
        else { return [] }
        let origin = report.first { $0.hasPrefix("Origin: ") } ?? "Origin: none"
        return ["[ERROR] " + origin]
    }
}
