import ModuleAPI
import Templating

/// `ansible.builtin.command`: runs a program with arguments, without a shell.
///
/// The target only offers `/bin/sh -c`, so every argument is quoted and the program is `exec`ed:
/// no globbing, pipes or redirections happen; `$VAR` and `~` expand unless `expand_argument_vars`
/// is off, as with Ansible's command.
public struct CommandModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.command",
        arguments: ArgumentSpec(
            [
                "_raw_params": OptionSpec(.string),
                "cmd": OptionSpec(.string),
                "argv": OptionSpec(.list(elements: .string)),
                "chdir": OptionSpec(.path),
                "creates": OptionSpec(.path),
                "removes": OptionSpec(.path),
                "stdin": OptionSpec(.string),
                "stdin_add_newline": OptionSpec(.bool, default: true),
                "strip_empty_ends": OptionSpec(.bool, default: true),
                "expand_argument_vars": OptionSpec(.bool, default: true),
            ],
            mutuallyExclusive: [["_raw_params", "cmd", "argv"]],
            freeForm: true))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let argv: [String]
            if let list = arguments.stringList("argv"), arguments.value("argv")?.array != nil {
                argv = list
            } else if let line = arguments.string("cmd") ?? arguments.string("_raw_params") {
                argv = try Shell.split(line)
            } else {
                argv = []
            }
            guard !argv.isEmpty else { throw ModuleFailure("no command given", values: ValueDictionary(["rc": 256])) }
            let expand = arguments.bool("expand_argument_vars", default: true)
            let words = argv.map { expand ? Shell.quoteExpandingVariables($0) : Shell.quote($0) }
            var runner = CommandRunner(
                commandLine: "exec " + words.joined(separator: " "), reportedCommand: .list(argv.map(Value.string)),
                arguments: arguments)
            // Words the shell takes literally can go to the program without it.
            if !expand || !argv.contains(where: { $0.contains("$") || $0.hasPrefix("~") }) { runner.argv = argv }
            return Self.reportingUnstartableProgram(try await runner.run(invocation), argv: argv)
        }
    }

    /// ansible-core runs the program itself, so one that cannot start is an `OSError`: rc is the errno
    /// (2 missing, 13 not executable), `msg` "Error executing command.", no output. Here `exec` in
    /// the target's shell reports it as exit 127/126 with the shell's complaint on stderr.
    static func reportingUnstartableProgram(_ result: ModuleResult, argv: [String]) -> ModuleResult {
        guard result.failed, case .int(let status)? = result.values["rc"], status == 127 || status == 126,
            let program = argv.first, let stderr = result.values["stderr"]?.string,
            stderr.contains(program + ": not found") || stderr.contains(program + ": Permission denied")
                || stderr.contains(program + ": No such file or directory")
        else { return result }
        var values = result.values
        values["rc"] = .int(status == 127 ? 2 : 13)
        values["cmd"] = .string(argv.map(Shell.quote).joined(separator: " "))
        values["stdout"] = ""
        values["stdout_lines"] = []
        values["stderr"] = ""
        values["stderr_lines"] = []
        for key in ["start", "end", "delta"] { values[key] = nil }
        return ModuleResult(changed: false, failed: true, message: "Error executing command.", values: values)
    }
}

/// `ansible.builtin.shell`: runs a command line through the shell (`/bin/sh`, or `executable`).
public struct ShellModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.shell",
        arguments: ArgumentSpec(
            [
                "_raw_params": OptionSpec(.string),
                "cmd": OptionSpec(.string),
                "chdir": OptionSpec(.path),
                "creates": OptionSpec(.path),
                "removes": OptionSpec(.path),
                "stdin": OptionSpec(.string),
                "stdin_add_newline": OptionSpec(.bool, default: true),
                "strip_empty_ends": OptionSpec(.bool, default: true),
                "executable": OptionSpec(.path),
            ],
            mutuallyExclusive: [["_raw_params", "cmd"]],
            freeForm: true))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            guard let line = arguments.string("cmd") ?? arguments.string("_raw_params"), !line.isEmpty else {
                throw ModuleFailure("no command given", values: ValueDictionary(["rc": 256]))
            }
            let runner = CommandRunner(commandLine: line, reportedCommand: .string(line), arguments: arguments)
            return try await runner.run(invocation)
        }
    }
}

/// `ansible.builtin.raw`: sends the command line as is; the one module that never needs anything on the target.
public struct RawModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.raw",
        arguments: ArgumentSpec(
            ["_raw_params": OptionSpec(.string, required: true), "executable": OptionSpec(.path)], freeForm: true),
        supportsCheckMode: false)

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let line = try arguments.requiredString("_raw_params")
            if invocation.checkMode {
                return ModuleResult(message: "check mode not supported for raw", values: ValueDictionary(["skipped": true]))
            }
            let output = try await TargetShell(invocation).run(line, executable: arguments.string("executable"))
            // raw keeps the output exactly as produced (no stripping), as Ansible's raw does.
            let values = TargetShell.outputValues(output, strip: false)
            if output.exitStatus != 0 {
                return ModuleResult(changed: true, failed: true, message: "non-zero return code", values: values)
            }
            return ModuleResult(changed: true, values: values)
        }
    }
}
