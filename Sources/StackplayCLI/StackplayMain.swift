import ArgumentParser
import Engine
import Foundation

/// The command line as a library: parses arguments, runs the engine and returns the exit code,
/// so tests can call it in-process. The executable is a thin wrapper around ``run(_:environment:)``.
public enum StackplayMain {
    /// Runs `stackplay` with `arguments` (without the program name) and returns the exit code.
    /// `workingDirectory` (the process's by default) is where relative paths and `./ansible.cfg` are found;
    /// `prompts` answers `vars_prompt` (the terminal by default).
    public static func run(
        _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        output: any TextOutput = StandardOutput(), workingDirectory: String? = nil,
        prompts: any PromptSource = TerminalPrompt()
    ) async -> Int32 {
        let command: PlaybookCommand
        do {
            // ArgumentParser answers `--help` with its own help command rather than an error.
            guard let parsed = try PlaybookCommand.parseAsRoot(arguments) as? PlaybookCommand else {
                output.write(PlaybookCommand.helpMessage() + "\n", toStandardError: false)
                return 0
            }
            command = parsed
        } catch {
            return report(error, output: output)
        }
        let options = command.runOptions(
            environment: environment, workingDirectory: workingDirectory ?? FileManager.default.currentDirectoryPath)
        var components = StandardComponents.make()
        components.prompts = prompts
        let outcome = await PlaybookRun(options: options, output: output, components: components).execute()
        HTTPRequestReport.write(.shared, verbosity: options.verbosity, to: output)
        return outcome.exitCode
    }

    /// Prints `--help`/`--version` (exit 0) or a usage error (exit 5, as ansible-playbook).
    private static func report(_ error: any Error, output: any TextOutput) -> Int32 {
        let message = PlaybookCommand.fullMessage(for: error)
        let code = PlaybookCommand.exitCode(for: error)
        if code == .success {
            output.write(message + "\n", toStandardError: false)
            return 0
        }
        output.write(
            "usage: stackplay [options] PLAYBOOK...\nerror: \(PlaybookCommand.message(for: error))\n",
            toStandardError: true)
        return RunOutcome.badOptions.exitCode
    }
}
