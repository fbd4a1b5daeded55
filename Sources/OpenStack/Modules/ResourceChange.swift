import ModuleAPI
import Templating

/// The change to a resource that is created and updated by sending its attributes as one JSON body
/// (Keystone users and projects, Neutron ports).
public enum ResourceChange: Sendable {
    case create(body: ValueDictionary)
    case update(id: String, body: ValueDictionary)
    case delete(id: String)
}

extension ResourceChange {
    /// Applies the change to a Keystone resource under `collection` (`/users`): Keystone updates by
    /// PATCH, where ``ResourceAPI/update(_:key:body:)`` PUTs. Reports the resource as openstacksdk shows it.
    func applyToIdentity(_ api: ResourceAPI, collection: String, key: String, schema: ResourceSchema)
        async throws -> ModuleResult
    {
        switch self {
        case .create(let body):
            return .resource(key, schema.normalize(try await api.create(collection, key: key, body: body)), changed: true)
        case .update(let id, let body):
            let response = try await api.session.send(
                "identity", "PATCH", "\(collection)/\(id)", json: .object([key: .dict(body)]))
            return .resource(key, schema.normalize(try response.json().dictionary?[key] ?? Value.none), changed: true)
        case .delete(let id):
            try await api.delete("\(collection)/\(id)")
            return ModuleResult(changed: true)
        }
    }
}
