import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// `Playbooks/devstack-infra.yml` (the thesis's Annex D) task by task against the test bed: a first run
/// creates everything, a re-run changes nothing, check mode of the teardown predicts every deletion and
/// writes nothing, the teardown removes everything. Each phase is a separate "run" (its own service
/// container, so its own token); the request counts and latencies are printed for the benchmark.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"), .serialized)
struct DevstackInfraPlaybookTests {
    /// The teardown: every task of the playbook with `state: absent`, in reverse order
    /// (what `Playbooks/devstack-teardown.yml` does with loops).
    static func teardown(_ infra: PlaybookTasks) -> PlaybookTasks {
        var teardown = infra
        teardown.tasks = infra.tasks.reversed().map { task in
            var task = task
            task.arguments["state"] = "absent"
            return task
        }
        return teardown
    }

    struct Phase {
        var name: String
        var seconds: Double
        var requests: [RequestLog.Entry]
        var results: [(name: String, result: ModuleResult)]
    }

    static func measure(_ name: String, _ tasks: PlaybookTasks, check: Bool = false) async throws -> Phase {
        let services = ServiceContainer()
        let started = Date()
        let results = try await tasks.run(check: check, services: services)
        let seconds = Date().timeIntervalSince(started)
        let config = try CloudConfigLoader(environment: TestBed.environment).resolve(
            arguments: ValueDictionary([("cloud", "devstack-admin")]))
        let requests = SessionRegistry.shared(in: services).session(for: config).transport.requests.all
        return Phase(name: name, seconds: seconds, requests: requests, results: results)
    }

    static func report(_ phase: Phase) {
        var byKind: [String: [Double]] = [:]
        for request in phase.requests {
            let path = (URL(string: request.url)?.path ?? request.url)
                .replacingOccurrences(of: #"[0-9a-f]{8}-[0-9a-f-]{27}"#, with: "{id}", options: .regularExpression)
            byKind["\(request.method) \(path)", default: []].append(request.seconds)
        }
        print("== \(phase.name): \(phase.results.count) tasks, \(phase.requests.count) HTTP requests, \(String(format: "%.2f", phase.seconds)) s")
        for (kind, samples) in byKind.sorted(by: { $0.key < $1.key }) {
            let sorted = samples.sorted()
            let median = sorted[sorted.count / 2] * 1000
            print(String(format: "   %3d × %-60@ median %6.1f ms  max %6.1f ms", samples.count, kind as NSString, median, (sorted.last ?? 0) * 1000))
        }
    }

    @Test func annexDBaselineIsIdempotentAndTearsDown() async throws {
        let infra = try PlaybookTasks(playbook: "Playbooks/devstack-infra.yml")
        #expect(infra.tasks.count == 13)
        let teardown = Self.teardown(infra)
        // Start from a clean VIM whatever an earlier run left.
        _ = try await TestBed.retrying { try await teardown.run(services: ServiceContainer()) }

        let first = try await Self.measure("first run", infra)
        Self.report(first)
        #expect(first.results.allSatisfy { $0.result.changed })
        let subnet0 = try #require(first.results.first { $0.name == "Create the subnet of site 0" }?.result.resource("subnet"))
        #expect(subnet0["dns_nameservers"] == ["8.8.8.8", "8.8.4.4"])
        let router = try #require(first.results.first { $0.name.hasPrefix("Create the router") }?.result.resource("router"))
        #expect(router["external_gateway_info"]?.dictionary?["network_id"] != nil)

        let rerun = try await Self.measure("unchanged re-run", infra)
        Self.report(rerun)
        #expect(rerun.results.filter(\.result.changed).map(\.name) == [])
        // The floor: one token, plus one discovery per service and one read per looked-up object.
        #expect(rerun.requests.filter { $0.url.hasSuffix("/auth/tokens") }.count == 1)
        #expect(rerun.requests.allSatisfy { $0.method == "GET" || $0.url.hasSuffix("/auth/tokens") })

        let predicted = try await Self.measure("teardown --check", teardown, check: true)
        #expect(predicted.results.allSatisfy { $0.result.changed })
        #expect(predicted.requests.allSatisfy { $0.method == "GET" || $0.url.hasSuffix("/auth/tokens") })
        let stillThere = try await Self.measure("re-run after --check", infra)
        #expect(stillThere.results.filter(\.result.changed).map(\.name) == [])

        let removed = try await Self.measure("teardown", teardown)
        Self.report(removed)
        #expect(removed.results.allSatisfy { $0.result.changed })
        let gone = try await Self.measure("teardown again", teardown)
        #expect(gone.results.filter(\.result.changed).map(\.name) == [])
    }
}
