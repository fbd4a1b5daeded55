import Foundation
import Testing

@testable import Balancer

/// The balancer in front of real nginx backends on loopback.
@Suite(.serialized, .enabled(if: NginxBackends.isAvailable, "needs /usr/sbin/nginx"))
struct EndToEndTests {
    static func servers(_ nginx: NginxBackends, extra: [String: String] = [:]) -> [(name: String, address: String, extra: String)] {
        zip(nginx.names, nginx.addresses).map { ($0, $1, extra[$0] ?? "") }
    }

    @Test func roundRobinSpreadsHundredRequestsEvenlyPerRequest() async throws {
        let nginx = try NginxBackends(count: 4)
        defer { nginx.stop() }
        let balancer = try await BalancerFixture.start(yaml: BalancerFixture.yaml(servers: Self.servers(nginx)))
        var separate: [String: Int] = [:]
        for _ in 0..<100 {
            let client = try await HTTPTestClient.connect(port: balancer.port)
            separate[try await client.request(.GET, "/").backendName, default: 0] += 1
            await client.close()
        }
        var shared: [String: Int] = [:]
        let client = try await HTTPTestClient.connect(port: balancer.port)
        for _ in 0..<100 {
            shared[try await client.request(.GET, "/").backendName, default: 0] += 1
        }
        await client.close()
        await balancer.stop()
        #expect(separate == ["b1": 25, "b2": 25, "b3": 25, "b4": 25])
        #expect(shared == ["b1": 25, "b2": 25, "b3": 25, "b4": 25], "one keep-alive connection is balanced per request")
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let nginx = try NginxBackends(count: 2)
        defer { nginx.stop() }
        let balancer = try await BalancerFixture.start(yaml: BalancerFixture.yaml(servers: Self.servers(nginx)))
        let connection = try RawConnection(port: balancer.port)
        var batch = ""
        for index in 0..<10 { batch += "GET /p\(index) HTTP/1.1\r\nHost: x\r\n\r\n" }
        connection.send(batch)
        let (text, _) = connection.receive { $0.components(separatedBy: "HTTP/1.1 200").count > 10 && $0.contains("/p9\n") }
        await balancer.stop()
        let bodies = text.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("b") && $0.contains(" /p") }
        #expect(bodies.map { String($0.split(separator: " ")[1]) } == (0..<10).map { "/p\($0)" }, "\(text)")
        #expect(Set(bodies.map { String($0.split(separator: " ")[0]) }) == ["b1", "b2"])
    }

    @Test func weightsSplitTrafficProportionally() async throws {
        let nginx = try NginxBackends(count: 2)
        defer { nginx.stop() }
        let yaml = BalancerFixture.yaml(servers: Self.servers(nginx, extra: ["b1": ", weight: 3"]))
        let balancer = try await BalancerFixture.start(yaml: yaml)
        let client = try await HTTPTestClient.connect(port: balancer.port)
        var counts: [String: Int] = [:]
        for _ in 0..<100 { counts[try await client.request(.GET, "/").backendName, default: 0] += 1 }
        await client.close()
        await balancer.stop()
        #expect(counts == ["b1": 75, "b2": 25])
    }

    @Test func leastconnSendsNewRequestsAwayFromABusyServer() async throws {
        let nginx = try NginxBackends(count: 1)
        defer { nginx.stop() }
        let holding = try await HoldingServer.start()
        let yaml = BalancerFixture.yaml(
            servers: [("held", "127.0.0.1:\(holding.port)", ""), ("b1", nginx.addresses[0], "")],
            algorithm: "leastconn", check: "false")
        let balancer = try await BalancerFixture.start(yaml: yaml)
        // The first request goes to the first server, which never answers: it stays busy.
        let stuck = try await HTTPTestClient.connect(port: balancer.port)
        let pending = Task { try? await stuck.request(.GET, "/stuck") }
        try await holding.waitForRequests(1)
        let client = try await HTTPTestClient.connect(port: balancer.port)
        var counts: [String: Int] = [:]
        for _ in 0..<10 { counts[try await client.request(.GET, "/").backendName, default: 0] += 1 }
        await client.close()
        await stuck.close()
        _ = await pending.value
        await balancer.stop()
        await holding.stop()
        #expect(counts == ["b1": 10])
    }

    @Test func pathRulesRouteToTheirBackends() async throws {
        let nginx = try NginxBackends(count: 3)
        defer { nginx.stop() }
        let yaml = BalancerFixture.yaml(
            servers: Self.servers(nginx),
            rules: "{ prefix: /b2-mandbs, case-insensitive: true, backend: mandbs_b2 }, { exact: /only-b3, backend: only_b3 }",
            extraBackends: """
                  - name: mandbs_b2
                    servers: [{ name: b2, address: "\(nginx.addresses[1])" }]
                  - name: only_b3
                    servers: [{ name: b3, address: "\(nginx.addresses[2])" }]
                """)
        let balancer = try await BalancerFixture.start(yaml: yaml)
        let client = try await HTTPTestClient.connect(port: balancer.port)
        var mandbs: Set<String> = []
        for _ in 0..<6 { mandbs.insert(try await client.request(.GET, "/B2-MANDBS/index.php").backendName) }
        var exact: Set<String> = []
        for _ in 0..<6 { exact.insert(try await client.request(.GET, "/only-b3?x=1").backendName) }
        var notExact: Set<String> = []
        for _ in 0..<6 { notExact.insert(try await client.request(.GET, "/only-b3/more").backendName) }
        await client.close()
        await balancer.stop()
        #expect(mandbs == ["b2"])
        #expect(exact == ["b3"])
        #expect(notExact == ["b1", "b2", "b3"])
    }

    @Test func forwardedHeadersReachTheBackend() async throws {
        let nginx = try NginxBackends(count: 1)
        defer { nginx.stop() }
        let plain = try await BalancerFixture.start(yaml: BalancerFixture.yaml(servers: Self.servers(nginx)))
        let client = try await HTTPTestClient.connect(port: plain.port)
        let response = try await client.request(.GET, "/")
        await client.close()
        await plain.stop()
        #expect(response.header("X-Seen-Forwarded-For") == "127.0.0.1")
        #expect(response.header("X-Seen-Forwarded-Proto") == "http")

        let excepting = try await BalancerFixture.start(
            yaml: BalancerFixture.yaml(
                servers: Self.servers(nginx), defaultsExtra: "  forwardfor: { except: [127.0.0.0/8] }"))
        let second = try await HTTPTestClient.connect(port: excepting.port)
        let excepted = try await second.request(.GET, "/")
        await second.close()
        await excepting.stop()
        #expect((excepted.header("X-Seen-Forwarded-For") ?? "").isEmpty)
    }

    @Test func statsJSONCountsRequestsPerServer() async throws {
        let nginx = try NginxBackends(count: 2)
        defer { nginx.stop() }
        let balancer = try await BalancerFixture.start(yaml: BalancerFixture.yaml(servers: Self.servers(nginx)))
        let client = try await HTTPTestClient.connect(port: balancer.port)
        for _ in 0..<8 { _ = try await client.request(.GET, "/") }
        let stats = try await client.request(.GET, "/stats;json")
        await client.close()
        await balancer.stop()
        let servers = try Self.servers(inStats: stats.body)
        #expect(servers.map { $0["name"] as? String } == ["b1", "b2"])
        #expect(servers.map { $0["requests"] as? Int } == [4, 4])
        #expect(servers.map { $0["state"] as? String } == ["UP", "UP"])
        #expect(servers.allSatisfy { ($0["responses"] as? [String: Int])?["2xx"] == 4 })
    }

    @Test func failingHealthCheckTakesAServerOutAndBackIn() async throws {
        let nginx = try NginxBackends(count: 3)
        defer { nginx.stop() }
        let balancer = try await BalancerFixture.start(yaml: BalancerFixture.yaml(servers: Self.servers(nginx)))
        try nginx.setHealth(1, status: 503)
        try await Self.waitForState(port: balancer.port, server: "b2", state: "DOWN")
        let client = try await HTTPTestClient.connect(port: balancer.port)
        var whileDown: [String: Int] = [:]
        for _ in 0..<20 { whileDown[try await client.request(.GET, "/").backendName, default: 0] += 1 }
        try nginx.setHealth(1, status: 200)
        try await Self.waitForState(port: balancer.port, server: "b2", state: "UP")
        var afterwards: [String: Int] = [:]
        for _ in 0..<30 { afterwards[try await client.request(.GET, "/").backendName, default: 0] += 1 }
        await client.close()
        await balancer.stop()
        #expect(whileDown == ["b1": 10, "b3": 10])
        #expect(afterwards == ["b1": 10, "b2": 10, "b3": 10])
    }

    @Test func killedBackendUnderLoadFailsNoRequest() async throws {
        let nginx = try NginxBackends(count: 4)
        defer { nginx.stop() }
        let balancer = try await BalancerFixture.start(
            yaml: BalancerFixture.yaml(servers: Self.servers(nginx), check: "{ interval: 1s, rise: 2, fall: 2, path: /health }"))
        let load = Task { await LoadGenerator.run(port: balancer.port, connections: 20, duration: .seconds(3)) }
        try await Task.sleep(for: .seconds(1))
        try nginx.kill(1)
        let result = await load.value
        let stats = try await Self.stats(port: balancer.port)
        await balancer.stop()
        #expect(result.failed == 0, "\(result.failures)")
        #expect(result.succeeded > 100)
        #expect(stats.first { $0["name"] as? String == "b2" }?["state"] as? String == "DOWN")
        #expect((result.perBackend["b1"] ?? 0) > 0 && (result.perBackend["b3"] ?? 0) > 0)
    }

    @Test func reloadUnderLoadDropsNothingAndAppliesTheNewConfiguration() async throws {
        let nginx = try NginxBackends(count: 4)
        defer { nginx.stop() }
        let balancer = try await BalancerFixture.start(yaml: BalancerFixture.yaml(servers: Self.servers(nginx)))
        let load = Task { await LoadGenerator.run(port: balancer.port, connections: 10, duration: .seconds(3)) }
        try await Task.sleep(for: .seconds(1))
        let threeServers = BalancerFixture.yaml(servers: Array(Self.servers(nginx).prefix(3)))
        let reloaded = try ConfigurationLoader.parse(threeServers, file: "reload.yml")
        try await balancer.server.reload(reloaded, source: "reload.yml")
        // A configuration that cannot be applied is refused and the running one stays.
        let broken = try ConfigurationLoader.parse(
            BalancerFixture.yaml(servers: [("x", "no-such-host.invalid:80", "")]), file: "broken.yml")
        await #expect(throws: ConfigurationError.self) { try await balancer.server.reload(broken, source: "broken.yml") }
        let result = await load.value
        let client = try await HTTPTestClient.connect(port: balancer.port)
        var after: Set<String> = []
        for _ in 0..<12 { after.insert(try await client.request(.GET, "/").backendName) }
        await client.close()
        await balancer.stop()
        #expect(result.failed == 0, "\(result.failures)")
        #expect(after == ["b1", "b2", "b3"])
    }

    @Test func slowlorisIsCutByTheHttpRequestTimeout() async throws {
        let nginx = try NginxBackends(count: 1)
        defer { nginx.stop() }
        let balancer = try await BalancerFixture.start(
            yaml: BalancerFixture.yaml(servers: Self.servers(nginx), timeouts: "{ http-request: 1s }"))
        let connection = try RawConnection(port: balancer.port, receiveTimeout: 15)
        connection.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        let started = ContinuousClock.now
        let (text, closed) = connection.receive()
        let waited = ContinuousClock.now - started
        await balancer.stop()
        #expect(text.hasPrefix("HTTP/1.1 408 "))
        #expect(closed)
        #expect(waited < .seconds(10), "generous bound: the timeout is 1 s")
    }

    // MARK: Helpers

    static func stats(port: Int) async throws -> [[String: Any]] {
        let client = try await HTTPTestClient.connect(port: port)
        let response = try await client.request(.GET, "/stats?json")
        await client.close()
        return try servers(inStats: response.body)
    }

    static func servers(inStats body: String) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let backends = json?["backends"] as? [[String: Any]] ?? []
        return backends.flatMap { $0["servers"] as? [[String: Any]] ?? [] }
    }

    /// Polls the stats until `server` is in `state` (at most ~10 s).
    static func waitForState(port: Int, server: String, state: String) async throws {
        for _ in 0..<100 {
            let servers = try await stats(port: port)
            if servers.first(where: { $0["name"] as? String == server })?["state"] as? String == state { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FixtureError("\(server) never became \(state)")
    }
}
