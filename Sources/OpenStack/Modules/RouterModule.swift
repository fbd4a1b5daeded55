import ModuleAPI
import Templating

/// `openstack.cloud.router` (legacy `os_router`): a Neutron router with its external gateway
/// (network, SNAT, external fixed IPs) and internal interfaces.
///
/// Same arguments, lookup, update decision and `router` result as openstack.cloud 2.6. Deliberate
/// differences:
/// - When `interfaces` is omitted, the router's existing internal interfaces are left alone.
///   openstack.cloud treats an omitted list as empty and detaches every interface (ansible#68208);
///   giving `interfaces: []` still detaches them all.
/// - Check mode and `--diff` list the interfaces to attach and detach.
public struct RouterModule: StatefulModule {
    static let externalFixedIPs = OptionSpec(
        .list(elements: .dictOf(ArgumentSpec([
            "ip_address": OptionSpec(.string, aliases: ["ip"]),
            "subnet_id": OptionSpec(.string, required: true, aliases: ["subnet"]),
        ]))))

    public static let spec = OpenStackArguments.spec(
        "router", legacy: ["os_router"],
        options: [
            "enable_snat": OptionSpec(.bool),
            "external_fixed_ips": externalFixedIPs,
            "external_gateway_info": OptionSpec(
                .dictOf(ArgumentSpec([
                    "network": OptionSpec(.string),
                    "enable_snat": OptionSpec(.bool),
                    "external_fixed_ips": externalFixedIPs,
                ]))),
            "interfaces": OptionSpec(.list(elements: .raw)),
            "is_admin_state_up": OptionSpec(.bool, default: true, aliases: ["admin_state_up"]),
            "name": OptionSpec(.string, required: true),
            "network": OptionSpec(.string),
            "project": OptionSpec(.string),
            "state": OpenStackArguments.state,
            "tags": OptionSpec(.list(elements: .string)),
        ],
        mutuallyExclusive: [
            ["external_gateway_info", "network"], ["external_gateway_info", "external_fixed_ips"],
            ["external_gateway_info", "enable_snat"],
        ])

    public init() {}

    /// One internal interface the task asks for.
    struct WantedInterface: Sendable, Equatable {
        var subnetID: String
        var networkID: String?
        /// A fixed address on the subnet (`portip`), with the existing port holding it if there is one.
        var ipAddress: String?
        var existingPortID: String?
    }

    public struct Observed: Sendable {
        let context: OpenStackContext
        let router: ValueDictionary?
        let projectID: String?
        let gatewayNetworkID: String?
        let externalFixedIPs: [ValueDictionary]?
        /// nil when the task does not manage interfaces.
        let wantedInterfaces: [WantedInterface]?
        /// The router's internal interface ports (raw Neutron port objects).
        let currentInterfaces: [ValueDictionary]
    }

    public struct InterfaceChanges: Sendable {
        var attachSubnets: [String] = []
        var attachPorts: [String] = []
        var createPorts: [ValueDictionary] = []
        var detachPorts: [String] = []
        var isEmpty: Bool { attachSubnets.isEmpty && attachPorts.isEmpty && createPorts.isEmpty && detachPorts.isEmpty }
    }

    public enum Change: Sendable {
        case create(body: ValueDictionary, interfaces: InterfaceChanges, tags: [String]?)
        case update(id: String, body: ValueDictionary?, interfaces: InterfaceChanges, tags: [String]?)
        case delete(id: String, detachPorts: [String])
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let gatewayInfo = arguments.dict("external_gateway_info").map(Arguments.init)
        let networkName = gatewayInfo?.string("network") ?? arguments.string("network")
        if arguments.list("external_fixed_ips") != nil, networkName == nil {
            throw OpenStackModuleError("network is required when supplying external_fixed_ips")
        }
        let projectID = try await arguments.string("project").asyncMap { try await context.requireProjectID($0) }
        let filters = projectID.map { [("project_id", $0)] } ?? []
        let router = try await context.findNeutron(
            "routers", key: "router", nameOrID: arguments.string("name") ?? "", filters: filters, label: "Router")
        var current: [ValueDictionary] = []
        if let id = router?["id"]?.string {
            current = try await context.network.list("/ports", key: "ports", query: [("device_id", id)]).filter {
                Self.internalOwners.contains($0["device_owner"]?.string ?? "")
            }
        }
        // Deleting needs only the router and its interfaces: the gateway and the subnets the task names
        // may be gone already (openstack.cloud resolves them anyway and fails).
        guard arguments.state == "present" else {
            return Observed(
                context: context, router: router.map(ResourceSchema.router.normalize), projectID: projectID, gatewayNetworkID: nil,
                externalFixedIPs: nil, wantedInterfaces: nil, currentInterfaces: current)
        }
        var gatewayNetworkID: String?
        if let networkName {
            // In the router's project first, then anywhere (the external network belongs to the admin).
            if filters.isEmpty {
                gatewayNetworkID = try await context.referenceID("networks", key: "network", nameOrID: networkName, label: "Network")
            } else {
                let scoped = try await context.findNeutron("networks", key: "network", nameOrID: networkName, filters: filters, label: "Network")
                gatewayNetworkID = try await scoped?["id"]?.string.asyncOrElse {
                    try await context.referenceID("networks", key: "network", nameOrID: networkName, label: "Network")
                }
            }
        }
        var externalFixedIPs: [ValueDictionary]?
        if let requested = (gatewayInfo?.list("external_fixed_ips") ?? arguments.list("external_fixed_ips")), !requested.isEmpty {
            var resolved: [ValueDictionary] = []
            for entry in requested {
                let entry = Arguments(entry.dictionary ?? ValueDictionary())
                let subnetName = entry.string("subnet_id") ?? entry.string("subnet") ?? ""
                let subnet = try await context.requireNeutron("subnets", key: "subnet", nameOrID: subnetName, filters: filters, label: "Subnet")
                var fixedIP = ValueDictionary()
                fixedIP["subnet_id"] = subnet["id"] ?? Value.none
                if let address = entry.string("ip_address") ?? entry.string("ip") { fixedIP["ip_address"] = .string(address) }
                resolved.append(fixedIP)
            }
            externalFixedIPs = resolved
        }
        var wanted: [WantedInterface]?
        if let interfaces = arguments.list("interfaces") {
            wanted = try await resolveInterfaces(interfaces, context: context, filters: filters)
        }
        return Observed(
            context: context, router: router.map(ResourceSchema.router.normalize), projectID: projectID,
            gatewayNetworkID: gatewayNetworkID, externalFixedIPs: externalFixedIPs, wantedInterfaces: wanted,
            currentInterfaces: current)
    }

    /// Device owners of a router's internal interfaces, as openstacksdk's `list_router_interfaces(…, 'internal')`.
    static let internalOwners: Set<String> = [
        "network:router_interface", "network:router_interface_distributed", "network:ha_router_replicated_interface",
    ]

    private func resolveInterfaces(
        _ interfaces: [Value], context: OpenStackContext, filters: [(String, String)]
    ) async throws -> [WantedInterface] {
        try await context.prefetchReferences("subnets", names: interfaces.compactMap(Arguments.text), filters: filters)
        var wanted: [WantedInterface] = []
        for interface in interfaces {
            if let subnetName = Arguments.text(interface) {
                let subnetID = try await context.referenceID("subnets", key: "subnet", nameOrID: subnetName, filters: filters, label: "Subnet")
                wanted.append(WantedInterface(subnetID: subnetID, networkID: nil))
                continue
            }
            let entry = Arguments(interface.dictionary ?? ValueDictionary())
            let subnet = try await context.requireNeutron(
                "subnets", key: "subnet", nameOrID: entry.string("subnet") ?? "", filters: filters, label: "Subnet")
            guard let netName = entry.string("net") else {
                throw OpenStackModuleError("Network name missing from interface definition")
            }
            let network = try await context.requireNeutron("networks", key: "network", nameOrID: netName, label: "Network")
            let subnetID = subnet["id"]?.string ?? ""
            guard let portIP = entry.value("portip") else {
                wanted.append(WantedInterface(subnetID: subnetID, networkID: network["id"]?.string))
                continue
            }
            guard let address = Arguments.text(portIP), !address.isEmpty else {
                throw OpenStackModuleError("put an ip in portip or remove it from list to assign default port to router")
            }
            let ports = try await context.network.list(
                "/ports", key: "ports", query: [("network_id", network["id"]?.string ?? "")])
            let holder = ports.first { port in
                (port["fixed_ips"]?.array ?? []).contains {
                    $0.dictionary?["subnet_id"]?.string == subnetID && $0.dictionary?["ip_address"]?.string == address
                }
            }
            wanted.append(
                WantedInterface(
                    subnetID: subnetID, networkID: subnet["network_id"]?.string, ipAddress: address,
                    existingPortID: holder?["id"]?.string))
        }
        return wanted
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "router '\(arguments.string("name") ?? "")'"
        let currentPortIDs = observed.currentInterfaces.compactMap { $0["id"]?.string }
        guard arguments.state == "present" else {
            guard let router = observed.router, let id = router["id"]?.string else { return nil }
            return Planned(
                .delete(id: id, detachPorts: currentPortIDs),
                diffs: [ResourceDiff.make(label, before: router, after: nil, fields: ["id", "name"])])
        }
        let tags = arguments.strings("tags")
        let interfaces = interfaceChanges(observed)
        let gateway = wantedGateway(observed)
        let adminStateUp = arguments.bool("is_admin_state_up") ?? true
        guard let router = observed.router, let id = router["id"]?.string else {
            var body = ValueDictionary()
            body["name"] = arguments.value("name")
            body["admin_state_up"] = .bool(adminStateUp)
            if let gateway { body["external_gateway_info"] = .dict(gateway) }
            if let projectID = observed.projectID { body["project_id"] = .string(projectID) }
            var after = body
            after["interfaces"] = .list(interfaces.attachSubnets.map(Value.string) + interfaces.createPorts.map(Value.dict))
            return Planned(.create(body: body, interfaces: interfaces, tags: tags), diffs: [ResourceDiff.make(label, before: nil, after: after)])
        }
        var needsUpdate = router["is_admin_state_up"] != .bool(adminStateUp)
        if let gateway, gatewayDiffers(current: router["external_gateway_info"]?.dictionary, wanted: gateway, observed: observed) {
            needsUpdate = true
        }
        var tagChange: [String]?
        if let tags, Set(tags) != Set((router["tags"]?.array ?? []).compactMap(\.string)) { tagChange = tags }
        guard needsUpdate || !interfaces.isEmpty || tagChange != nil else { return nil }
        var body: ValueDictionary?
        var after = router
        if needsUpdate {
            var update = ValueDictionary()
            update["admin_state_up"] = .bool(adminStateUp)
            after["is_admin_state_up"] = .bool(adminStateUp)
            if let gateway {
                update["external_gateway_info"] = .dict(gateway)
                after["external_gateway_info"] = .dict(gateway)
            }
            body = update
        }
        var before = router
        before["interfaces"] = .list(observed.currentInterfaces.compactMap { Self.subnetOf($0).map(Value.string) })
        after["interfaces"] = .list(
            (before["interfaces"]?.array ?? []).filter { subnet in
                !observed.currentInterfaces.contains {
                    Self.subnetOf($0) == subnet.string && interfaces.detachPorts.contains($0["id"]?.string ?? "")
                }
            } + interfaces.attachSubnets.map(Value.string)
                + interfaces.createPorts.compactMap { $0["fixed_ips"]?.array?.first?.dictionary?["subnet_id"] })
        if let tagChange { after["tags"] = .list(tagChange.map(Value.string)) }
        let fields = ["is_admin_state_up", "external_gateway_info", "interfaces"] + (tagChange == nil ? [] : ["tags"])
        return Planned(
            .update(id: id, body: body, interfaces: interfaces, tags: tagChange),
            diffs: [ResourceDiff.make(label, before: before, after: after, fields: fields)])
    }

    private static func subnetOf(_ port: ValueDictionary) -> String? {
        port["fixed_ips"]?.array?.first?.dictionary?["subnet_id"]?.string
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.context.network
        switch change {
        case .create(let body, let interfaces, let tags):
            var router = try await api.create("/routers", key: "router", body: body)
            let id = router["id"]?.string ?? ""
            try await applyInterfaces(interfaces, routerID: id, api: api)
            if let tags, !tags.isEmpty {
                router = try await NeutronTags.set(tags, on: "routers", id: id, api: api, refreshKey: "router") ?? router
            }
            return .resource("router", ResourceSchema.router.normalize(router), changed: true)
        case .update(let id, let body, let interfaces, let tags):
            var router = try await body.asyncMap { try await api.update("/routers/\(id)", key: "router", body: $0) }
            try await applyInterfaces(interfaces, routerID: id, api: api)
            if let tags { router = try await NeutronTags.set(tags, on: "routers", id: id, api: api, refreshKey: "router") }
            let final = router.map(ResourceSchema.router.normalize) ?? observed.router ?? ValueDictionary()
            return .resource("router", final, changed: true)
        case .delete(let id, let ports):
            for port in ports {
                _ = try await api.session.send("network", "PUT", "/routers/\(id)/remove_router_interface", json: .object(["port_id": .string(port)]))
            }
            try await api.delete("/routers/\(id)")
            return ModuleResult(changed: true)
        }
    }

    private func applyInterfaces(_ changes: InterfaceChanges, routerID: String, api: ResourceAPI) async throws {
        for port in changes.detachPorts {
            _ = try await api.session.send(
                "network", "PUT", "/routers/\(routerID)/remove_router_interface", json: .object(["port_id": .string(port)]))
        }
        var ports = changes.attachPorts
        for port in changes.createPorts {
            if let id = try await api.create("/ports", key: "port", body: port)["id"]?.string { ports.append(id) }
        }
        for subnet in changes.attachSubnets {
            _ = try await api.session.send(
                "network", "PUT", "/routers/\(routerID)/add_router_interface", json: .object(["subnet_id": .string(subnet)]))
        }
        for port in ports {
            _ = try await api.session.send(
                "network", "PUT", "/routers/\(routerID)/add_router_interface", json: .object(["port_id": .string(port)]))
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let router = observed.router else {
            return ModuleResult(changed: false)
        }
        return .resource("router", router, changed: false)
    }
}

extension Optional where Wrapped: Sendable {
    /// The value, or the result of an async fallback when nil.
    func asyncOrElse(_ fallback: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let value = self { return value }
        return try await fallback()
    }
}
