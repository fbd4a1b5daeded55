import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.script`: copies a script from the controller (role `files/`, playbook dir) to
/// the target and runs it there, in one round trip: the script travels on stdin into a temporary file.
public struct ScriptModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.script",
        arguments: ArgumentSpec(
            [
                "_raw_params": OptionSpec(.string),
                "cmd": OptionSpec(.string),
                "chdir": OptionSpec(.path),
                "creates": OptionSpec(.path),
                "removes": OptionSpec(.path),
                "executable": OptionSpec(.string),
            ],
            freeForm: true))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            guard let line = arguments.string("cmd") ?? arguments.string("_raw_params"),
                let scriptName = try Shell.split(line).first
            else { throw ModuleFailure("script requires a path to a script") }
            let scriptArguments = String(line.drop { $0.isWhitespace }.dropFirst(scriptName.count))
            let source = try ControllerFiles.locate(scriptName, in: invocation)
            let body = try ControllerFiles.read(source)
            let interpreter = arguments.string("executable").map { Shell.quote($0) + " " } ?? ""
            // The script is read from stdin into a private file, so it must not also see that stdin.
            var runner = CommandRunner(
                commandLine: """
                    script=$(mktemp) || exit 1; cat > "$script" && chmod 700 "$script" && \
                    \(interpreter)"$script"\(scriptArguments) </dev/null; rc=$?; rm -f -- "$script"; exit $rc
                    """,
                reportedCommand: .string(line), arguments: arguments)
            runner.stdin = body
            runner.failureMessage = "non-zero return code"
            return try await runner.run(invocation)
        }
    }
}
