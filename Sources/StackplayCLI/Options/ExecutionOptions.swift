import ArgumentParser

/// How tasks run: check/diff, forks, tag selection, where to start.
struct ExecutionOptions: ParsableArguments {
    @Flag(name: [.customShort("C"), .customLong("check")], help: "Don't make any changes; predict some of the changes.")
    var check = false

    @Flag(name: [.customShort("D"), .customLong("diff")], help: "Show the differences in files and templates changed.")
    var diff = false

    @Option(
        name: [.customShort("f"), .customLong("forks")],
        help: ArgumentHelp("Number of hosts run in parallel (default 50).", valueName: "FORKS"))
    var forks: Int?

    @Option(
        name: [.customShort("t"), .customLong("tags")],
        help: ArgumentHelp("Only run plays and tasks tagged with these values (repeatable, comma-separated).", valueName: "TAGS"))
    var tags: [String] = []

    @Option(
        name: .customLong("skip-tags"),
        help: ArgumentHelp("Only run plays and tasks whose tags do not match these values.", valueName: "SKIP_TAGS"))
    var skipTags: [String] = []

    @Option(
        name: .customLong("start-at-task"),
        help: ArgumentHelp("Start the playbook at the task matching this name.", valueName: "START_AT_TASK"))
    var startAtTask: String?

    @Flag(name: .customLong("force-handlers"), help: "Run handlers even if a task fails.")
    var forceHandlers = false

    // Facts live in memory for one run (Ansible's default `memory` cache), so there is nothing to
    // flush; accepted so command lines written for ansible-playbook keep working.
    @Flag(name: .customLong("flush-cache"), help: "Clear the fact cache (facts are kept for one run only).")
    var flushCache = false
}
