import Foundation
import ModuleAPI
import Templating

/// `tempfile`: creates a temporary file or directory on the host through its connection
/// (`mktemp`), so it works locally and over SSH alike.
struct TempfileAction: Sendable {
    let context: ExecutionContext
    let task: TaskPlan
    let host: String
    let scope: TaskScope

    func run(_ arguments: ValueDictionary, checkMode: Bool) async throws -> ActionResult {
        let isDirectory = arguments["state"] == "directory"
        let prefix = arguments["prefix"].map { PythonRepr.text($0) } ?? "ansible."
        let suffix = arguments["suffix"].map { PythonRepr.text($0) } ?? ""
        let directory = arguments["path"].map { PythonRepr.text($0) }
        var values = ValueDictionary()
        values["state"] = .string(isDirectory ? "directory" : "file")
        if checkMode {
            values["changed"] = .bool(true)
            values["path"] = .string((directory ?? "/tmp") + "/" + prefix + "XXXXXXXX" + suffix)
            return ActionResult(values: values)
        }
        let template = shellQuote((directory ?? "${TMPDIR:-/tmp}") + "/" + prefix + "XXXXXXXX" + suffix)
            .replacingOccurrences(of: "'${TMPDIR:-/tmp}", with: "\"${TMPDIR:-/tmp}\"'")
        let command = "mktemp \(isDirectory ? "-d " : "")\(template)"
        let target = try ConnectionSettings.target(
            for: host, scope: scope, playTransport: task.connection, defaults: context.connectionDefaults)
        let connection = try await context.connections.connection(for: target)
        let output = try await connection.execute(CommandRequest(command))
        guard output.exitStatus == 0 else {
            return .failure("failed to create temporary \(isDirectory ? "directory" : "file"): \(output.stderrText)")
        }
        values["changed"] = .bool(true)
        values["path"] = .string(output.stdoutText.trimmingSpaces)
        return ActionResult(values: values)
    }

    private func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
