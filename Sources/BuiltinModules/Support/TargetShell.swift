import Foundation
import ModuleAPI
import Templating

/// Runs shell commands on the invocation's target with the task's environment and become settings.
struct TargetShell: Sendable {
    let invocation: ModuleInvocation

    init(_ invocation: ModuleInvocation) {
        self.invocation = invocation
    }

    var connection: any Connection { invocation.connection }

    /// Runs `script` and returns its output, whatever the exit status.
    func run(
        _ script: String, stdin: Data? = nil, executable: String? = nil, timeout: Double? = nil, argv: [String]? = nil
    ) async throws(ConnectionError) -> CommandOutput {
        try await connection.execute(
            CommandRequest(
                script, stdin: stdin, environment: invocation.environment, become: invocation.become,
                executable: executable, timeout: timeout, argv: argv))
    }

    /// Runs `script` and fails the module with `failureMessage` and the command's output when it exits non-zero.
    @discardableResult
    func check(_ script: String, stdin: Data? = nil, failureMessage: String) async throws -> CommandOutput {
        let output = try await run(script, stdin: stdin)
        guard output.exitStatus == 0 else {
            let detail = output.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ModuleFailure(
                detail.isEmpty ? failureMessage : "\(failureMessage): \(detail)",
                values: Self.outputValues(output))
        }
        return output
    }

    /// Writes `data` to `path` atomically. With become, the upload goes to a private temporary file as
    /// the connecting user first and is then moved into place by the escalated user, as Ansible does.
    func write(_ data: Data, to path: String, mode: UInt16?) async throws {
        guard invocation.become != nil else {
            let failure: ConnectionError
            do {
                try await connection.upload(data, to: path, mode: mode)
                return
            } catch {
                failure = error
            }
            // A file that cannot be written (missing directory, permissions) fails the task, as in
            // Ansible; only losing the host itself makes it unreachable.
            guard failure.kind == .transfer else { throw failure }
            throw ModuleFailure(Self.transferMessage(failure, path: path), values: ["dest": .string(path)])
        }
        let staging = "/tmp/.stackplay-\(UUID().uuidString)"
        try await connection.upload(data, to: staging, mode: 0o600)
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.stackplay-\(UUID().uuidString.prefix(8))"
        var script = "cp -- \(Shell.quote(staging)) \(Shell.quote(temporary))"
        if let mode {
            script += " && chmod \(String(mode, radix: 8)) \(Shell.quote(temporary))"
        } else {
            script += " && { [ ! -e \(Shell.quote(path)) ] || chmod --reference=\(Shell.quote(path)) \(Shell.quote(temporary)); }"
        }
        script += " && mv -f -- \(Shell.quote(temporary)) \(Shell.quote(path)); rc=$?; rm -f -- \(Shell.quote(staging)); exit $rc"
        try await check(script, failureMessage: "failed to write \(path)")
    }

    /// Reads a whole file; through `cat` when escalation is needed to read it.
    func read(_ path: String) async throws -> Data {
        guard invocation.become != nil else {
            let failure: ConnectionError
            do {
                return try await connection.download(path)
            } catch {
                failure = error
            }
            guard failure.kind == .transfer else { throw failure }
            throw ModuleFailure(failure.message, values: ["src": .string(path)])
        }
        let output = try await check("cat -- \(Shell.quote(path))", failureMessage: "could not read \(path)")
        return output.stdout
    }

    /// Ansible's wording for the common case of a missing destination directory.
    static func transferMessage(_ error: ConnectionError, path: String) -> String {
        if error.message.contains("No such file or directory") {
            return "Destination directory \(TargetPath.directory(of: path)) does not exist"
        }
        return error.message
    }

    /// `rc`, `stdout`, `stderr` and their line lists, as Ansible's command results carry.
    static func outputValues(_ output: CommandOutput, strip: Bool = true) -> ValueDictionary {
        var values = ValueDictionary()
        let stdout = strip ? output.stdoutText.trimmingTrailingNewlines : output.stdoutText
        let stderr = strip ? output.stderrText.trimmingTrailingNewlines : output.stderrText
        values["rc"] = .int(Int(output.exitStatus))
        values["stdout"] = .string(stdout)
        values["stderr"] = .string(stderr)
        values["stdout_lines"] = .list(stdout.ansibleLines.map(Value.string))
        values["stderr_lines"] = .list(stderr.ansibleLines.map(Value.string))
        return values
    }
}
