import Foundation
import Testing

/// The differential check for the remote modules: `RemoteState/remote-state.yml` run by real
/// ansible-playbook and by stackplay against the same test host, each from the same clean state,
/// must leave the same files behind — paths, types, modes, owners, link targets and contents.
@Suite(
    .enabled(if: TestBed.isAvailable && ProcessInfo.processInfo.environment["STACKPLAY_ANSIBLE_VENV"] != nil,
        "needs the test bed and the ansible-core venv (Scripts/test sets both up)"),
    .serialized)
struct RemoteStateDifferentialTests {
    static let host = "spare1"
    static let root = "/var/www/stackplay-differential"
    static let playbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("RemoteState/remote-state.yml").path

    /// Runs a shell command on the test host with the system's OpenSSH client and the test bed's keys.
    func onHost(_ command: String) throws -> String {
        let testbed = try #require(TestBed.environment["STACKPLAY_TESTBED"])
        let outcome = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/ssh"), ["-F", testbed + "/ssh_config", Self.host, command])
        #expect(outcome.status == 0, "\(command): \(outcome.output)")
        return outcome.output
    }

    /// Everything below the root: one line per path with its type, mode, owner, group and link
    /// target, then a checksum per regular file.
    func snapshot() throws -> String {
        try onHost(
            "cd \(Self.root) && find . -printf '%y %p %m %u:%g %l\\n' | sort && find . -type f -exec sha256sum {} + | sort -k2")
    }

    func run(_ executable: URL, _ extra: [String] = []) throws -> ProcessOutcome {
        try ProcessRunner.run(
            executable, extra + ["-i", TestBed.inventory.path, "-e", "target=\(Self.host)", Self.playbook],
            environment: ["ANSIBLE_NOCOLOR": "1", "NO_COLOR": "1"])
    }

    @Test func ansibleAndStackplayLeaveTheSameFiles() throws {
        let venv = try #require(ProcessInfo.processInfo.environment["STACKPLAY_ANSIBLE_VENV"])
        let ansible = URL(fileURLWithPath: venv).appendingPathComponent("bin/ansible-playbook")
        let stackplay = try #require(StackplayBinaries.stackplay)

        _ = try onHost("rm -rf \(Self.root)")
        let peer = try run(ansible)
        #expect(peer.status == 0, "\(peer.output)")
        let expected = try snapshot()

        _ = try onHost("rm -rf \(Self.root)")
        let ours = try run(stackplay)
        #expect(ours.status == 0, "\(ours.output)")
        let actual = try snapshot()
        #expect(actual == expected)
        #expect(PlayRecap.parse(ours.output)[Self.host]?.changed == PlayRecap.parse(peer.output)[Self.host]?.changed)

        // Each runner's second run over the other's result changes nothing.
        let rerun = try run(stackplay)
        #expect(PlayRecap.parse(rerun.output)[Self.host]?.changed == 0, "\(rerun.output)")
        let peerRerun = try run(ansible)
        #expect(PlayRecap.parse(peerRerun.output)[Self.host]?.changed == 0, "\(peerRerun.output)")
        _ = try onHost("rm -rf \(Self.root)")
    }
}
