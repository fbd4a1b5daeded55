import Foundation

/// ansible-playbook's and stackplay's stdout made comparable: each run's scratch directory, the
/// clock and durations become placeholders. ansible-core 2.19+ also prints an `[ERROR]: Task failed: …`
/// report with the task's origin before each failure line; stackplay does not (its failure line is the
/// same), so those reports are dropped from ansible's side.
enum OutputNormalizer {
    static func normalize(_ output: String, directory: String, droppingErrorReports: Bool = false) -> String {
        var text = output.replacingOccurrences(of: directory, with: "<dir>")
        text = text.replacingOccurrences(
            of: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+"#, with: "<time>", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\d+:\d{2}:\d{2}\.\d+"#, with: "<delta>", options: .regularExpression)
        if droppingErrorReports {
            // The report: its first line, `Origin: …`, a blank line, the source excerpt, a blank line;
            // or, for errors with causes, several such paragraphs up to the failure line.
            text = text.replacingOccurrences(
                of: #"\[ERROR\]: Task failed:[^\n]*\n(?:(?!fatal: |failed: )[^\n]*\n)*?(?=(?:fatal|failed): )"#,
                with: "", options: .regularExpression)
        }
        return text
    }
}
