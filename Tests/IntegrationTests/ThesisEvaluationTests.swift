import Foundation
import Testing

/// The thesis's evaluation (chapter 4) with the real `stackplay` against the test bed: the site
/// rollout, 100 GETs spread evenly (tests 1–3), a dead backend (test 4), a fifth server joining
/// by re-running the playbook (test 5), idempotence and check mode.
@Suite("Thesis evaluation on the test bed", .serialized, .enabled(if: TestBed.isAvailable))
struct ThesisEvaluationTests {
    let fourServers = Set(TestBed.webServers)

    /// Rolls out site.yml and waits until the balancer serves exactly the four site servers.
    func rolledOut(inventory: URL = TestBed.inventory, servers: Set<String>? = nil) async throws -> ProcessOutcome {
        let run = try SiteRollout.run(inventory: inventory)
        // Nothing after a failed rollout can pass: stop the test here, with the run's output.
        try #require(run.status == 0, "site.yml failed:\n\(run.output)")
        let recap = PlayRecap.parse(run.output)
        #expect(recap.values.allSatisfy { $0.failed == 0 && $0.unreachable == 0 }, "\(recap)")
        let ready = await SiteRollout.awaitBalancer(serving: servers ?? fourServers)
        #expect(ready, "the balancer never served \(servers ?? fourServers)")
        return run
    }

    @Test("100 GETs through the balancer are spread 25/25/25/25 over the four web servers")
    func hundredGetsSpreadEvenly() async throws {
        let run = try await rolledOut()
        #expect(Set(PlayRecap.parse(run.output).keys) == fourServers.union(["lb1", "lb2"]))
        let url = try #require(TestBed.balancerURL)
        let tally = await TrafficProbe.get(100, from: url)
        #expect(tally.failures.isEmpty, "\(tally.failures)")
        #expect(tally.perServer == Dictionary(uniqueKeysWithValues: TestBed.webServers.map { ($0, 25) }))
    }

    @Test("A second run of site.yml changes nothing")
    func secondRunChangesNothing() async throws {
        _ = try await rolledOut()
        let again = try SiteRollout.run()
        #expect(again.status == 0, "\(again.output)")
        let recap = PlayRecap.parse(again.output)
        #expect(recap.count == 6, "\(again.output)")
        for (host, counters) in recap {
            #expect(counters.changed == 0, "\(host) changed on the re-run:\n\(again.output)")
            #expect(counters.failed == 0 && counters.unreachable == 0, "\(host): \(counters)")
        }
    }

    @Test("A stopped backend stops receiving traffic and no request fails")
    func deadBackendStopsReceivingTraffic() async throws {
        _ = try await rolledOut()
        let victim = "site1-web2"
        let stop = try SiteRollout.run(try SiteRollout.servicePlaybook(host: victim, service: "nginx", state: "stopped"))
        #expect(stop.status == 0, "\(stop.output)")
        #expect(PlayRecap.parse(stop.output)[victim]?.changed == 1, "\(stop.output)")

        let url = try #require(TestBed.balancerURL)
        let tally = await TrafficProbe.get(100, from: url)
        #expect(tally.failures.isEmpty, "\(tally.failures)")
        #expect(tally.perServer[victim] == nil, "\(tally.perServer)")
        #expect(tally.perServer.values.reduce(0, +) == 100)
        #expect(Set(tally.perServer.keys) == fourServers.subtracting([victim]))

        // Re-running the playbook restores the server (its "Start NGINX" task reports the change).
        let restore = try await rolledOut()
        #expect(PlayRecap.parse(restore.output)[victim]?.changed ?? 0 >= 1, "\(restore.output)")
    }

    @Test("A fifth server joins by moving it into site2 and re-running the playbook")
    func fifthServerJoins() async throws {
        let scaled = try TestBed.inventoryWithThirdSite2Server()
        defer { try? FileManager.default.removeItem(at: scaled.deletingLastPathComponent()) }
        let fiveServers = fourServers.union([TestBed.spareWebServer])
        let run = try await rolledOut(inventory: scaled, servers: fiveServers)
        #expect(PlayRecap.parse(run.output)[TestBed.spareWebServer] != nil, "\(run.output)")

        let url = try #require(TestBed.balancerURL)
        let tally = await TrafficProbe.get(100, from: url)
        #expect(tally.failures.isEmpty, "\(tally.failures)")
        #expect(tally.perServer == Dictionary(uniqueKeysWithValues: fiveServers.map { ($0, 20) }))

        // Back to four servers for the other tests.
        let shrunk = try await rolledOut()
        #expect(PlayRecap.parse(shrunk.output)["lb1"]?.changed ?? 0 >= 1, "\(shrunk.output)")
    }

    @Test("--check on a changed template reports the change and changes nothing")
    func checkModePredictsWithoutChanging() async throws {
        _ = try await rolledOut()
        let check = try SiteRollout.run(extra: ["--check", "--diff", "-e", "webserver_worker_connections=511"])
        #expect(check.status == 0, "\(check.output)")
        let predicted = PlayRecap.parse(check.output)
        for server in TestBed.webServers {
            #expect(predicted[server]?.changed ?? 0 >= 1, "\(server) was not predicted to change:\n\(check.output)")
        }
        #expect(check.output.contains("worker_connections 511"), "no diff of nginx.conf shown")

        // Nothing was written: the normal run right after finds everything as it was.
        let after = try SiteRollout.run()
        #expect(after.status == 0, "\(after.output)")
        #expect(PlayRecap.parse(after.output).values.allSatisfy { $0.changed == 0 }, "\(after.output)")
    }
}
