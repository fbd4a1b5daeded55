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
            let ours = try await runStackplayCapturing(corpusCase, twin: twin)
            let output = ours.standardOutput + ours.standardError
            let (directory, arguments) = try corpusCase.materialize(twin: twin, interpreter: AnsiblePeer.interpreter)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let peer = try AnsiblePeer.run(arguments, in: directory)
            #expect(ours.code == peer.code, "twin=\(twin) stackplay:\n\(output)\nansible:\n\(peer.output)")
            #expect(AnsiblePeer.recap(output) == AnsiblePeer.recap(peer.output), "twin=\(twin)\n\(output)\n\(peer.output)")
            // What a user reads: the same banners, results, item lines and `included:` lines, in order.
            if !twin && !corpusCase.outputMayDiffer {
                let mine = OutputNormalizer.normalize(ours.standardOutput, directory: ours.directory)
                let theirs = OutputNormalizer.normalize(peer.output, directory: directory)
                #expect(mine == theirs, "stackplay:\n\(mine)\nansible:\n\(theirs)")
            }
        }
    }

    private func runStackplay(_ corpusCase: CorpusCase, twin: Bool) async throws -> (Int32, String) {
        let run = try await runStackplayCapturing(corpusCase, twin: twin)
        return (run.code, run.standardOutput + run.standardError)
    }

    private func runStackplayCapturing(_ corpusCase: CorpusCase, twin: Bool) async throws
        -> (code: Int32, standardOutput: String, standardError: String, directory: String)
    {
        let (directory, arguments) = try corpusCase.materialize(twin: twin, interpreter: AnsiblePeer.interpreter)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = CapturedOutput()
        let code = await StackplayMain.run(
            arguments, environment: ["NO_COLOR": "1"], output: output, workingDirectory: directory,
            prompts: ScriptedPrompts(interactive: false))
        return (code, output.standardOutput, output.standardError, directory)
    }
}
