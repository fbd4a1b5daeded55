import Foundation

/// Runs the project's playbooks with the real `stackplay` binary against the test bed.
enum SiteRollout {
    static let sitePlaybook = StackplayBinaries.packageRoot.appendingPathComponent("Playbooks/site.yml")

    /// `stackplay -i <inventory> <playbook> [extra arguments]`, from the package root.
    static func run(
        _ playbook: URL = sitePlaybook, inventory: URL = TestBed.inventory, extra: [String] = []
    ) throws -> ProcessOutcome {
        guard let stackplay = StackplayBinaries.stackplay else {
            throw TestBedError("stackplay is not built: run `swift build --product stackplay` first")
        }
        var arguments = ["-i", inventory.path, playbook.path] + extra
        // The balancer role copies a release binary from its files/; without one, use the build's.
        if let balancer = StackplayBinaries.balancerBinary {
            arguments += ["-e", "balancer_binary_src=\(balancer.path)"]
        }
        return try ProcessRunner.run(stackplay, arguments, in: StackplayBinaries.packageRoot)
    }

    /// Writes a one-task playbook running `service: name=<service> state=<state>` on `host`.
    static func servicePlaybook(host: String, service: String, state: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stackplay-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let playbook = directory.appendingPathComponent("service.yml")
        try """
            - name: Set \(service) \(state) on \(host)
              hosts: \(host)
              gather_facts: false
              tasks:
                - name: \(service) \(state)
                  ansible.builtin.service:
                    name: \(service)
                    state: \(state)
            """.write(to: playbook, atomically: true, encoding: .utf8)
        return playbook
    }

    /// Sends small bursts through the balancer until every one of `servers` answers (its health
    /// checks bring a restored or new server back within a few intervals); bounded, never timed.
    static func awaitBalancer(serving servers: Set<String>) async -> Bool {
        guard let url = TestBed.balancerURL else { return false }
        for _ in 0..<60 {
            let tally = await TrafficProbe.get(servers.count * 2, from: url)
            if tally.failures.isEmpty && Set(tally.perServer.keys) == servers { return true }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return false
    }
}
