import Foundation
import Testing

/// The differential check for the OpenStack modules: `Playbooks/devstack-infra.yml` run by real
/// ansible-playbook with openstack.cloud and by stackplay, each from the same empty state, must leave
/// the same VIM behind, as openstacksdk reads it (`VIMState/vim_state.py`: every field a playbook
/// sets, ids mapped to names); `Playbooks/devstack-teardown.yml` must bring both back to the start.
/// The peers' venv (`STACKPLAY_ANSIBLE_VENV`), when it holds the openstack.cloud collection.
enum OpenStackPeer {
    static let venv: URL? = {
        guard let path = ProcessInfo.processInfo.environment["STACKPLAY_ANSIBLE_VENV"] else { return nil }
        let venv = URL(fileURLWithPath: path)
        let collection = venv.appendingPathComponent("collections/ansible_collections/openstack/cloud/MANIFEST.json")
        return FileManager.default.fileExists(atPath: collection.path) ? venv : nil
    }()
}

@Suite(
    .enabled(if: TestBed.isAvailable && OpenStackPeer.venv != nil,
        "needs the test bed and the peers' venv with openstack.cloud (Scripts/test sets both up)"),
    .serialized)
struct VIMStateDifferentialTests {
    static let cloud = "devstack-admin"
    static let playbooks = StackplayBinaries.packageRoot.appendingPathComponent("Playbooks")
    static let snapshotScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("VIMState/vim_state.py")

    func run(_ executable: URL, _ playbook: String) throws -> ProcessOutcome {
        let venv = try #require(OpenStackPeer.venv)
        return try ProcessRunner.run(
            executable,
            [Self.playbooks.appendingPathComponent(playbook).path,
             "-i", StackplayBinaries.packageRoot.appendingPathComponent("Inventory/hosts.yml").path,
             "-e", "openstack_cloud=\(Self.cloud)"],
            environment: [
                "ANSIBLE_COLLECTIONS_PATH": venv.appendingPathComponent("collections").path,
                "ANSIBLE_NOCOLOR": "1", "NO_COLOR": "1",
            ])
    }

    /// Runs `playbook` and returns the controller's `changed` count, failing the test on a failed run.
    func changed(_ executable: URL, _ playbook: String) throws -> Int? {
        let outcome = try run(executable, playbook)
        #expect(outcome.status == 0, "\(executable.lastPathComponent) \(playbook): \(outcome.output)")
        return PlayRecap.parse(outcome.output)["controller"]?.changed
    }

    /// The VIM as openstacksdk sees it, as sorted JSON.
    func snapshot() throws -> String {
        let venv = try #require(OpenStackPeer.venv)
        let outcome = try ProcessRunner.run(
            venv.appendingPathComponent("bin/python"), [Self.snapshotScript.path, Self.cloud])
        try #require(outcome.status == 0, "\(outcome.output)")
        return outcome.output
    }

    @Test func ansibleAndStackplayLeaveTheSameVIM() throws {
        let ansible = try #require(OpenStackPeer.venv).appendingPathComponent("bin/ansible-playbook")
        let stackplay = try #require(StackplayBinaries.stackplay)
        let infra = "devstack-infra.yml", teardown = "devstack-teardown.yml"

        _ = try changed(stackplay, teardown)
        let empty = try snapshot()

        #expect(try changed(ansible, infra) == 13)
        let expected = try snapshot()
        #expect(expected != empty)
        #expect(try changed(ansible, teardown) == 6)
        #expect(try snapshot() == empty)

        #expect(try changed(stackplay, infra) == 13)
        #expect(try snapshot() == expected)
        #expect(try changed(stackplay, infra) == 0)

        // The one deliberate difference on this playbook: openstack.cloud's re-run sorts each subnet's
        // `dns_nameservers` (8.8.8.8, 8.8.4.4 becomes 8.8.4.4, 8.8.8.8), reordering the resolvers the
        // user listed; stackplay keeps the order given and puts it back.
        #expect(try changed(ansible, infra) == 3)
        let resorted = try snapshot()
        #expect(resorted != expected)
        #expect(resorted == expected.replacingOccurrences(
            of: "\"8.8.8.8\",\n    \"8.8.4.4\"", with: "\"8.8.4.4\",\n    \"8.8.8.8\""))
        #expect(try changed(stackplay, infra) == 3)
        #expect(try snapshot() == expected)

        #expect(try changed(stackplay, teardown) == 6)
        #expect(try snapshot() == empty)
    }
}
