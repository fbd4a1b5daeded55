import ModuleAPI
import Templating

/// `openstack.cloud.floating_ip` (legacy `os_floating_ip`): allocates a floating IP and binds it to a
/// server's port (chosen by `nat_destination` network and `fixed_address`), or detaches and optionally
/// deletes it.
///
/// Same arguments, `reuse`/`purge` semantics and `floating_ip` result as openstack.cloud 2.6, with check
/// mode (openstack.cloud has none). A floating IP bound to another active port is an error, as upstream.
public struct FloatingIPModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "floating_ip", legacy: ["os_floating_ip"],
        options: [
            "fixed_address": OptionSpec(.string, aliases: ["fixed_ip_address"]),
            "floating_ip_address": OptionSpec(.string),
            "nat_destination": OptionSpec(.string, aliases: ["fixed_network", "internal_network"]),
            "network": OptionSpec(.string),
            "purge": OptionSpec(.bool, default: false),
            "reuse": OptionSpec(.bool, default: false),
            "server": OptionSpec(.string),
            "state": OpenStackArguments.state,
        ],
        requiredIf: [("state", "absent", ["floating_ip_address"])])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let networkID: String?
        /// The server's port the address belongs on, and its fixed address.
        let targetPort: String?
        let targetFixedIP: String?
        /// The floating IP the task is about (by address, or the server's on that network).
        let floatingIP: ValueDictionary?
        /// An unattached floating IP on the network, for `reuse`.
        let reusable: ValueDictionary?
    }

    public enum Change: Sendable {
        case allocate(body: ValueDictionary)
        case attach(id: String, port: String, fixedIP: String?)
        case detach(id: String, delete: Bool)
        case delete(id: String)
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        if arguments.state == "present", arguments.string("server") == nil, arguments.string("network") == nil {
            throw OpenStackModuleError("state is present but any of the following are missing: server, network")
        }
        let networkID = try await arguments.string("network").asyncMap {
            try await context.referenceID("networks", key: "network", nameOrID: $0, label: "Network")
        }
        var targetPort: String?
        var targetFixedIP: String?
        var serverPorts: [String] = []
        if let serverName = arguments.string("server") {
            let server = try await ServerModule().read(invocation).server
            guard let serverID = server?["id"]?.string else { throw OpenStackModuleError("server \(serverName) not found") }
            let natNetwork = try await arguments.string("nat_destination").asyncMap {
                try await context.requireNeutron("networks", key: "network", nameOrID: $0, label: "Network")["id"]?.string ?? ""
            }
            let ports = try await ServerNetworking.ports(ofServer: serverID, context: context)
            serverPorts = ports.compactMap { $0["id"]?.string }
            let fixedAddress = arguments.string("fixed_address")
            for port in ports where natNetwork == nil || port["network_id"]?.string == natNetwork {
                let fixed = (port["fixed_ips"]?.array ?? []).compactMap { $0.dictionary?["ip_address"]?.string }
                guard let address = fixedAddress.map({ fixed.contains($0) ? $0 : nil }) ?? fixed.first else { continue }
                targetPort = port["id"]?.string
                targetFixedIP = address
                break
            }
            if targetPort == nil { throw OpenStackModuleError("no port of server \(serverName) matches the requested fixed address or network") }
        }
        var floatingIP: ValueDictionary?
        if let address = arguments.string("floating_ip_address") {
            floatingIP = try await context.network.list("/floatingips", key: "floatingips", query: [("floating_ip_address", address)]).first
        } else if !serverPorts.isEmpty {
            for port in serverPorts where floatingIP == nil {
                var query = [("port_id", port)]
                if let networkID { query.append(("floating_network_id", networkID)) }
                floatingIP = try await context.network.list("/floatingips", key: "floatingips", query: query).first
            }
        }
        var reusable: ValueDictionary?
        if floatingIP == nil, arguments.bool("reuse") == true, let networkID {
            reusable = try await context.network.list("/floatingips", key: "floatingips", query: [("floating_network_id", networkID)])
                .first { ($0["port_id"] ?? Value.none) == .none }
        }
        return Observed(
            context: context, networkID: networkID, targetPort: targetPort, targetFixedIP: targetFixedIP, floatingIP: floatingIP,
            reusable: reusable)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "floating ip \(arguments.string("floating_ip_address") ?? "on \(arguments.string("network") ?? "")")"
        let current = observed.floatingIP.map(ResourceSchema.floatingIP.normalize)
        if arguments.state == "absent" {
            guard let fip = observed.floatingIP, let id = fip["id"]?.string else { return nil }
            let attached = (fip["port_id"] ?? Value.none) != .none
            let purge = arguments.bool("purge") == true
            if arguments.string("server") != nil, attached {
                return Planned(.detach(id: id, delete: purge), diffs: [ResourceDiff.make(label, before: current, after: purge ? nil : current.map { var after = $0; after["port_id"] = Value.none; return after }, fields: ["floating_ip_address", "port_id"])])
            }
            guard purge || arguments.string("server") == nil else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: current, after: nil, fields: ["floating_ip_address", "port_id"])])
        }
        if let fip = observed.floatingIP, let id = fip["id"]?.string {
            guard let port = observed.targetPort, fip["port_id"]?.string != port else { return nil }
            if (fip["port_id"] ?? Value.none) != .none, fip["port_details"]?.dictionary?["status"]?.string == "ACTIVE" {
                throw OpenStackModuleError("Floating ip \(fip["floating_ip_address"]?.string ?? "") has been attached to different server")
            }
            var after = current ?? ValueDictionary()
            after["port_id"] = .string(port)
            return Planned(.attach(id: id, port: port, fixedIP: observed.targetFixedIP), diffs: [ResourceDiff.make(label, before: current, after: after, fields: ["floating_ip_address", "port_id"])])
        }
        if let reusable = observed.reusable, let id = reusable["id"]?.string, let port = observed.targetPort {
            return Planned(.attach(id: id, port: port, fixedIP: observed.targetFixedIP))
        }
        var body = ValueDictionary()
        var networkID = observed.networkID
        if networkID == nil, observed.targetPort != nil {
            throw OpenStackModuleError("network is required to allocate a new floating ip for the server")
        }
        networkID = networkID ?? ""
        body["floating_network_id"] = .string(networkID ?? "")
        if let address = arguments.string("floating_ip_address") { body["floating_ip_address"] = .string(address) }
        if let port = observed.targetPort { body["port_id"] = .string(port) }
        if let fixed = observed.targetFixedIP ?? arguments.string("fixed_address") { body["fixed_ip_address"] = .string(fixed) }
        return Planned(.allocate(body: body), diffs: [ResourceDiff.make(label, before: nil, after: body)])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.context.network
        switch change {
        case .allocate(let body):
            let created = try await api.create("/floatingips", key: "floatingip", body: body)
            return .resource("floating_ip", ResourceSchema.floatingIP.normalize(created), changed: true)
        case .attach(let id, let port, let fixedIP):
            var body = ValueDictionary()
            body["port_id"] = .string(port)
            if let fixedIP { body["fixed_ip_address"] = .string(fixedIP) }
            let updated = try await api.update("/floatingips/\(id)", key: "floatingip", body: body)
            return .resource("floating_ip", ResourceSchema.floatingIP.normalize(updated), changed: true)
        case .detach(let id, let delete):
            let updated = try await api.update("/floatingips/\(id)", key: "floatingip", body: ValueDictionary([("port_id", Value.none)]))
            if delete {
                try await api.delete("/floatingips/\(id)")
                return ModuleResult(changed: true)
            }
            return .resource("floating_ip", ResourceSchema.floatingIP.normalize(updated), changed: true)
        case .delete(let id):
            try await api.delete("/floatingips/\(id)")
            return ModuleResult(changed: true)
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard let fip = observed.floatingIP else { return ModuleResult(changed: false) }
        return .resource("floating_ip", ResourceSchema.floatingIP.normalize(fip), changed: false)
    }
}
