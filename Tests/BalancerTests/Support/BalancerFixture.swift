import NIOCore

@testable import Balancer

/// A balancer started in-process from YAML, listening on a free loopback port.
struct BalancerFixture {
    let server: BalancerServer
    let port: Int

    /// Starts from `yaml`; every frontend should bind `127.0.0.1:0`.
    static func start(yaml: String) async throws -> BalancerFixture {
        let configuration = try ConfigurationLoader.parse(yaml, file: "test.yml")
        let server = try await BalancerServer.start(configuration, source: "test.yml")
        let port = try requireNonNil(server.localAddresses.first?.port)
        return BalancerFixture(server: server, port: port)
    }

    /// Builds a one-frontend configuration over `servers` (`name address [extra]`).
    static func yaml(
        servers: [(name: String, address: String, extra: String)], algorithm: String = "roundrobin",
        check: String = "{ interval: 200ms, rise: 1, fall: 1, path: /health }", rules: String = "",
        extraBackends: String = "", defaultsExtra: String = "", timeouts: String = "{}"
    ) -> String {
        let serverLines = servers.map { "      - { name: \($0.name), address: \"\($0.address)\"\($0.extra) }" }
            .joined(separator: "\n")
        return """
            global: { threads: 2 }
            defaults:
              timeouts: \(timeouts)
              check: \(check)
            \(defaultsExtra)
            frontends:
              - name: front
                bind: "127.0.0.1:0"
                stats: /stats
                default-backend: main
                rules: [\(rules)]
            backends:
              - name: main
                algorithm: \(algorithm)
                servers:
            \(serverLines)
            \(extraBackends)
            """
    }

    func stop() async {
        await server.stop()
    }
}

struct MissingValue: Error {}

func requireNonNil<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingValue() }
    return value
}

