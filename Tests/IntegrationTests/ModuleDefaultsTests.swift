import Foundation
import Testing

/// `module_defaults` for openstack.cloud's action group (`ModuleDefaults/module-defaults.yml`): the full,
/// short and legacy names take the group's cloud, a module's own entry wins over the group's; real
/// ansible-playbook with openstack.cloud runs the same playbook to the same recap.
@Suite(
    .enabled(if: TestBed.isAvailable && OpenStackPeer.venv != nil,
        "needs the test bed and the peers' venv with openstack.cloud (Scripts/test sets both up)"))
struct ModuleDefaultsTests {
    static let playbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("ModuleDefaults/module-defaults.yml").path

    func run(_ executable: URL) throws -> ProcessOutcome {
        let venv = try #require(OpenStackPeer.venv)
        return try ProcessRunner.run(
            executable, ["-i", StackplayBinaries.packageRoot.appendingPathComponent("Inventory/hosts.yml").path, Self.playbook],
            environment: [
                "ANSIBLE_COLLECTIONS_PATH": venv.appendingPathComponent("collections").path,
                "ANSIBLE_NOCOLOR": "1", "NO_COLOR": "1",
            ])
    }

    @Test func groupDefaultsReachEveryNameAndModuleEntriesWin() throws {
        let ours = try run(try #require(StackplayBinaries.stackplay))
        #expect(ours.status == 0, "\(ours.output)")
        let peer = try run(try #require(OpenStackPeer.venv).appendingPathComponent("bin/ansible-playbook"))
        #expect(peer.status == 0, "\(peer.output)")
        #expect(PlayRecap.parse(ours.output)["controller"] == HostRecap(ok: 4, changed: 0, unreachable: 0, failed: 0))
        #expect(PlayRecap.parse(ours.output)["controller"] == PlayRecap.parse(peer.output)["controller"])
    }
}
