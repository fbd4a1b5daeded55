import Foundation
import ModuleAPI
import Synchronization
import Templating
import TestSupport

@testable import Engine

/// Captures what callbacks write, split by stream.
final class CapturedOutput: TextOutput {
    private let buffer = Mutex<(out: String, err: String)>(("", ""))

    func write(_ text: String, toStandardError: Bool) {
        buffer.withLock { if toStandardError { $0.err += text } else { $0.out += text } }
    }

    var standardOutput: String { buffer.withLock { $0.out } }
    var standardError: String { buffer.withLock { $0.err } }
}

/// Facts for tests: a fixed dictionary, as a real gatherer would return for a host.
struct FixedFacts: FactSource {
    var facts: ValueDictionary = .pairs(["hostname": "testhost", "os_family": "Debian"])

    func gather(over connection: any Connection, subset: [String], timeout: Int) async throws -> ValueDictionary {
        facts
    }
}

/// Runs a playbook text in-process with controller-only components.
func runPlaybook(
    _ text: String, extraFiles: [String: String] = [:], configure: (inout RunOptions) -> Void = { _ in },
    components: RunComponents = RunComponents(registry: ModuleRegistry(), connections: [:], facts: FixedFacts())
) async throws -> (outcome: RunOutcome, output: CapturedOutput) {
    let scratch = try Scratch()
    let playbook = try scratch.write("playbook.yml", text)
    for (name, contents) in extraFiles { try scratch.write(name, contents) }
    var options = RunOptions(playbooks: [playbook])
    options.inventories = ["localhost,"]
    options.workingDirectory = scratch.path
    options.environment = ["NO_COLOR": "1"]
    configure(&options)
    let output = CapturedOutput()
    let outcome = await PlaybookRun(options: options, output: output, components: components).execute()
    return (outcome, output)
}

/// `vars_prompt` answers from a script; records what was asked.
final class ScriptedPrompts: PromptSource {
    private let state: Mutex<(answers: [String], asked: [(message: String, secret: Bool)], shown: [String])>
    let isInteractive: Bool

    init(interactive: Bool, answers: [String] = []) {
        isInteractive = interactive
        state = Mutex((answers, [], []))
    }

    func read(_ message: String, secret: Bool) -> String? {
        state.withLock { state in
            state.asked.append((message, secret))
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
    }

    func show(_ line: String) { state.withLock { $0.shown.append(line) } }

    var asked: [(message: String, secret: Bool)] { state.withLock { $0.asked } }
    var shown: [String] { state.withLock { $0.shown } }
}
