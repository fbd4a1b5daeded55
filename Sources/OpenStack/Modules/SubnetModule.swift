import ModuleAPI
import Templating

/// `openstack.cloud.subnet` (legacy `os_subnet`): creates, updates or deletes a Neutron subnet.
///
/// Same arguments, lookup (`find_subnet(name, network_id[, project, segment, pool])`), non-updatable
/// checks and `subnet`/`id` results as openstack.cloud 2.6. Deliberate differences:
/// - `dns_nameservers` keep the order given: resolvers are tried in order, so a different order is a real
///   difference and the update sends the user's order. openstack.cloud sorts both sides, so it ignores a
///   reordering and, when anything else about the list changes, writes the resolvers back sorted.
/// - `host_routes` and `allocation_pools` are compared as sets (their order carries no meaning), as
///   openstack.cloud does by sorting.
/// - check mode works on an existing subnet (openstack.cloud's check path raises a TypeError there).
/// - `state: absent` with a `network` that no longer exists reports the subnet as already gone.
public struct SubnetModule: StatefulModule {
    static let ipv6Modes: [Value] = ["dhcpv6-stateful", "dhcpv6-stateless", "slaac"]

    public static let spec = OpenStackArguments.spec(
        "subnet", legacy: ["os_subnet"],
        options: [
            "name": OptionSpec(.string, required: true),
            "network": OptionSpec(.string, aliases: ["network_name"]),
            "network_segment": OptionSpec(.string),
            "cidr": OptionSpec(.string),
            "description": OptionSpec(.string),
            "ip_version": OptionSpec(.int, default: 4, choices: [4, 6]),
            "is_dhcp_enabled": OptionSpec(.bool, default: true, aliases: ["enable_dhcp"]),
            "gateway_ip": OptionSpec(.string),
            "disable_gateway_ip": OptionSpec(.bool, default: false, aliases: ["no_gateway_ip"]),
            "dns_nameservers": OptionSpec(.list(elements: .string)),
            "allocation_pool_start": OptionSpec(.string),
            "allocation_pool_end": OptionSpec(.string),
            "allocation_pools": OptionSpec(.list(elements: .dict)),
            "host_routes": OptionSpec(.list(elements: .dict)),
            "ipv6_ra_mode": OptionSpec(.string, choices: ipv6Modes),
            "ipv6_address_mode": OptionSpec(.string, choices: ipv6Modes),
            "subnet_pool": OptionSpec(.string),
            "prefix_length": OptionSpec(.string),
            "use_default_subnet_pool": OptionSpec(.bool, aliases: ["use_default_subnetpool"]),
            "extra_attrs": OptionSpec(.dict, default: .dict(ValueDictionary()), aliases: ["extra_specs"]),
            "state": OpenStackArguments.state,
            "project": OptionSpec(.string),
            "tags": OptionSpec(.list(elements: .string)),
        ],
        mutuallyExclusive: [
            ["use_default_subnet_pool", "subnet_pool"], ["allocation_pool_start", "allocation_pools"],
            ["allocation_pool_end", "allocation_pools"],
        ],
        requiredTogether: [["allocation_pool_end", "allocation_pool_start"]],
        requiredIf: [("state", "present", ["network"])])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let subnet: ValueDictionary?
        /// The attributes the task asks for, keyed by openstacksdk names (present only).
        let desired: ValueDictionary
    }

    public enum Change: Sendable {
        case create(body: ValueDictionary, tags: [String]?)
        case update(id: String, body: ValueDictionary, tags: [String]?)
        case delete(id: String)
    }

    /// Attributes taken straight from the arguments (openstack.cloud's `attr_params`).
    private static let attributeArguments = [
        "cidr", "description", "dns_nameservers", "gateway_ip", "host_routes", "ip_version", "ipv6_address_mode",
        "ipv6_ra_mode", "is_dhcp_enabled", "name", "prefix_length", "use_default_subnet_pool",
    ]

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        if arguments.bool("disable_gateway_ip") == true, arguments.string("gateway_ip") != nil {
            throw OpenStackModuleError("no_gateway_ip is not allowed with gateway_ip")
        }
        if arguments.state == "present", arguments.string("cidr") == nil, arguments.bool("use_default_subnet_pool") == nil,
            arguments.string("subnet_pool") == nil
        {
            throw OpenStackModuleError("state is present but any of the following are missing: cidr, use_default_subnet_pool, subnet_pool")
        }
        var filters: [(String, String)] = []
        var desired = ValueDictionary()
        if let project = arguments.string("project") {
            let id = try await context.requireProjectID(project)
            filters.append(("project_id", id))
            desired["project_id"] = .string(id)
        }
        if let networkName = arguments.string("network") {
            let networkID: String
            do {
                networkID = try await context.referenceID("networks", key: "network", nameOrID: networkName, filters: filters, label: "Network")
            } catch let error as OpenStackModuleError where arguments.state == "absent" {
                // A subnet cannot outlive its network: with the network gone there is nothing to delete
                // (openstack.cloud fails here, so a teardown cannot be re-run).
                _ = error
                return Observed(context: context, subnet: nil, desired: ValueDictionary())
            }
            filters.append(("network_id", networkID))
            desired["network_id"] = .string(networkID)
        }
        if let segment = arguments.string("network_segment") {
            let found = try await context.requireNeutron(
                "segments", key: "segment", nameOrID: segment, filters: filters, label: "Segment")
            filters.append(("segment_id", found["id"]?.string ?? ""))
            desired["segment_id"] = found["id"] ?? Value.none
        }
        if let pool = arguments.string("subnet_pool") {
            let found = try await context.requireNeutron(
                "subnetpools", key: "subnetpool", nameOrID: pool,
                filters: desired["project_id"]?.string.map { [("project_id", $0)] } ?? [], label: "SubnetPool")
            filters.append(("subnetpool_id", found["id"]?.string ?? ""))
            desired["subnet_pool_id"] = found["id"] ?? Value.none
        }
        let name = arguments.string("name") ?? ""
        let subnet = try await context.findNeutron("subnets", key: "subnet", nameOrID: name, filters: filters, label: "Subnet")
        for argument in Self.attributeArguments {
            if let value = arguments.value(argument) { desired[argument] = value }
        }
        if let start = arguments.string("allocation_pool_start") {
            desired["allocation_pools"] = [.object(["start": .string(start), "end": arguments.value("allocation_pool_end") ?? Value.none])]
        } else if let pools = arguments.value("allocation_pools") {
            desired["allocation_pools"] = pools
        }
        let extra = arguments.dict("extra_attrs") ?? ValueDictionary()
        let duplicates = extra.keys.compactMap(\.string).filter { desired[$0] != nil }
        if !duplicates.isEmpty {
            throw OpenStackModuleError("Duplicate key(s) \(duplicates) in extra_specs")
        }
        for (key, value) in extra { desired[key] = value }
        if arguments.bool("disable_gateway_ip") == true { desired["gateway_ip"] = Value.none }
        return Observed(context: context, subnet: subnet.map(ResourceSchema.subnet.normalize), desired: desired)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "subnet '\(arguments.string("name") ?? "")'"
        guard arguments.state == "present" else {
            guard let subnet = observed.subnet, let id = subnet["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: subnet, after: nil, fields: ["id", "name", "cidr"])])
        }
        let tags = arguments.strings("tags")
        guard let subnet = observed.subnet, let id = subnet["id"]?.string else {
            var after = observed.desired
            if let tags { after["tags"] = .list(tags.map(Value.string)) }
            return Planned(
                .create(body: ResourceSchema.subnet.requestBody(observed.desired), tags: tags),
                diffs: [ResourceDiff.make(label, before: nil, after: after)])
        }
        var updates = ValueDictionary()
        for (key, wanted) in observed.desired {
            guard let key = key.string else { continue }
            let current = subnet[key] ?? Value.none
            if !Self.same(key, wanted, current) { updates[key] = wanted }
        }
        for attribute in ["cidr", "ip_version", "ipv6_ra_mode", "ipv6_address_mode", "prefix_length", "use_default_subnet_pool"]
        where updates[attribute] != nil {
            throw OpenStackModuleError("Cannot update \(attribute) in existing subnet")
        }
        var tagChange: [String]?
        if let tags, Set(tags) != Set((subnet["tags"]?.array ?? []).compactMap(\.string)) { tagChange = tags }
        guard !updates.isEmpty || tagChange != nil else { return nil }
        var after = subnet
        for (key, value) in updates { after[key] = value }
        if let tagChange { after["tags"] = .list(tagChange.map(Value.string)) }
        let changedKeys = updates.keys.compactMap(\.string) + (tagChange == nil ? [] : ["tags"])
        return Planned(
            .update(id: id, body: ResourceSchema.subnet.requestBody(updates), tags: tagChange),
            diffs: [ResourceDiff.make(label, before: subnet, after: after, fields: changedKeys)])
    }

    /// Whether a wanted attribute already holds: lists of routes and pools as sets, resolvers in order.
    static func same(_ key: String, _ wanted: Value, _ current: Value) -> Bool {
        switch key {
        case "host_routes", "allocation_pools":
            return Set(wanted.array ?? []) == Set(current.array ?? [])
        case "dns_nameservers":
            return (wanted.array ?? []) == (current.array ?? [])
        case "prefix_length":
            return Arguments.text(wanted) == Arguments.text(current)
        default:
            return wanted == current
        }
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.context.network
        switch change {
        case .create(let body, let tags):
            var created = try await api.create("/subnets", key: "subnet", body: body)
            if let tags, !tags.isEmpty, let id = created["id"]?.string {
                created = try await NeutronTags.set(tags, on: "subnets", id: id, api: api, refreshKey: "subnet") ?? created
            }
            return .resource("subnet", ResourceSchema.subnet.normalize(created), changed: true, withID: true)
        case .update(let id, let body, let tags):
            var updated = body.isEmpty ? nil : try await api.update("/subnets/\(id)", key: "subnet", body: body)
            if let tags { updated = try await NeutronTags.set(tags, on: "subnets", id: id, api: api, refreshKey: "subnet") }
            let final = updated.map(ResourceSchema.subnet.normalize) ?? observed.subnet ?? ValueDictionary()
            return .resource("subnet", final, changed: true, withID: true)
        case .delete(let id):
            try await api.delete("/subnets/\(id)")
            return ModuleResult(changed: true)
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let subnet = observed.subnet else {
            return ModuleResult(changed: false)
        }
        return .resource("subnet", subnet, changed: false, withID: true)
    }
}
