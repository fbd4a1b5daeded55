import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// The shared session: one token for concurrent first use, renewal after a 401, typed errors.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"))
struct SessionTests {
    static func config(_ cloud: String = "devstack-admin") throws -> CloudConfig {
        try CloudConfigLoader(environment: TestBed.environment).resolve(arguments: ValueDictionary([("cloud", .string(cloud))]))
    }

    @Test func concurrentFirstUseAuthenticatesOnce() async throws {
        let session = CloudSession(config: try Self.config())
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await session.currentToken().value } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(tokens).count == 1)
        let tokenRequests = session.transport.requests.all.filter { $0.method == "POST" && $0.url.hasSuffix("/auth/tokens") }
        #expect(tokenRequests.count == 1)
    }

    /// The unversioned auth_url and Neutron/Glance/Nova catalog URLs resolve without version-document
    /// round trips; microversions are asked for as wanted, and Nova's range is read once, only after Nova
    /// refused one (406), and then caps every later request.
    @Test func endpointsResolveWithoutDiscoveryRoundTrips() async throws {
        let session = CloudSession(config: try Self.config())
        #expect(try await session.endpoint("network").url.hasSuffix("/v2.0"))
        #expect(try await session.endpoint("image").url.hasSuffix("/v2"))
        #expect(try await session.endpoint("compute").url.hasSuffix("/v2.1"))
        #expect(session.transport.requests.all.map(\.method) == ["POST"])

        _ = try await session.send("compute", "GET", "/os-keypairs")
        _ = try await session.send("compute", "GET", "/flavors", microversion: Microversion(2, 61))
        #expect(session.transport.requests.all.count == 3)

        let beyond = Microversion(2, 999)
        let capped = try await session.send("compute", "GET", "/flavors", microversion: beyond)
        let spoken = try #require(capped.header("OpenStack-API-Version").flatMap { Microversion(String($0.dropFirst("compute ".count))) })
        #expect(spoken < beyond)
        #expect(session.transport.requests.all.compactMap(\.status).suffix(3) == [406, 200, 200])
        let again = try await session.send("compute", "GET", "/flavors", microversion: beyond)
        #expect(again.header("OpenStack-API-Version") == "compute \(spoken)")
        let versionReads = session.transport.requests.all.filter { $0.url.hasSuffix("/v2.1/") }
        #expect(versionReads.count == 1)
        #expect(session.transport.requests.all.count == 7)
    }

    @Test func paginationFollowsNextLinks() async throws {
        let tag = TestBed.uniqueName("page")
        var names: [String] = []
        for index in 0..<3 {
            let name = "\(tag)-\(index)"
            _ = try await ModuleHarness.run(NetworkModule.self, ["cloud": "devstack-admin", "name": .string(name), "tags": [.string(tag)]])
            names.append(name)
        }
        let session = CloudSession(config: try Self.config())
        let api = ResourceAPI(session: session, service: "network")
        let paged = try await api.list("/networks", key: "networks", query: [("tags", tag), ("limit", "1")])
        let pageRequests = session.transport.requests.all.filter { $0.url.contains("/v2.0/networks") }
        #expect(Set(paged.compactMap { $0["name"]?.string }) == Set(names))
        #expect(pageRequests.count >= 3)
        for name in names {
            _ = try await ModuleHarness.run(NetworkModule.self, ["cloud": "devstack-admin", "name": .string(name), "state": "absent"])
        }
    }

    @Test func apiErrorsCarryMethodURLStatusRequestIDAndMessage() async throws {
        let session = CloudSession(config: try Self.config())
        await #expect {
            _ = try await session.send("network", "GET", "/networks/00000000-0000-0000-0000-000000000000")
        } throws: { error in
            guard let error = error as? OpenStackAPIError else { return false }
            return error.status == 404 && error.method == "GET" && error.url.contains("/v2.0/networks/00000000")
                && error.requestID?.hasPrefix("req-") == true && error.serviceMessage.contains("could not be found")
        }
    }

    @Test func wrongPasswordIsAnUnauthorizedAPIError() async throws {
        var config = try Self.config()
        config.auth["password"] = "wrong"
        let session = CloudSession(config: config)
        await #expect {
            _ = try await session.currentToken()
        } throws: { error in
            (error as? OpenStackAPIError)?.status == 401
        }
    }

    /// Keystone revokes the session's token; the next call gets a 401, authenticates again and succeeds.
    @Test func revokedTokenIsRenewedAfterA401() async throws {
        let session = CloudSession(config: try Self.config())
        let first = try await session.currentToken()
        _ = try await session.send("identity", "DELETE", "/auth/tokens", headers: ["X-Subject-Token": first.value])
        let projects = try await ResourceAPI(session: session, service: "identity").list("/projects", key: "projects")
        #expect(!projects.isEmpty)
        #expect(try await session.currentToken().value != first.value)
        let statuses = session.transport.requests.all.filter { $0.url.hasSuffix("/v3/projects") }.map(\.status)
        #expect(statuses == [401, 200])
    }

    @Test func modulesShareOneTokenPerCloudAcrossTasks() async throws {
        let services = ServiceContainer()
        let config = try Self.config("devstack")
        let first = SessionRegistry.shared(in: services).session(for: config)
        let second = SessionRegistry.shared(in: services).session(for: config)
        #expect(first === second)
        let admin = SessionRegistry.shared(in: services).session(for: try Self.config())
        #expect(admin !== first)
    }
}
