import Foundation
import Templating

/// The SOL005 VNF package management calls (`/vnfpkgm/v1`), which answer bare JSON arrays and take
/// merge-patch bodies, so they go through the session directly rather than `ResourceAPI`.
struct PackageAPI: Sendable {
    let session: CloudSession
    static let service = "nfv-orchestration"
    static let root = "/vnfpkgm/v1/vnf_packages"

    func list() async throws -> [ValueDictionary] {
        let response = try await session.send(Self.service, "GET", Self.root)
        return (try response.json()).array?.compactMap(\.dictionary) ?? []
    }

    func get(_ id: String) async throws -> ValueDictionary? {
        let response = try await session.send(Self.service, "GET", "\(Self.root)/\(id)", expecting: [200, 404])
        guard response.status == 200 else { return nil }
        return try response.json().dictionary
    }

    func create(userDefinedData: ValueDictionary) async throws -> ValueDictionary {
        let body = Value.dict(ValueDictionary([("userDefinedData", .dict(userDefinedData))]))
        let response = try await session.send(Self.service, "POST", Self.root, json: body)
        return try response.json().dictionary ?? ValueDictionary()
    }

    func upload(_ id: String, archive: Data) async throws {
        _ = try await session.send(
            Self.service, "PUT", "\(Self.root)/\(id)/package_content", body: archive, contentType: "application/zip",
            expecting: [202])
    }

    func patch(_ id: String, _ fields: ValueDictionary) async throws {
        _ = try await session.send(
            Self.service, "PATCH", "\(Self.root)/\(id)", json: .dict(fields),
            headers: ["Content-Type": "application/merge-patch+json"])
    }

    func delete(_ id: String) async throws {
        _ = try await session.send(Self.service, "DELETE", "\(Self.root)/\(id)", expecting: [202, 204, 404])
    }

    /// The packages a `vnf_package` task named `name` manages: those whose userDefinedData carries the name.
    func find(named name: String) async throws -> ValueDictionary? {
        try await list().first { $0["userDefinedData"]?.dictionary?["name"]?.string == name }
    }
}
