import Foundation
import Testing

/// `Playbooks/tacker-onboard.yml` run by the `stackplay` binary against the test bed's Tacker, then
/// looked at through python-tackerclient (`openstack vim list`, `openstack vnf package list`), the
/// view operators use: the VIM and both packages must appear there as the playbook left them.
@Suite(.enabled(if: TestBed.isAvailable, "needs the test bed (Scripts/testbed up)"), .serialized)
struct TackerOnboardingTests {
    static let playbook = StackplayBinaries.packageRoot.appendingPathComponent("Playbooks/tacker-onboard.yml").path

    func stackplay(_ arguments: [String]) throws -> ProcessOutcome {
        let binary = try #require(StackplayBinaries.stackplay)
        return try ProcessRunner.run(binary, arguments, in: StackplayBinaries.packageRoot)
    }

    /// `openstack … -f json` from the test bed's venv (python-openstackclient + python-tackerclient).
    func tackerClient(_ arguments: [String]) throws -> [[String: Any]] {
        let testbed = try #require(TestBed.environment["STACKPLAY_TESTBED"])
        let client = URL(fileURLWithPath: testbed).appendingPathComponent("venv/bin/openstack")
        let outcome = try ProcessRunner.run(client, arguments + ["-f", "json"])
        #expect(outcome.status == 0, "openstack \(arguments.joined(separator: " ")): \(outcome.output)")
        // The client may print warnings before the JSON document.
        let json = outcome.output.drop { $0 != "[" }
        return try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    }

    @Test func onboardingIsIdempotentAndTackerClientSeesItsResult() throws {
        let first = try stackplay([Self.playbook])
        #expect(first.status == 0, "\(first.output)")

        let rerun = try stackplay([Self.playbook])
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(PlayRecap.parse(rerun.output)["localhost"]?.changed == 0, "\(rerun.output)")

        let check = try stackplay(["--check", Self.playbook])
        #expect(check.status == 0, "\(check.output)")
        #expect(PlayRecap.parse(check.output)["localhost"]?.changed == 0, "\(check.output)")

        let vims = try tackerClient(["vim", "list"])
        let vim = try #require(vims.first { $0["Name"] as? String == "vim-openstack" }, "\(vims)")
        #expect(vim["Is Default"] as? Bool == true)
        #expect(vim["Type"] as? String == "openstack")
        #expect(["REACHABLE", "ACTIVE"].contains((vim["Status"] as? String)?.uppercased() ?? ""), "\(vim)")

        let packages = try tackerClient(["vnf", "package", "list"])
        for product in ["Site web server", "Load balancer"] {
            let matching = packages.filter { $0["Vnf Product Name"] as? String == product }
            #expect(
                matching.contains { $0["Onboarding State"] as? String == "ONBOARDED" && $0["Operational State"] as? String == "ENABLED" },
                "\(product): \(packages)")
        }
    }
}
