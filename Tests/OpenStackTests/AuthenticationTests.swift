import Foundation
import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// The auth types openstack.cloud users put in `auth_type` + `auth` (no clouds.yaml involved), against
/// the test bed's real Keystone: an application credential made for the test, and a token.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"), .serialized)
struct AuthenticationTests {
    static let authURL = "http://127.0.0.1:5000"

    /// `networks_info` for `public` with only the given connection arguments, on a fresh run.
    static func listPublic(_ connection: [String: Value]) async throws -> ModuleResult {
        try await ModuleHarness.run(
            NetworksInfoModule.self, connection.merging(["name": "public"]) { $1 }, environment: [:],
            services: ServiceContainer())
    }

    static func networkNames(_ result: ModuleResult) -> [String] {
        (result.values["networks"]?.array ?? []).compactMap { $0.dictionary?["name"]?.string }
    }

    @Test func applicationCredentialAndTokenAuthWithoutClouds() async throws {
        let session = try TestBed.adminSession()
        let token = try await session.currentToken()
        let userID = try #require(token.userID)
        let name = TestBed.uniqueName("appcred")
        let created = try await session.send(
            "identity", "POST", "/users/\(userID)/application_credentials",
            json: .object(["application_credential": .object(["name": .string(name)])]))
        let credential = try #require(try created.json().dictionary?["application_credential"]?.dictionary)
        let id = try #require(credential["id"]?.string), secret = try #require(credential["secret"]?.string)

        let byCredential = try await Self.listPublic([
            "auth_type": "v3applicationcredential",
            "auth": .object([
                "auth_url": .string(Self.authURL), "application_credential_id": .string(id),
                "application_credential_secret": .string(secret),
            ]),
        ])
        #expect(Self.networkNames(byCredential) == ["public"])

        let byToken = try await Self.listPublic([
            "auth_type": "token",
            "auth": .object([
                "auth_url": .string(Self.authURL), "token": .string(token.value), "project_name": "admin",
                "project_domain_name": "Default",
            ]),
        ])
        #expect(Self.networkNames(byToken) == ["public"])

        await #expect {
            _ = try await Self.listPublic([
                "auth_type": "v3applicationcredential",
                "auth": .object([
                    "auth_url": .string(Self.authURL), "application_credential_id": .string(id),
                    "application_credential_secret": "wrong",
                ]),
            ])
        } throws: { error in
            (error as? OpenStackAPIError)?.status == 401
        }
        _ = try await session.send("identity", "DELETE", "/users/\(userID)/application_credentials/\(id)")
    }
}
