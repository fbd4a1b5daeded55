import Foundation
import StackplayCLI
import Testing

@testable import Engine

/// Every corpus playbook passes under stackplay and its twin (one wrong expectation) fails; with
/// `STACKPLAY_ANSIBLE_VENV` set, real ansible-playbook must agree on the exit code and the recap.
@Suite struct DifferentialCorpusTests {
    @Test func corpusHasAtLeastFortyCases() {
        #expect(CorpusCase.all.count >= 40)
    }

    @Test(arguments: CorpusCase.all)
    func stackplayPassesAndTheTwinFails(_ corpusCase: CorpusCase) async throws {
        let (code, output) = try await runStackplay(corpusCase, twin: false)
        #expect(code == 0, "\(output)")
        let (twinCode, twinOutput) = try await runStackplay(corpusCase, twin: true)
        #expect(twinCode == 2, "\(twinOutput)")
    }

    @Test(.enabled(if: AnsiblePeer.isAvailable), arguments: CorpusCase.all)
    func ansiblePlaybookAgrees(_ corpusCase: CorpusCase) async throws {
        for twin in [false, true] {
            let (code, output) = try await runStackplay(corpusCase, twin: twin)
            let (directory, arguments) = try corpusCase.materialize(twin: twin, interpreter: AnsiblePeer.interpreter)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let peer = try AnsiblePeer.run(arguments, in: directory)
            #expect(code == peer.code, "twin=\(twin) stackplay:\n\(output)\nansible:\n\(peer.output)")
            #expect(AnsiblePeer.recap(output) == AnsiblePeer.recap(peer.output), "twin=\(twin)\n\(output)\n\(peer.output)")
        }
    }

    private func runStackplay(_ corpusCase: CorpusCase, twin: Bool) async throws -> (Int32, String) {
        let (directory, arguments) = try corpusCase.materialize(twin: twin, interpreter: AnsiblePeer.interpreter)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = CapturedOutput()
        let code = await StackplayMain.run(
            arguments, environment: ["NO_COLOR": "1"], output: output, workingDirectory: directory,
            prompts: ScriptedPrompts(interactive: false))
        return (code, output.standardOutput + output.standardError)
    }
}
