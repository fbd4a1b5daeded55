import Foundation
import ModuleAPI
import Templating

/// The job files of `async:` tasks, where ansible-core's async_wrapper keeps them: one JSON file per
/// job id in the async directory (`ansible_async_dir`, default `~/.ansible_async`) on the target.
/// `{"started": true, "finished": false, "ansible_job_id": …}` while the job runs, the module's result
/// once it is done.
public enum AsyncJobFiles {
    public static let defaultDirectory = "~/.ansible_async"

    /// The async directory for a task: its `ansible_async_dir` variable, else the default.
    public static func directory(_ variables: any VariableScope) -> String {
        guard let value = try? variables.value(of: "ansible_async_dir") else { return defaultDirectory }
        switch value {
        case .string(let text) where !text.isEmpty: return text
        default: return defaultDirectory
        }
    }

    /// A shell script that writes its standard input to the job file of `jid` atomically (creating
    /// the directory) and prints the file's path.
    public static func writeScript(directory: String, jid: String) -> String {
        "d=\(Shell.quoteExpandingVariables(directory)) && mkdir -p -- \"$d\" && f=\"$d\"/\(Shell.quote(jid))"
            + " && cat > \"$f.tmp\" && mv -f -- \"$f.tmp\" \"$f\" && printf '%s' \"$f\""
    }

    /// A shell script that removes the job file of `jid`.
    public static func removeScript(directory: String, jid: String) -> String {
        "rm -f -- \(Shell.quoteExpandingVariables(directory))/\(Shell.quote(jid))"
    }

    /// The JSON a job file holds while the job runs.
    public static func startedContent(jid: String) -> String {
        "{\"started\": true, \"finished\": false, \"ansible_job_id\": \(JSON.text(.string(jid), .python))}"
    }

    /// A job's final result as its file holds it.
    public static func content(_ result: ValueDictionary) -> String {
        JSON.text(.dict(result), .python)
    }
}

/// `ansible.builtin.async_status`: reports (or, with `mode: cleanup`, removes) an `async:` job by
/// reading its job file on the target, as ansible-core's action plugin and module do together.
public struct AsyncStatusModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.async_status",
        arguments: ArgumentSpec([
            "jid": OptionSpec(.string, required: true),
            "mode": OptionSpec(.string, default: "status", choices: ["status", "cleanup"]),
        ]))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let jid = arguments.string("jid") ?? ""
        let cleanup = arguments.string("mode") == "cleanup"
        let directory = AsyncJobFiles.directory(invocation.variables)
        let script = [
            "d=\(Shell.quoteExpandingVariables(directory)); f=\"$d\"/\(Shell.quote(jid)); printf '%s\\n' \"$f\"",
            "if [ ! -e \"$f\" ]; then echo missing",
            cleanup ? "else rm -f -- \"$f\" && echo erased; fi" : "else echo found; cat -- \"$f\"; fi",
        ].joined(separator: "; ")
        let output = try await TargetShell(invocation).run(script)
        var lines = output.stdoutText.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
            .map(String.init)
        guard output.exitStatus == 0, lines.count >= 2 else {
            let detail = output.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            return .failure("could not read the job file of \(jid)" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        let path = lines.removeFirst()
        let state = lines.removeFirst()
        let data = lines.first ?? ""

        // The action plugin's response, which the module's own answer is merged into.
        var values = ValueDictionary()
        values["started"] = .bool(false)
        values["finished"] = .bool(false)
        values["stdout"] = .string("")
        values["stderr"] = .string("")
        values["stdout_lines"] = .list([])
        values["stderr_lines"] = .list([])
        values["ansible_job_id"] = .string(jid)
        if cleanup {
            values["erased"] = .string(path)
        } else {
            values["results_file"] = .string(path)
            values["started"] = .bool(true)
        }
        switch state {
        case "missing":
            values["started"] = .bool(true)
            values["finished"] = .bool(true)
            return .failure("could not find job", values: values)
        case "erased":
            return ModuleResult(values: values)
        default:
            break
        }
        guard case .dict(var job)? = try? JSON.parse(data.utf8) else {
            if data.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return ModuleResult(values: values)
            }
            values["finished"] = .bool(true)
            return .failure("Could not parse job output: \(data)", values: values)
        }
        if job["started"] == nil {
            job["finished"] = .bool(true)
            job["ansible_job_id"] = .string(jid)
        } else if job["finished"] == nil {
            job["finished"] = .bool(false)
        }
        var changed = false
        var failed = false
        var message: String?
        for (key, value) in job {
            switch key {
            case "changed": changed = Self.flag(value)
            case "failed": failed = Self.flag(value)
            case "msg": message = ModuleArguments.text(value)
            case "started", "finished": values[key] = .bool(Self.flag(value))
            default: values[key] = value
            }
        }
        return ModuleResult(changed: changed, failed: failed, message: message, values: values)
    }

    /// A JSON flag as Python's truthiness reads it (`true`, `1`, a non-empty string).
    private static func flag(_ value: Value) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .float(let number): return number != 0
        case .string(let text): return ArgumentValidation.bool(text) ?? !text.isEmpty
        case .none, .undefined: return false
        case .list(let items): return !items.isEmpty
        case .dict(let items): return !items.isEmpty
        }
    }
}
