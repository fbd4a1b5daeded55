import ModuleAPI
import Templating

/// `openstack.cloud.network` (legacy `os_network`): creates, updates or deletes a Neutron network.
///
/// Same arguments, lookup (`find_network(name[, project_id])`), updatable fields and `network`/`id`
/// results as openstack.cloud 2.6. Deliberate differences: check mode is supported (openstack.cloud has
/// none); `shared`, `admin_state_up` and `port_security_enabled` are compared with the resource's actual
/// fields (openstack.cloud compares against keys the resource does not have, so those updates can misfire);
/// `tags` are compared as a set and written through Neutron's tags API.
public struct NetworkModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "network", legacy: ["os_network"],
        options: [
            "name": OptionSpec(.string, required: true),
            "shared": OptionSpec(.bool),
            "admin_state_up": OptionSpec(.bool),
            "external": OptionSpec(.bool),
            "is_default": OptionSpec(.bool),
            "is_vlan_transparent": OptionSpec(.bool),
            "provider_physical_network": OptionSpec(.string),
            "provider_network_type": OptionSpec(.string),
            "provider_segmentation_id": OptionSpec(.int),
            "state": OpenStackArguments.state,
            "project": OptionSpec(.string),
            "port_security_enabled": OptionSpec(.bool),
            "mtu": OptionSpec(.int, aliases: ["mtu_size"]),
            "dns_domain": OptionSpec(.string),
            "tags": OptionSpec(.list(elements: .string)),
        ])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let network: ValueDictionary?
        let projectID: String?
    }

    public enum Change: Sendable {
        case create(body: ValueDictionary, tags: [String]?)
        case update(id: String, body: ValueDictionary, tags: [String]?)
        case delete(id: String)
    }

    /// (argument, request field, openstacksdk key) for the attributes an existing network may change.
    private static let updatable: [(String, String, String)] = [
        ("shared", "shared", "is_shared"), ("admin_state_up", "admin_state_up", "is_admin_state_up"),
        ("external", "router:external", "is_router_external"), ("mtu", "mtu", "mtu"),
        ("port_security_enabled", "port_security_enabled", "is_port_security_enabled"),
        ("dns_domain", "dns_domain", "dns_domain"),
        ("provider_segmentation_id", "provider:segmentation_id", "provider_segmentation_id"),
    ]

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let projectID = try await arguments.string("project").asyncMap { try await context.requireProjectID($0) }
        let name = arguments.string("name") ?? ""
        let found = try await context.findNeutron(
            "networks", key: "network", nameOrID: name, filters: projectID.map { [("project_id", $0)] } ?? [],
            label: "Network")
        return Observed(context: context, network: found.map(ResourceSchema.network.normalize), projectID: projectID)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "network '\(arguments.string("name") ?? "")'"
        guard arguments.state == "present" else {
            guard let network = observed.network, let id = network["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: network, after: nil, fields: ["id", "name"])])
        }
        let tags = arguments.strings("tags")
        guard let network = observed.network, let id = network["id"]?.string else {
            var body = ValueDictionary()
            body["name"] = arguments.value("name")
            for (argument, field, _) in Self.updatable {
                if let value = arguments.value(argument) { body[field] = value }
            }
            for (argument, field) in [
                ("is_default", "is_default"), ("is_vlan_transparent", "vlan_transparent"),
                ("provider_physical_network", "provider:physical_network"),
                ("provider_network_type", "provider:network_type"),
            ] {
                if let value = arguments.value(argument) { body[field] = value }
            }
            if let projectID = observed.projectID { body["project_id"] = .string(projectID) }
            var after = body
            if let tags { after["tags"] = .list(tags.map(Value.string)) }
            return Planned(.create(body: body, tags: tags), diffs: [ResourceDiff.make(label, before: nil, after: after)])
        }
        for (argument, key) in [("provider_network_type", "provider_network_type"), ("provider_physical_network", "provider_physical_network")] {
            if let wanted = arguments.string(argument), network[key]?.string != wanted {
                throw OpenStackModuleError(
                    "The following parameters cannot be updated: provider_network_type, provider_physical_network. You will need to use state: absent and recreate.")
            }
        }
        var body = ValueDictionary()
        var changedKeys: [String] = []
        var after = network
        for (argument, field, key) in Self.updatable {
            guard let wanted = arguments.value(argument), network[key] != wanted else { continue }
            body[field] = wanted
            after[key] = wanted
            changedKeys.append(key)
        }
        var tagChange: [String]?
        if let tags, Set(tags) != Set((network["tags"]?.array ?? []).compactMap(\.string)) {
            tagChange = tags
            after["tags"] = .list(tags.map(Value.string))
            changedKeys.append("tags")
        }
        guard !body.isEmpty || tagChange != nil else { return nil }
        return Planned(
            .update(id: id, body: body, tags: tagChange),
            diffs: [ResourceDiff.make(label, before: network, after: after, fields: changedKeys)])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.context.network
        switch change {
        case .create(let body, let tags):
            var created = try await api.create("/networks", key: "network", body: body)
            if let id = created["id"]?.string, let name = body["name"]?.string {
                // Later tasks of the run refer to the new network by name (subnets, ports): no need to read it back.
                let filters = observed.projectID.map { [("project_id", $0)] } ?? []
                await api.session.remember(OpenStackContext.referenceKey("networks", name, filters), id: id)
            }
            if let tags, !tags.isEmpty, let id = created["id"]?.string {
                created = try await NeutronTags.set(tags, on: "networks", id: id, api: api, refreshKey: "network") ?? created
            }
            return .resource("network", ResourceSchema.network.normalize(.dict(created)), changed: true, withID: true)
        case .update(let id, let body, let tags):
            var updated = body.isEmpty ? nil : try await api.update("/networks/\(id)", key: "network", body: body)
            if let tags { updated = try await NeutronTags.set(tags, on: "networks", id: id, api: api, refreshKey: "network") }
            let final = updated ?? observed.network ?? ValueDictionary()
            return .resource("network", ResourceSchema.network.normalize(.dict(final)), changed: true, withID: true)
        case .delete(let id):
            try await api.delete("/networks/\(id)")
            return ModuleResult(changed: true)
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let network = observed.network else {
            return ModuleResult(changed: false)
        }
        return .resource("network", network, changed: false, withID: true)
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// Neutron's tags sub-resource (`PUT /<collection>/<id>/tags {"tags": [...]}`).
enum NeutronTags {
    /// Replaces the tag set and returns the refreshed resource.
    static func set(_ tags: [String], on collection: String, id: String, api: ResourceAPI, refreshKey: String)
        async throws -> ValueDictionary?
    {
        _ = try await api.session.send(
            "network", "PUT", "/\(collection)/\(id)/tags", json: .object(["tags": .list(tags.map(Value.string))]))
        return try await api.get("/\(collection)/\(id)", key: refreshKey)
    }
}
