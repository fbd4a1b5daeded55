import ArgumentParser
import Engine

extension RunOptions.OutputFormat: ExpressibleByArgument {}

/// What to print and where.
struct OutputOptions: ParsableArguments {
    @Flag(
        name: [.customShort("v"), .customLong("verbose")],
        help: "Verbose mode (-vvv for more, -vvvv to enable connection debugging).")
    var verbosity: Int

    @Option(
        name: .customLong("output"),
        help: "Output format: text (ansible-playbook's layout) or json (JSON Lines); default from stdout_callback.")
    var output: RunOptions.OutputFormat?

    @Option(name: .customLong("junit"), help: ArgumentHelp("Also write a JUnit XML report to this file.", valueName: "FILE"))
    var junit: String?

    @Flag(name: .customLong("syntax-check"), help: "Perform a syntax check on the playbook, but do not execute it.")
    var syntaxCheck = false

    @Flag(name: .customLong("list-tasks"), help: "List all tasks that would be executed.")
    var listTasks = false

    @Flag(name: .customLong("list-tags"), help: "List all available tags.")
    var listTags = false

    @Flag(name: .customLong("list-hosts"), help: "Outputs a list of matching hosts; does not execute anything else.")
    var listHosts = false
}
