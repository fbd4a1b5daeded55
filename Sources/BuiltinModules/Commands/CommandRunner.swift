import Foundation
import ModuleAPI
import Templating

/// What the command-like modules (command, shell, script) share: `chdir`, `creates`/`removes`,
/// stdin, timing and Ansible's result keys.
struct CommandRunner {
    var commandLine: String
    /// `cmd` as reported: the argv list for `command`, the string for `shell`.
    var reportedCommand: Value
    var chdir: String?
    var creates: String?
    var removes: String?
    var stdin: Data?
    var stripEmptyEnds = true
    var executable: String?
    /// The program and arguments when `commandLine` is just `exec` of them (see ``CommandRequest/argv``).
    var argv: [String]?
    /// `msg` when the command exits non-zero: ansible-core's command module (also behind `shell`)
    /// says this; its `script` action keeps the older "non-zero return code".
    var failureMessage = "The command exited with a non-zero return code."

    init(commandLine: String, reportedCommand: Value, arguments: ModuleArguments) {
        self.commandLine = commandLine
        self.reportedCommand = reportedCommand
        chdir = arguments.string("chdir")
        creates = arguments.string("creates")
        removes = arguments.string("removes")
        if let text = arguments.string("stdin") {
            stdin = Data((arguments.bool("stdin_add_newline", default: true) ? text + "\n" : text).utf8)
        }
        stripEmptyEnds = arguments.bool("strip_empty_ends", default: true)
        executable = arguments.string("executable")
    }

    func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let shell = TargetShell(invocation)
        // ansible-core's wording: "Did"/"Would" not run, with the path quoted in `msg` and bare in `stdout`.
        let tense = invocation.checkMode ? "Would" : "Did"
        if let skip = try await skipReason(shell) {
            var values = ValueDictionary()
            values["cmd"] = reportedCommand
            values["rc"] = 0
            values["stdout"] = .string("skipped, since \(skip.path) \(skip.condition)")
            values["stdout_lines"] = [.string("skipped, since \(skip.path) \(skip.condition)")]
            values["stderr"] = ""
            values["stderr_lines"] = []
            return ModuleResult(
                changed: false, message: "\(tense) not run command since '\(skip.path)' \(skip.condition)", values: values)
        }
        if invocation.checkMode {
            // Only creates/removes let ansible-core predict; without them the task is skipped.
            var values = ValueDictionary()
            values["cmd"] = reportedCommand
            values["rc"] = 0
            values["stdout"] = ""
            values["stdout_lines"] = []
            values["stderr"] = ""
            values["stderr_lines"] = []
            let predicts = creates != nil || removes != nil
            if !predicts { values["skipped"] = true }
            return ModuleResult(changed: predicts, message: "Command would have run if not in check mode", values: values)
        }
        var line = commandLine
        if let chdir { line = "cd -- \(Shell.quote(chdir)) && \(line)" }
        let start = Date()
        let output = try await shell.run(line, stdin: stdin, executable: executable, argv: chdir == nil ? argv : nil)
        let end = Date()
        var values = ValueDictionary()
        values["cmd"] = reportedCommand
        values["start"] = .string(AnsibleTime.timestamp(start))
        values["end"] = .string(AnsibleTime.timestamp(end))
        values["delta"] = .string(AnsibleTime.delta(end.timeIntervalSince(start)))
        for (key, value) in TargetShell.outputValues(output, strip: stripEmptyEnds) { values[key] = value }
        values["msg"] = ""
        if output.exitStatus != 0 {
            return ModuleResult(changed: true, failed: true, message: failureMessage, values: values)
        }
        return ModuleResult(changed: true, message: "", values: values)
    }

    /// Why `creates`/`removes` say the command should not run (globs allowed): the path and
    /// `exists` or `does not exist`.
    private func skipReason(_ shell: TargetShell) async throws -> (path: String, condition: String)? {
        guard creates != nil || removes != nil else { return nil }
        var script = "exists() { for p in \"$@\"; do [ -e \"$p\" ] && return 0; done; return 1; }"
        if let chdir { script = "cd -- \(Shell.quote(chdir)) || exit 3; " + script }
        if let creates { script += "; exists \(Glob.word(creates)) && exit 1" }
        if let removes { script += "; exists \(Glob.word(removes)) || exit 2" }
        script += "; exit 0"
        let output = try await shell.run(script)
        switch output.exitStatus {
        case 1: return (creates ?? "", "exists")
        case 2: return (removes ?? "", "does not exist")
        case 3: throw ModuleFailure("Unable to change directory before execution: \(chdir ?? "")")
        default: return nil
        }
    }
}

/// Glob patterns as shell words: literal parts quoted, `*`, `?` and `[...]` left for the shell to expand.
enum Glob {
    static func word(_ pattern: String) -> String {
        var result = ""
        var literal = ""
        for character in pattern {
            if "*?[]".contains(character) {
                if !literal.isEmpty { result += Shell.quote(literal) }
                literal = ""
                result.append(character)
            } else {
                literal.append(character)
            }
        }
        if !literal.isEmpty { result += Shell.quote(literal) }
        return result.isEmpty ? "''" : result
    }
}
