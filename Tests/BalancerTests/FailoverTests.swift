import Foundation
import Testing

@testable import Balancer

/// Servers that stop answering without resetting connections (a hung process, a vanished host).
@Suite(.serialized, .enabled(if: NginxBackends.isAvailable, "needs /usr/sbin/nginx"))
struct FailoverTests {
    /// A request parked on a server that hangs is retried elsewhere as soon as the checks mark the
    /// server DOWN, instead of waiting for `timeout server` (HAProxy keeps it until then).
    @Test func requestOnAHungServerIsRedispatchedWhenTheServerGoesDown() async throws {
        let nginx = try NginxBackends(count: 1)
        defer { nginx.stop() }
        let holding = try await HoldingServer.start()
        let yaml = BalancerFixture.yaml(
            servers: [("hung", "127.0.0.1:\(holding.port)", ""), ("b1", nginx.addresses[0], "")],
            algorithm: "first", check: "{ interval: 300ms, rise: 1, fall: 1, path: /health }",
            timeouts: "{ server: 60s, check: 300ms }")
        let balancer = try await BalancerFixture.start(yaml: yaml)
        let client = try await HTTPTestClient.connect(port: balancer.port)
        let started = ContinuousClock.now
        let response = try await client.request(.GET, "/parked")
        let waited = ContinuousClock.now - started
        let stats = try await EndToEndTests.stats(port: balancer.port)
        await client.close()
        await balancer.stop()
        await holding.stop()
        #expect(response.status == 200)
        #expect(response.backendName == "b1")
        #expect(waited < .seconds(30), "must not wait for the 60 s server timeout")
        let hung = stats.first { $0["name"] as? String == "hung" }
        #expect(hung?["state"] as? String == "DOWN")
        #expect((hung?["redispatches"] as? Int ?? 0) >= 1)
    }

    /// A host whose SYNs vanish (its accept queue is full and never drained) costs one connect
    /// timeout, is marked DOWN passively, and the request goes to another server.
    @Test func blackholedServerCostsOneConnectTimeoutAndNoFailedRequest() async throws {
        let nginx = try NginxBackends(count: 1)
        defer { nginx.stop() }
        let blackhole = try Blackhole()
        let yaml = BalancerFixture.yaml(
            servers: [("blackhole", "127.0.0.1:\(blackhole.port)", ""), ("b1", nginx.addresses[0], "")],
            algorithm: "first", check: "false", timeouts: "{ connect: 300ms }")
        let balancer = try await BalancerFixture.start(yaml: yaml)
        let client = try await HTTPTestClient.connect(port: balancer.port)
        var names: [String] = []
        for _ in 0..<5 { names.append(try await client.request(.GET, "/").backendName) }
        let stats = try await EndToEndTests.stats(port: balancer.port)
        await client.close()
        await balancer.stop()
        #expect(names == Array(repeating: "b1", count: 5))
        let dead = stats.first { $0["name"] as? String == "blackhole" }
        #expect(dead?["state"] as? String == "DOWN")
        #expect(dead?["connect_errors"] as? Int == 1, "one timed-out connect, then the server is avoided")
    }
}

/// A loopback listener that never accepts and whose queue is already full, so new SYNs are dropped.
final class Blackhole {
    private var descriptors: [Int32] = []
    let port: Int

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(listener, raw, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, raw, &length) == 0
            }
        }
        guard ok else { throw FixtureError("blackhole listener failed") }
        descriptors.append(listener)
        port = Int(UInt16(bigEndian: address.sin_port))
        // Fill the accept queue with connections nobody accepts.
        for _ in 0..<4 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var flags = fcntl(filler, F_GETFL)
            flags |= O_NONBLOCK
            _ = fcntl(filler, F_SETFL, flags)
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            descriptors.append(filler)
        }
        usleep(100_000)
    }

    deinit {
        for fd in descriptors { close(fd) }
    }
}

/// How new upstream connections are opened while a server does not answer.
@Suite(.serialized)
struct ConnectionPacingTests {
    /// Requests piling up on a server that does not answer open at most `maxUnprovenPerServer` new
    /// connections at once (per event loop); the others wait for one of them, and dial their own only
    /// after `timeout connect`.
    @Test func newConnectionsToAnUnansweringServerArePaced() async throws {
        let holding = try await HoldingServer.start()
        let yaml = """
            global: { threads: 1 }
            defaults:
              timeouts: { connect: 600ms, server: 30s }
              check: false
            frontends:
              - name: front
                bind: "127.0.0.1:0"
                default-backend: main
            backends:
              - name: main
                servers:
                  - { name: held, address: "127.0.0.1:\(holding.port)" }
            """
        let balancer = try await BalancerFixture.start(yaml: yaml)
        var clients: [HTTPTestClient] = []
        var requests: [Task<Void, Never>] = []
        for _ in 0..<10 {
            let client = try await HTTPTestClient.connect(port: balancer.port)
            clients.append(client)
            requests.append(Task { _ = try? await client.request(.GET, "/") })
        }
        try await holding.waitForRequests(UpstreamPool.maxUnprovenPerServer)
        try await Task.sleep(for: .milliseconds(200))
        let paced = holding.received.withLock { $0 }
        // After the connect timeout, the waiting requests dial their own connections.
        try await holding.waitForRequests(10)
        for client in clients { await client.close() }
        for request in requests { await request.value }
        await balancer.stop()
        await holding.stop()
        #expect(paced == UpstreamPool.maxUnprovenPerServer)
    }
}
