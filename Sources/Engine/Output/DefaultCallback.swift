import Templating

/// ansible-playbook's default stdout callback: banners, one line per host result, `--diff`
/// blocks, warnings and the `PLAY RECAP`.
public struct DefaultCallback: OutputCallback {
    private let output: any TextOutput
    private let settings: OutputSettings
    private var currentTask: TaskInfo?
    private var bannerPrintedFor: Int?
    /// The task whose failure report was printed (a loop prints one, before its first failed item).
    private var reportPrintedFor: Int?
    private var timings = TaskTimings()

    public init(output: any TextOutput, settings: OutputSettings) {
        self.output = output
        self.settings = settings
    }

    public mutating func handle(_ event: RunEvent) {
        timings.observe(event)
        switch event {
        case .playbookStarted(let path):
            if settings.verbosity > 0 { banner("PLAYBOOK: \(path.split(separator: "/").last.map(String.init) ?? path)") }
        case .playStarted(let play):
            banner(play.name.isEmpty ? "PLAY" : "PLAY [\(play.name)]")
        case .noHostsMatched:
            line("skipping: no hosts matched", .skip)
        case .taskStarted(let task):
            currentTask = task
            printBanner(for: task)
        case .itemResult(let task, let result):
            printItem(result, task: task)
        case .hostResult(let task, let result):
            printResult(result, task: task)
        case .retrying(let task, let host, _, let retriesLeft, let result):
            var text = "FAILED - RETRYING: [\(host)]: \(task.displayName) (\(retriesLeft) retries left)."
            // The default callback's `_run_is_verbose(result, verbosity=2)`: -vvv, or modules like debug.
            if settings.verbosity > 2 || result.verboseAlways {
                // The whole result: ansible-core's v2_runner_retry skips `_clean_results` (debug's key filter).
                let shown = ResultFormatting.displayed(result, action: "", verbosity: settings.verbosity)
                text += "Result was: "
                    + ResultFormatting.dump(shown, verboseAlways: result.verboseAlways, verbosity: settings.verbosity)
            }
            line(text, .debug)
        case .asyncPoll(_, let host, let jid):
            line("ASYNC POLL on \(host): jid=\(jid) started=True finished=False", .debug)
        case .asyncFinished(_, let host, let jid, let failed):
            line("ASYNC \(failed ? "FAILED" : "OK") on \(host): jid=\(jid)", .debug)
        case .diff(let task, _, let diffs):
            if bannerPrintedFor != task.id { printBanner(for: task) }
            for diff in diffs {
                let text = DiffRenderer.render(diff)
                if !text.isEmpty { output.write(text, toStandardError: false) }
            }
        case .included(let path, let hosts, let label):
            var text = "included: \(path) for \(hosts.joined(separator: ", "))"
            if let label { text += " => (item=\(ResultFormatting.label(label)))" }
            line(text, .included)
        case .handlerNotified(let handler, let host):
            if settings.verbosity > 0 { line("NOTIFIED HANDLER \(handler) for \(host)", .verbose) }
        case .warning(let message):
            output.write(settings.style.paint("[WARNING]: \(message)", .warn) + "\n", toStandardError: true)
        case .noMoreHosts:
            banner("NO MORE HOSTS LEFT")
        case .recap(let hosts, let custom):
            printRecap(hosts, custom: custom)
        }
    }

    private func banner(_ message: String) {
        let stars = String(repeating: "*", count: max(settings.columns - message.count, 3))
        output.write("\n\(message) \(stars)\n", toStandardError: false)
    }

    private func line(_ text: String, _ color: TerminalStyle.Color?, error: Bool = false) {
        output.write(settings.style.paint(text, color) + "\n", toStandardError: error)
    }

    private mutating func printBanner(for task: TaskInfo) {
        bannerPrintedFor = task.id
        banner("\(task.kind.rawValue) [\(task.displayName)]")
        if settings.verbosity >= 2, let location = task.location {
            line("task path: \(location.file):\(location.line)", nil)
        }
    }

    private mutating func printFailureReport(_ result: HostTaskResult, task: TaskInfo) {
        reportPrintedFor = task.id
        guard let report = FailureReport(workingDirectory: settings.workingDirectory).render(result, task: task) else { return }
        output.write(settings.style.paint(report, .error), toStandardError: false)
    }

    private func hostLabel(_ result: HostTaskResult) -> String {
        if let delegate = result.delegatedTo, delegate != result.host { return "\(result.host) -> \(delegate)" }
        return result.host
    }

    private func dump(_ result: HostTaskResult, action: String) -> String {
        ResultFormatting.dump(
            ResultFormatting.displayed(result, action: action, verbosity: settings.verbosity),
            verboseAlways: result.verboseAlways, verbosity: settings.verbosity)
    }

    private func isVerbose(_ result: HostTaskResult) -> Bool {
        settings.verbosity > 0 || result.verboseAlways
    }

    private mutating func printResult(_ result: HostTaskResult, task: TaskInfo) {
        if bannerPrintedFor != task.id { printBanner(for: task) }
        let hasItems = task.isLoop && result.values["results"] != nil
        switch result.status {
        case .ok(let changed):
            // For loops every item has been printed already; an include's line is its `included:`.
            guard !hasItems, !task.isInclude else { return }
            var text = "\(changed ? "changed" : "ok"): [\(hostLabel(result))]"
            if isVerbose(result) { text += " => " + dump(result, action: task.action) }
            line(text, changed ? .changed : .ok)
        case .skipped:
            var text = "skipping: [\(result.host)]"
            if isVerbose(result) { text += " => " + dump(result, action: task.action) }
            line(text, .skip)
        case .failed(let ignored):
            if !hasItems {
                printFailureReport(result, task: task)
                line("fatal: [\(hostLabel(result))]: FAILED! => " + dump(result, action: task.action), .error)
            }
            if ignored { line("...ignoring", .skip) }
        case .unreachable(let ignored):
            line("fatal: [\(hostLabel(result))]: UNREACHABLE! => " + dump(result, action: task.action), .unreachable)
            if ignored { line("...ignoring", .skip) }
        }
    }

    private mutating func printItem(_ result: HostTaskResult, task: TaskInfo) {
        if bannerPrintedFor != task.id { printBanner(for: task) }
        let label = ResultFormatting.label(result.itemLabel ?? .none)
        switch result.status {
        case .ok(let changed):
            guard !task.isInclude else { return }
            var text = "\(changed ? "changed" : "ok"): [\(hostLabel(result))] => (item=\(label))"
            if isVerbose(result) { text += " => " + dump(result, action: task.action) }
            line(text, changed ? .changed : .ok)
        case .skipped:
            var text = "skipping: [\(result.host)] => (item=\(label)) "
            if isVerbose(result) { text += " => " + dump(result, action: task.action) }
            line(text, .skip)
        case .failed, .unreachable:
            if reportPrintedFor != task.id { printFailureReport(result, task: task) }
            line("failed: [\(hostLabel(result))] (item=\(label)) => " + dump(result, action: task.action), .error)
        }
    }

    private func printRecap(_ hosts: [(String, HostStats)], custom: ValueDictionary) {
        banner("PLAY RECAP")
        for (host, stats) in hosts {
            let hostColor: TerminalStyle.Color =
                stats.failed > 0 || stats.unreachable > 0 ? .error : stats.changed > 0 ? .changed : .ok
            // Python pads after colouring, so a coloured name is padded to 37 (26 + escape codes).
            let padded = settings.style.enabled
                ? pad(settings.style.paint(host, hostColor), to: 37) : pad(host, to: 26)
            let fields = [
                count("ok", stats.ok, .ok), count("changed", stats.changed, .changed),
                count("unreachable", stats.unreachable, .unreachable), count("failed", stats.failed, .error),
                count("skipped", stats.skipped, .skip), count("rescued", stats.rescued, .ok),
                count("ignored", stats.ignored, .warn),
            ]
            output.write("\(padded) : \(fields.joined(separator: " "))\n", toStandardError: false)
        }
        output.write("\n", toStandardError: false)
        if !custom.isEmpty {
            banner("CUSTOM STATS: ")
            for (key, value) in custom {
                output.write("\t\(ResultFormatting.label(key)): \(JSON.text(value, .results(indent: nil)))\n", toStandardError: false)
            }
            output.write("\n", toStandardError: false)
        }
        if settings.verbosity > 0 { output.write(timings.summary(), toStandardError: false) }
    }

    private func count(_ name: String, _ number: Int, _ color: TerminalStyle.Color) -> String {
        let text = pad("\(name)=\(number)", to: name.count + 5)
        return number != 0 ? settings.style.paint(text, color) : text
    }

    private func pad(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
