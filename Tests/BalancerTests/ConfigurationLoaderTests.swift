import NIOCore
import Testing

@testable import Balancer

@Suite struct ConfigurationLoaderTests {
    static let thesisLike = """
        global:
          threads: 2
          access-log: "-"
        defaults:
          timeouts: { http-request: 10s, connect: 500ms, client: 1m, server: 1m, http-keep-alive: 10s, queue: 1m, check: 10s }
          retries: 3
          redispatch: true
          forwardfor: { except: [127.0.0.0/8] }
          check: { interval: 1s, rise: 2, fall: 2, path: /, expect: "200-399" }
        frontends:
          - name: http_front
            bind: "*:80"
            maxconn: 3000
            stats: /stats
            rules:
              - { prefix: /site1-web1-mandbs, case-insensitive: true, backend: mandbs_site1-web1 }
              - { regex: "^/api/v[0-9]+/", backend: http_back }
              - { host: admin.example.com, exact: /, backend: mandbs_site1-web1 }
            default-backend: http_back
        backends:
          - name: http_back
            algorithm: roundrobin
            servers:
              - { name: site1-web1, address: "10.10.0.12:80", weight: 2, maxconn: 100 }
              - { name: site1-web2, address: "10.10.0.13:80", backup: true }
          - name: mandbs_site1-web1
            balance: leastconn
            check: false
            servers:
              - { name: site1-web1, address: "10.10.0.12:80" }
        """

    @Test func parsesEverySection() throws {
        let config = try ConfigurationLoader.parse(Self.thesisLike, file: "lb.yml")
        #expect(config.global.threads == 2)
        #expect(config.global.accessLog == "-")
        let frontend = try #require(config.frontends.first)
        #expect(frontend.bind == BindAddress(host: "0.0.0.0", port: 80))
        #expect(frontend.maxConnections == 3000)
        #expect(frontend.statsPath == "/stats")
        #expect(frontend.rules.count == 3)
        #expect(frontend.timeouts.httpRequest == .seconds(10))
        #expect(frontend.forwarding.forwardedForExcept.map(\.description) == ["127.0.0.0/8"])
        let back = try #require(config.backend(named: "http_back"))
        #expect(back.algorithm == .roundRobin)
        #expect(back.timeouts.connect == .milliseconds(500))
        #expect(back.healthCheck?.interval == .seconds(1))
        #expect(back.healthCheck?.fall == 2)
        #expect(back.servers.map(\.weight) == [2, 1])
        #expect(back.servers[0].maxConnections == 100)
        #expect(back.servers[1].backup)
        let mandbs = try #require(config.backend(named: "mandbs_site1-web1"))
        #expect(mandbs.algorithm == .leastConnections)
        #expect(mandbs.healthCheck == nil)
    }

    @Test func rulesMatchInOrderWithTheirModes() throws {
        let config = try ConfigurationLoader.parse(Self.thesisLike, file: "lb.yml")
        let rules = try #require(config.frontends.first).rules
        func route(_ uri: String, host: String? = "example.com") -> String {
            rules.first { $0.matches(uri: uri, hostHeader: host) }?.backend ?? "default"
        }
        #expect(route("/SITE1-web1-MANDBS/index.php?x=1") == "mandbs_site1-web1")
        #expect(route("/api/v2/items") == "http_back")
        #expect(route("/api/vx/items") == "default")
        #expect(route("/", host: "Admin.Example.com:8080") == "mandbs_site1-web1")
        #expect(route("/other", host: "admin.example.com") == "default")
    }

    @Test(arguments: [
        ("frontends:\n  - name: f\n    bind: \":80\"\n    default-backend: b\n    colour: red\nbackends:\n  - name: b\n    servers: [{name: s, address: \"127.0.0.1:1\"}]\n",
         5, 5, "unknown key 'colour' in a frontend"),
        ("frontends:\n  - {name: f, bind: \":80\", default-backend: nope}\nbackends:\n  - name: b\n    servers: [{name: s, address: \"127.0.0.1:1\"}]\n",
         2, 45, "unknown backend 'nope'"),
        ("defaults:\n  timeouts: { connect: soon }\nfrontends:\n  - {name: f, bind: \":80\", default-backend: b}\nbackends:\n  - name: b\n    servers: [{name: s, address: \"127.0.0.1:1\"}]\n",
         2, 24, "'connect' must be a positive duration"),
        ("frontends:\n  - {name: f, bind: \":80\", default-backend: b}\nbackends:\n  - name: b\n    algorithm: random\n    servers: [{name: s, address: \"127.0.0.1:1\"}]\n",
         5, 16, "'algorithm' must be one of"),
        ("frontends:\n  - {name: f, bind: \":80\", default-backend: b}\nbackends:\n  - name: b\n    servers: [{name: s, address: \"nowhere\"}]\n",
         5, 34, "'address' must be host:port"),
        ("frontends: [\n", 2, 1, "YAML"),
    ] as [(String, Int, Int, String)])
    func reportsErrorsAtTheirPosition(yaml: String, line: Int, column: Int, message: String) {
        do {
            _ = try ConfigurationLoader.parse(yaml, file: "bad.yml")
            Issue.record("expected an error for \(yaml)")
        } catch {
            #expect(error.file == "bad.yml")
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.description.hasPrefix("bad.yml:\(line):\(column): error: "))
        }
    }

    @Test func quickModeBuildsOneFrontendAndBackend() throws {
        var options = QuickModeOptions(listen: "127.0.0.1:8080", backends: ["127.0.0.1:8081", "127.0.0.1:8082"])
        options.algorithm = "leastconn"
        options.checkInterval = "1s"
        options.checkPath = "/health"
        options.statsPath = "/stats"
        let config = try options.makeConfiguration()
        #expect(config.frontends.map(\.bind) == [BindAddress(host: "127.0.0.1", port: 8080)])
        #expect(config.frontends[0].statsPath == "/stats")
        #expect(config.backends[0].servers.map(\.name) == ["s1", "s2"])
        #expect(config.backends[0].algorithm == .leastConnections)
        #expect(config.backends[0].healthCheck?.interval == .seconds(1))
        #expect(config.backends[0].healthCheck?.path == "/health")
        options.algorithm = "fastest"
        #expect(throws: ConfigurationError.self) { try options.makeConfiguration() }
    }

    @Test func parsesDurationsStatusesAndNetworks() throws {
        #expect(TimeAmount.parse(duration: "1500") == .milliseconds(1500))
        #expect(TimeAmount.parse(duration: "2s") == .seconds(2))
        #expect(TimeAmount.parse(duration: "1m") == .minutes(1))
        #expect(TimeAmount.parse(duration: "1x") == nil)
        #expect(TimeAmount.parse(duration: "s") == nil)
        let statuses = try #require(ExpectedStatuses("200, 202,300-304"))
        #expect(statuses.contains(202) && statuses.contains(303) && !statuses.contains(201))
        #expect(ExpectedStatuses("abc") == nil)
        #expect(ExpectedStatuses("300-200") == nil)
        let loopback = try #require(CIDRBlock("127.0.0.0/8"))
        #expect(loopback.contains(try SocketAddress(ipAddress: "127.9.9.9", port: 1)))
        #expect(!loopback.contains(try SocketAddress(ipAddress: "10.0.0.1", port: 1)))
        #expect(loopback.contains(try SocketAddress(ipAddress: "::ffff:127.0.0.1", port: 1)))
        let v6 = try #require(CIDRBlock("fd00::/8"))
        #expect(v6.contains(try SocketAddress(ipAddress: "fd12::1", port: 1)))
        #expect(CIDRBlock("10.0.0.0/33") == nil)
    }
}
