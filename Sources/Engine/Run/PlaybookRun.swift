import Diagnostics
import Foundation
import ModuleAPI
import PlaybookCore
import Templating

/// One `stackplay` invocation: loads and validates everything, then runs the plays (or lists
/// them), reports through the output callbacks and returns the outcome.
public struct PlaybookRun: Sendable {
    public let options: RunOptions
    public let output: any TextOutput
    public let components: RunComponents

    public init(options: RunOptions, output: any TextOutput, components: RunComponents) {
        self.options = options
        self.output = output
        self.components = components
    }

    public func execute() async -> RunOutcome {
        let settings: RunSettings
        do {
            settings = try RunSettings(options: options)
        } catch {
            report(error)
            return .loadError
        }
        let bus = EventBus(makeCallbacks(settings))
        for warning in settings.warnings { bus.emit(.warning(warning)) }
        let prepared: PreparedRun
        do {
            prepared = try RunPreparation(options: options, settings: settings, components: components).prepare()
        } catch {
            // Nothing has run: every loading and validation error is ansible-core's parser error.
            report(error)
            return .loadError
        }
        do {
            switch options.mode {
            case .syntaxCheck:
                for playbook in options.playbooks { output.write("\nplaybook: \(playbook)\n", toStandardError: false) }
                return .success
            case .listTasks, .listTags, .listHosts:
                output.write(try PlaybookListing(prepared: prepared, options: options).text(), toStandardError: false)
                return .success
            case .run:
                return await run(prepared, settings: settings, bus: bus)
            }
        } catch {
            report(error)
            return .error
        }
    }

    private func run(_ prepared: PreparedRun, settings: RunSettings, bus: EventBus) async -> RunOutcome {
        let context = prepared.context(bus: bus)
        for playbook in options.playbooks { bus.emit(.playbookStarted(path: playbook)) }
        let ids = TaskIdentifiers()
        let startAt = options.startAtTask.map(StartAtTask.init)
        let bus = context.bus
        let prompter = VarsPrompter(prompts: components.prompts, templar: prepared.templar) { bus.emit(.warning($0)) }
        var warnedNotInteractive = false
        do {
            for var play in prepared.plays {
                warnAboutUndefinedVarsFiles(play, bus: bus)
                play.promptedVars = try prompter.answers(
                    for: play, extraVars: prepared.extraVars, warned: &warnedNotInteractive)
                if !play.promptedVars.isEmpty, play.varsFilesSource?.isTemplated == true {
                    // ansible-core reads vars_files again once the answers are play vars: a path may use them.
                    try play.readVarsFiles(extraVars: prepared.extraVars, templar: prepared.templar)
                    warnAboutUndefinedVarsFiles(play, bus: bus)
                }
                let hosts = try prepared.hosts(for: play, state: context.state)
                let runner = PlayRunner(
                    context: context, plan: play, forks: settings.forks, ids: ids, startAtTask: startAt)
                if await !runner.run(hosts: hosts) { break }
            }
        } catch {
            report(error)
            await context.asyncJobs.waitAll()
            await context.connections.closeAll()
            return .error
        }
        await context.asyncJobs.waitAll()
        await context.connections.closeAll()
        let stats = context.state.stats
        bus.emit(.recap(hosts: stats.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, customStats: context.state.customStats))
        return RunOutcome.from(stats: stats)
    }

    private func warnAboutUndefinedVarsFiles(_ play: PlayPlan, bus: EventBus) {
        guard let source = play.varsFilesSource else { return }
        for location in play.varsFilesUndefined {
            source.warnOnce(about: location) { bus.emit(.warning($0)) }
        }
    }

    private func makeCallbacks(_ settings: RunSettings) -> [any OutputCallback] {
        let outputSettings = OutputSettings(
            verbosity: options.verbosity, diff: options.diff,
            style: TerminalStyle.detect(environment: options.environment, isTerminal: StandardOutput.isTerminal && output is StandardOutput),
            columns: 79, workingDirectory: options.workingDirectory)
        var callbacks: [any OutputCallback] = []
        switch settings.output {
        case .text: callbacks.append(DefaultCallback(output: output, settings: outputSettings))
        case .json: callbacks.append(JSONLinesCallback(output: output))
        }
        if let path = options.junitPath {
            let output = self.output
            callbacks.append(JUnitCallback(path: path) { message in output.write("ERROR! \(message)\n", toStandardError: true) })
        }
        return callbacks
    }

    /// Prints a located error the way compilers do: `file:line:col: error: …`, the line, a caret.
    /// Writes an error to standard error: a located one with its source excerpt, any other as `ERROR! …`.
    private func report(_ error: any Error) {
        guard let error = error as? any LocatedError else {
            output.write("ERROR! \(error)\n", toStandardError: true)
            return
        }
        let renderer = DiagnosticRenderer { path in
            let candidate = path.hasPrefix("/") ? path : options.workingDirectory + "/" + path
            return (try? String(contentsOfFile: candidate, encoding: .utf8)) ?? (try? String(contentsOfFile: path, encoding: .utf8))
        }
        output.write(renderer.render(error) + "\n", toStandardError: true)
    }
}

