import Diagnostics
import Foundation
import Templating

/// The report ansible-core 2.19+ prints before a failed task's `fatal:` line (or a loop's first
/// `failed:` item): what failed, where the task is written, and the lines leading up to it.
///
///     [ERROR]: Task failed: Module failed: The command exited with a non-zero return code.
///     Origin: /srv/site.yml:8:7
///
///     6       register: echoed
///     7       changed_when: false
///     8     - command: /bin/false
///             ^ column 7
///
/// A module's failure reads "Module failed", an action the controller runs by itself (`fail`,
/// `assert`, `set_fact`, …) "Action failed"; an error stackplay raised while preparing the task
/// (an undefined variable, a bad template) points at where that error is.
struct FailureReport {
    /// Relative task files are shown from here, as ansible-playbook shows absolute paths.
    let workingDirectory: String

    func render(_ result: HostTaskResult, task: TaskInfo) -> String? {
        // A task that used up its `until` retries fails without a report in ansible-core.
        if result.values["attempts"] != nil { return nil }
        let message = result.values["msg"].map { PythonRepr.text($0) } ?? ""
        let origin: SourceLocation?
        let headline: String
        if let raised = result.values["_ansible_error_location"]?.string.flatMap(Self.location) {
            origin = raised
            headline = "Task failed: \(message)"
        } else {
            origin = task.location
            headline = "Task failed: \(task.isAction ? "Action" : "Module") failed: \(message)"
        }
        guard let origin else { return nil }
        let path = origin.file.hasPrefix("/") ? origin.file : (workingDirectory as NSString).appendingPathComponent(origin.file)
        var text = "[ERROR]: \(headline)\nOrigin: \(path):\(origin.line):\(origin.column)\n\n"
        if let excerpt = Self.excerpt(path: path, line: origin.line, column: origin.column) { text += excerpt + "\n" }
        return text
    }

    /// Up to two lines before the origin and its own, numbered, and a caret under its column.
    static func excerpt(path: String, line: Int, column: Int) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let first = max(1, line - 2)
        let width = String(line).count
        var text = ""
        for number in first...line {
            let label = String(repeating: " ", count: width - String(number).count) + String(number)
            let source = lines[number - 1]
            text += source.isEmpty ? label + "\n" : label + " " + source + "\n"
        }
        text += String(repeating: " ", count: width + column) + "^ column \(column)\n"
        return text
    }

    /// `file:line:column` as ``SourceLocation/description`` writes it.
    private static func location(_ text: String) -> SourceLocation? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) else {
            return nil
        }
        return SourceLocation(file: parts.dropLast(2).joined(separator: ":"), line: line, column: column)
    }
}
