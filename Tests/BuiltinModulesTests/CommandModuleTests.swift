import Foundation
import ModuleAPI
import Templating
import Testing

@testable import BuiltinModules

@Suite struct CommandModuleTests {
    let harness = Harness()

    @Test func commandRunsArgvWithoutAShellAndReportsAnsiblesKeys() async throws {
        let result = try await harness.run(CommandModule.self, ["_raw_params": "echo 'a  b' $HOME * '$(id)' ~"])
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        #expect(result.changed)
        #expect(!result.failed)
        #expect(result["stdout"] == .string("a  b \(home) * $(id) \(home)"))
        let literal = try await harness.run(CommandModule.self, ["_raw_params": "echo $HOME", "expand_argument_vars": false])
        #expect(literal["stdout"] == "$HOME")
        #expect(result["cmd"] == ["echo", "a  b", "$HOME", "*", "$(id)", "~"])
        #expect(result["rc"] == 0)
        #expect(result["stdout_lines"] == [.string("a  b \(home) * $(id) \(home)")])
        // Ansible's H:MM:SS.ffffff; the value itself depends on the machine's load, so only the shape is checked.
        #expect(result["delta"]?.string?.range(of: #"^\d+:\d{2}:\d{2}\.\d{6}$"#, options: .regularExpression) != nil)
    }

    @Test func commandAcceptsArgvLists() async throws {
        let result = try await harness.run(CommandModule.self, ["argv": ["printf", "%s-%s", "x y", "z"]])
        #expect(result["stdout"] == "x y-z")
    }

    @Test func aCommandTheShellWouldNotChangeRunsTheSameWithoutIt() async throws {
        // Literal words go straight to the program on the local connection: same output, status and input.
        let literal = try await harness.run(
            CommandModule.self,
            [
                "argv": ["sh", "-c", "read x; printf '%s|' \"$x\" \"$0\"; exit 3", "a b*"], "stdin": "typed",
                "expand_argument_vars": false,
            ])
        #expect(literal["stdout"] == "typed|a b*|")
        #expect(literal["rc"] == 3)
        // A program that cannot be started is ansible-core's OSError (errno 2), with or without the shortcut.
        let missing = try await harness.run(CommandModule.self, ["_raw_params": "no-such-program-here --flag"])
        #expect(missing.failed)
        #expect(missing["rc"] == 2)
        #expect(missing.message == "Error executing command.")
        #expect(missing["cmd"] == "no-such-program-here --flag")
        #expect(missing["stderr"] == "")
    }

    @Test func nonZeroExitFailsWithAnsiblesMessage() async throws {
        let result = try await harness.run(ShellModule.self, ["_raw_params": "echo oops >&2; exit 4"])
        #expect(result.failed)
        // ansible-core 2.21.5's modules/command.py (shell runs it too).
        #expect(result.message == "The command exited with a non-zero return code.")
        #expect(result["rc"] == 4)
        #expect(result["stderr"] == "oops")
    }

    @Test func shellUsesPipesChdirAndStdin() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let result = try await harness.run(
            ShellModule.self, ["cmd": "cat | tr a-z A-Z; pwd", "chdir": .string(scratch.path), "stdin": "hello"])
        #expect(result["stdout_lines"] == ["HELLO", .string(scratch.path)])
    }

    @Test func createsAndRemovesSkipTheCommand() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("marker.txt", "")
        let created = try await harness.run(
            ShellModule.self, ["_raw_params": "touch ran", "creates": .string(scratch.path + "/*.txt"), "chdir": .string(scratch.path)])
        #expect(!created.changed)
        #expect(created["stdout"] == .string("skipped, since \(scratch.path)/*.txt exists"))
        #expect(!scratch.exists("ran"))
        let removed = try await harness.run(
            CommandModule.self, ["_raw_params": "touch ran", "removes": .string(scratch.file("missing"))])
        #expect(!removed.changed)
    }

    @Test func checkModeSkipsCommands() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let result = try await harness.run(ShellModule.self, ["_raw_params": .string("touch \(scratch.file("x"))")], check: true)
        #expect(result["skipped"] == true)
        #expect(!scratch.exists("x"))
    }

    @Test func rawKeepsOutputUntouched() async throws {
        let result = try await harness.run(RawModule.self, ["_raw_params": "printf 'a\\n\\n'"])
        #expect(result["stdout"] == "a\n\n")
        #expect(result.changed)
    }

    @Test func scriptRunsAControllerFileWithArguments() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try scratch.write("hello.sh", "#!/bin/sh\necho \"hello $1 $2\"\n")
        var harness = Harness()
        harness.searchPaths = [scratch.path]
        let result = try await harness.run(ScriptModule.self, ["_raw_params": "hello.sh big 'wide world'"])
        #expect(result["stdout"] == "hello big wide world")
        let missing = try await harness.run(ScriptModule.self, ["_raw_params": "absent.sh"])
        #expect(missing.failed)
        #expect(missing.message?.hasPrefix("Could not find or access 'absent.sh'") == true)
    }

    @Test func pingAnswersPong() async throws {
        let result = try await harness.run(PingModule.self, [:])
        #expect(result["ping"] == "pong")
        #expect(!result.changed)
    }

    @Test func timestampsAndDeltasAreFormattedLikePython() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        // Python's str(datetime): the second is never rounded up by the microseconds.
        for seconds in [0.0, 1_764_120_861.000_042, 1_764_120_861.999_999, 951_782_400.5] {
            let micros = Int((seconds * 1_000_000).truncatingRemainder(dividingBy: 1_000_000))
            let expected = formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
                + String(format: ".%06d", micros)
            #expect(AnsibleTime.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
        }
        #expect(AnsibleTime.delta(0.003456) == "0:00:00.003456")
        #expect(AnsibleTime.delta(3725.5) == "1:02:05.500000")
        #expect(AnsibleTime.delta(90_000) == "25:00:00.000000")
    }

    @Test func shellSplittingFollowsShlex() throws {
        #expect(try Shell.split(#"a "b c" 'd e' f\ g "h\"i""#) == ["a", "b c", "d e", "f g", "h\"i"])
        #expect(throws: ModuleFailure.self) { try Shell.split("echo 'open") }
        #expect(Shell.quote("it's") == #"'it'\''s'"#)
        #expect(Shell.quote("/plain/path") == "/plain/path")
    }
}
