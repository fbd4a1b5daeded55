import ModuleAPI
import Templating

/// `openstack.cloud.port` (legacy `os_port`): a Neutron port.
///
/// Same arguments, lookup (`find_port(name[, network_id])`), updatable attributes and `port` result as
/// openstack.cloud 2.6. Deliberate difference: `fixed_ips`, `allowed_address_pairs` and `extra_dhcp_opts`
/// are compared entry by entry on the keys the task gives, ignoring order — `fixed_ips: [{ip_address: X}]`
/// matches the port's `{subnet_id: …, ip_address: X}` — where openstack.cloud compares the lists verbatim
/// and so reports a change on every run unless every key Neutron fills in is spelled out.
public struct PortModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "port", legacy: ["os_port"],
        options: [
            "allowed_address_pairs": OptionSpec(.list(elements: .dict)),
            "binding_profile": OptionSpec(.dict),
            "binding_vnic_type": OptionSpec(
                .string, choices: ["normal", "direct", "direct-physical", "macvtap", "baremetal", "virtio-forwarder"],
                aliases: ["vnic_type"]),
            "description": OptionSpec(.string),
            "device_id": OptionSpec(.string),
            "device_owner": OptionSpec(.string),
            "dns_domain": OptionSpec(.string),
            "dns_name": OptionSpec(.string),
            "extra_dhcp_opts": OptionSpec(.list(elements: .dict)),
            "fixed_ips": OptionSpec(.list(elements: .dict)),
            "is_admin_state_up": OptionSpec(.bool, aliases: ["admin_state_up"]),
            "mac_address": OptionSpec(.string),
            "name": OptionSpec(.string, required: true),
            "network": OptionSpec(.string),
            "no_security_groups": OptionSpec(.bool, default: false),
            "is_port_security_enabled": OptionSpec(.bool, aliases: ["port_security_enabled"]),
            "security_groups": OptionSpec(.list(elements: .string)),
            "state": OpenStackArguments.state,
        ],
        mutuallyExclusive: [["no_security_groups", "security_groups"]],
        requiredIf: [("state", "present", ["network"])])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let port: ValueDictionary?
        let networkID: String?
        let securityGroupIDs: [String]?
        let dnsIntegration: Bool
    }

    public typealias Change = ResourceChange

    /// (argument, openstacksdk key) of the scalar attributes compared straight away.
    private static let scalars: [(String, String)] = [
        ("binding_vnic_type", "binding_vnic_type"), ("description", "description"), ("device_id", "device_id"),
        ("device_owner", "device_owner"), ("is_admin_state_up", "is_admin_state_up"),
        ("is_port_security_enabled", "is_port_security_enabled"), ("mac_address", "mac_address"),
    ]

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let networkID = try await arguments.string("network").asyncMap {
            try await context.referenceID("networks", key: "network", nameOrID: $0, label: "Network")
        }
        let port = try await context.findNeutron(
            "ports", key: "port", nameOrID: arguments.string("name") ?? "",
            filters: networkID.map { [("network_id", $0)] } ?? [], label: "Port")
        var groups: [String]?
        if arguments.bool("no_security_groups") == true {
            groups = []
        } else if let names = arguments.strings("security_groups") {
            var ids: [String] = []
            for name in names {
                ids.append(try await context.referenceID("security-groups", key: "security_group", nameOrID: name, label: "SecurityGroup"))
            }
            groups = ids
        }
        let token = try await context.session.currentToken()
        let dns = token.catalog.url(for: "dns", interface: context.session.config.interface, region: nil) != nil
            && port?["dns_name"] != nil
        return Observed(
            context: context, port: port.map(ResourceSchema.port.normalize), networkID: networkID, securityGroupIDs: groups,
            dnsIntegration: dns)
    }

    /// Whether every wanted entry is matched (on the keys it gives) by a distinct current entry, and the
    /// counts agree.
    static func entriesMatch(_ wanted: [Value], _ current: [Value]) -> Bool {
        guard wanted.count == current.count else { return false }
        var remaining = current.compactMap(\.dictionary)
        for entry in wanted {
            guard let entry = entry.dictionary else { return false }
            guard let index = remaining.firstIndex(where: { candidate in
                entry.allSatisfy { candidate[$0.key] == $0.value || Arguments.text(candidate[$0.key] ?? Value.none) == Arguments.text($0.value) }
            }) else { return false }
            remaining.remove(at: index)
        }
        return true
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "port '\(arguments.string("name") ?? "")'"
        guard arguments.state == "present" else {
            guard let port = observed.port, let id = port["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: port, after: nil, fields: ["id", "name"])])
        }
        guard let port = observed.port, let id = port["id"]?.string else {
            var attributes = ValueDictionary()
            attributes["network_id"] = observed.networkID.map(Value.string) ?? Value.none
            if let groups = observed.securityGroupIDs { attributes["security_group_ids"] = .list(groups.map(Value.string)) }
            for key in ["allowed_address_pairs", "binding_profile", "extra_dhcp_opts", "fixed_ips", "name"] {
                if let value = arguments.value(key) { attributes[key] = value }
            }
            for (argument, key) in Self.scalars { if let value = arguments.value(argument) { attributes[key] = value } }
            if observed.dnsIntegration {
                for key in ["dns_domain", "dns_name"] { if let value = arguments.value(key) { attributes[key] = value } }
            }
            return Planned(
                .create(body: ResourceSchema.port.requestBody(attributes)),
                diffs: [ResourceDiff.make(label, before: nil, after: attributes)])
        }
        var updates = ValueDictionary()
        for (argument, key) in Self.scalars {
            if let wanted = arguments.value(argument), port[key] != wanted { updates[key] = wanted }
        }
        if let profile = arguments.value("binding_profile"), profile != (port["binding_profile"] ?? Value.none),
            !(profile.dictionary?.isEmpty == true && (port["binding_profile"]?.dictionary?.isEmpty ?? true))
        {
            updates["binding_profile"] = profile
        }
        for key in ["allowed_address_pairs", "extra_dhcp_opts", "fixed_ips"] {
            if let wanted = arguments.list(key), !Self.entriesMatch(wanted, port[key]?.array ?? []) { updates[key] = .list(wanted) }
        }
        if let groups = observed.securityGroupIDs, Set(groups) != Set((port["security_group_ids"]?.array ?? []).compactMap(\.string)) {
            updates["security_group_ids"] = .list(groups.map(Value.string))
        }
        if observed.dnsIntegration {
            for key in ["dns_name", "dns_domain"] {
                if let wanted = arguments.value(key), port[key] != wanted { updates[key] = wanted }
            }
        }
        guard !updates.isEmpty else { return nil }
        var after = port
        for (key, value) in updates { after[key] = value }
        return Planned(
            .update(id: id, body: ResourceSchema.port.requestBody(updates)),
            diffs: [ResourceDiff.make(label, before: port, after: after, fields: updates.keys.compactMap(\.string))])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.context.network
        switch change {
        case .create(let body):
            return .resource("port", ResourceSchema.port.normalize(try await api.create("/ports", key: "port", body: body)), changed: true)
        case .update(let id, let body):
            return .resource("port", ResourceSchema.port.normalize(try await api.update("/ports/\(id)", key: "port", body: body)), changed: true)
        case .delete(let id):
            try await api.delete("/ports/\(id)")
            return ModuleResult(changed: true)
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let port = observed.port else { return ModuleResult(changed: false) }
        return .resource("port", port, changed: false)
    }
}
