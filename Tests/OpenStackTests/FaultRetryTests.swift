import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// The fault handling of every OpenStack request, against real Neutron behind `Faults/fault_proxy.py`
/// (a proxy answering the first requests with 503, as a load balancer does while a backend restarts):
/// safe requests are retried with backoff until the service answers, a POST is never repeated after
/// it may have reached the service, and a refused connection (which never did) is retried, then reported.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"), .serialized)
struct FaultRetryTests {
    /// The proxy process, listening on `port` until `stop()`.
    final class FaultProxy {
        let process = Process()
        let port: Int

        init(upstream: String, failures: Int) throws {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Faults/fault_proxy.py")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [script.path, upstream, String(failures)]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
                line.append(byte)
            }
            guard let port = Int(String(decoding: line, as: UTF8.self)) else { throw OpenStackModuleError("the fault proxy did not start") }
            self.port = port
        }

        /// SIGKILL: the test process's threads block SIGTERM, and a spawned child inherits that mask.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func session() throws -> CloudSession { CloudSession(config: try SessionTests.config()) }

    /// Neutron's scheme://host:port, which the proxy forwards to.
    static func neutronOrigin(_ session: CloudSession) async throws -> String {
        let endpoint = try #require(URL(string: try await session.endpoint("network").url))
        return "\(endpoint.scheme ?? "http")://\(endpoint.host ?? "127.0.0.1"):\(endpoint.port ?? 9696)"
    }

    static func statuses(_ session: CloudSession, port: Int) -> [Int?] {
        session.transport.requests.all.filter { $0.url.contains(":\(port)/") }.map(\.status)
    }

    @Test func safeRequestsAreRetriedThrough503s() async throws {
        let session = try Self.session()
        let proxy = try FaultProxy(upstream: try await Self.neutronOrigin(session), failures: 2)
        defer { proxy.stop() }
        let response = try await session.send(
            "network", "GET", "http://127.0.0.1:\(proxy.port)/v2.0/networks", query: [("name", "public")])
        let names = try response.json().dictionary?["networks"]?.array?.compactMap { $0.dictionary?["name"]?.string }
        #expect(names == ["public"])
        #expect(Self.statuses(session, port: proxy.port) == [503, 503, 200])
    }

    @Test func aPOSTThatMayHaveReachedTheServiceIsReportedNotRepeated() async throws {
        let session = try Self.session()
        let proxy = try FaultProxy(upstream: try await Self.neutronOrigin(session), failures: 1)
        defer { proxy.stop() }
        let name = TestBed.uniqueName("fault")
        await #expect {
            _ = try await session.send(
                "network", "POST", "http://127.0.0.1:\(proxy.port)/v2.0/networks",
                json: .object(["network": .object(["name": .string(name)])]))
        } throws: { error in
            guard let error = error as? OpenStackAPIError else { return false }
            return error.status == 503 && error.method == "POST" && error.url.contains(":\(proxy.port)/v2.0/networks")
        }
        #expect(Self.statuses(session, port: proxy.port) == [503])
        let created = try await ResourceAPI(session: session, service: "network").list("/networks", key: "networks", query: [("name", name)])
        #expect(created.isEmpty)
    }

    @Test func refusedConnectionsAreRetriedThenReported() async throws {
        let session = try Self.session()
        // A port that was just free and has nobody listening again: connections are refused.
        let gone = try FaultProxy(upstream: "http://127.0.0.1:9", failures: 0)
        gone.stop()
        _ = try await session.currentToken()
        await #expect(throws: OpenStackTransportError.self) {
            _ = try await session.send("network", "POST", "http://127.0.0.1:\(gone.port)/v2.0/networks", json: .object([:]))
        }
        let attempts = await session.retryAttempts
        #expect(Self.statuses(session, port: gone.port).count == attempts)
    }
}
