import Foundation
import Templating

/// Building a server's boot request and managing the floating IPs of its ports.
enum ServerNetworking {
    /// The `POST /servers` body for the task's arguments.
    static func createBody(_ context: OpenStackContext) async throws -> ValueDictionary {
        let arguments = context.arguments
        var server = ValueDictionary()
        server["name"] = arguments.value("name")
        if let image = arguments.string("image") {
            guard let imageID = try await ImageModule().findImage(image, checksum: nil, context: context)?["id"] else {
                throw OpenStackModuleError("Could not find image \(image) with exclude \(arguments.string("image_exclude") ?? "(deprecated)")")
            }
            server["imageRef"] = imageID
        }
        if let flavor = arguments.string("flavor") {
            guard let found = try await ComputeFlavorModule.find(flavor, context: context) else {
                throw OpenStackModuleError("No Flavor found for \(flavor)")
            }
            server["flavorRef"] = found["id"] ?? Value.none
        } else if let ram = arguments.int("flavor_ram") {
            let include = arguments.string("flavor_include")
            let flavors = try await context.compute(ComputeFlavorModule.microversion).list("/flavors/detail", key: "flavors")
                .filter { (($0["ram"].flatMap { Arguments.text($0) }).flatMap(Int.init) ?? 0) >= ram }
                .filter { include == nil || ($0["name"]?.string ?? "").contains(include ?? "") }
                .sorted { (Arguments.text($0["ram"] ?? 0).flatMap(Int.init) ?? 0) < (Arguments.text($1["ram"] ?? 0).flatMap(Int.init) ?? 0) }
            guard let flavor = flavors.first else { throw OpenStackModuleError("Could not find any matching flavor") }
            server["flavorRef"] = flavor["id"] ?? Value.none
        }
        // From microversion 2.37 Nova needs `networks`; with none requested, openstacksdk asks for `auto`.
        let networks = try await networks(context)
        server["networks"] = networks.isEmpty ? "auto" : .list(networks)
        if let key = arguments.value("key_name") { server["key_name"] = key }
        if let groups = arguments.strings("security_groups"), !groups.isEmpty {
            server["security_groups"] = .list(groups.map { .object(["name": .string($0)]) })
        }
        if let userdata = arguments.string("userdata") {
            let path = (userdata as NSString).expandingTildeInPath
            let text = FileManager.default.fileExists(atPath: path) ? (try? String(contentsOfFile: path, encoding: .utf8)) ?? userdata : userdata
            server["user_data"] = .string(Data(text.utf8).base64EncodedString())
        }
        if arguments.bool("config_drive") == true { server["config_drive"] = true }
        let metadata = ServerModule.metadata(arguments.value("metadata"))
        if !metadata.isEmpty { server["metadata"] = .dict(metadata) }
        if let zone = arguments.value("availability_zone") { server["availability_zone"] = zone }
        if let description = arguments.value("description") { server["description"] = description }
        if let tags = arguments.strings("tags"), !tags.isEmpty { server["tags"] = .list(tags.map(Value.string)) }
        var body = ValueDictionary()
        body["server"] = .dict(server)
        if let hints = arguments.dict("scheduler_hints") { body["os:scheduler_hints"] = .dict(hints) }
        return body
    }

    /// `nics` (`net-id=…`, `net-name=…`, `port-id=…`, `port-name=…`, `fixed_ip=…` strings or dicts) or
    /// `network`; with neither, Nova's `auto` allocation.
    static func networks(_ context: OpenStackContext) async throws -> [Value] {
        let arguments = context.arguments
        var entries: [ValueDictionary] = []
        for nic in arguments.list("nics") ?? [] {
            var options = ValueDictionary()
            if let text = nic.string {
                for pair in text.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2 { options[parts[0]] = .string(parts[1]) }
                }
            } else if let dictionary = nic.dictionary {
                options = dictionary
            }
            let nicArguments = Arguments(options)
            var entry = ValueDictionary()
            if let id = nicArguments.string("net-id") {
                entry["uuid"] = .string(id)
            } else if let name = nicArguments.string("net-name") {
                entry["uuid"] = try await context.requireNeutron("networks", key: "network", nameOrID: name, label: "Network")["id"] ?? Value.none
            }
            if let port = nicArguments.string("port-id") {
                entry["port"] = .string(port)
            } else if let name = nicArguments.string("port-name") {
                entry["port"] = try await context.requireNeutron("ports", key: "port", nameOrID: name, label: "Port")["id"] ?? Value.none
            }
            if let address = nicArguments.string("fixed_ip") ?? nicArguments.string("v4-fixed-ip") { entry["fixed_ip"] = .string(address) }
            if !entry.isEmpty { entries.append(entry) }
        }
        if let network = arguments.string("network") {
            let id = try await context.requireNeutron("networks", key: "network", nameOrID: network, label: "Network")["id"] ?? Value.none
            entries.append(ValueDictionary([(.string("uuid"), id)]))
        }
        return entries.map(Value.dict)
    }

    /// The server's ports (Neutron, `device_id` = server).
    static func ports(ofServer id: String, context: OpenStackContext) async throws -> [ValueDictionary] {
        try await context.network.list("/ports", key: "ports", query: [("device_id", id)])
    }

    /// The floating IPs bound to any of the server's ports.
    static func floatingIPs(ofServer id: String, context: OpenStackContext) async throws -> [ValueDictionary] {
        var result: [ValueDictionary] = []
        for port in try await ports(ofServer: id, context: context) {
            guard let portID = port["id"]?.string else { continue }
            result += try await context.network.list("/floatingips", key: "floatingips", query: [("port_id", portID)])
        }
        return result
    }

    /// After an ACTIVE boot: binds `floating_ips`, one address from each of `floating_ip_pools`, or with
    /// `auto_ip` one address from the only external network, to the server's first port. Returns the
    /// addresses it bound.
    static func addFloatingIPs(to serverID: String, context: OpenStackContext) async throws -> [String] {
        let arguments = context.arguments
        guard let port = try await ports(ofServer: serverID, context: context).first, let portID = port["id"]?.string else { return [] }
        if let addresses = arguments.strings("floating_ips"), !addresses.isEmpty {
            for address in addresses {
                guard let fip = try await context.network.list("/floatingips", key: "floatingips", query: [("floating_ip_address", address)]).first,
                    let id = fip["id"]?.string
                else { throw OpenStackModuleError("floating IP \(address) does not exist") }
                _ = try await context.network.update("/floatingips/\(id)", key: "floatingip", body: ValueDictionary([("port_id", .string(portID))]))
            }
            return addresses
        }
        var networks: [String] = []
        if let pools = arguments.strings("floating_ip_pools"), !pools.isEmpty {
            for pool in pools {
                networks.append(try await context.requireNeutron("networks", key: "network", nameOrID: pool, label: "Network")["id"]?.string ?? "")
            }
        } else if arguments.bool("auto_ip") == true {
            guard try await floatingIPs(ofServer: serverID, context: context).isEmpty else { return [] }
            let external = try await context.network.list("/networks", key: "networks", query: [("router:external", "True")])
            guard external.count == 1, let id = external.first?["id"]?.string else { return [] }
            networks.append(id)
        }
        var bound: [String] = []
        for network in networks {
            var body = ValueDictionary()
            body["floating_network_id"] = .string(network)
            body["port_id"] = .string(portID)
            let created = try await context.network.create("/floatingips", key: "floatingip", body: body)
            if let address = created["floating_ip_address"]?.string { bound.append(address) }
        }
        return bound
    }

    /// The floating addresses Nova lists for a server (its network info cache, as openstacksdk reads it).
    static func floatingAddresses(_ server: ValueDictionary) -> Set<String> {
        Set((server["addresses"]?.dictionary?.values ?? []).flatMap { $0.array ?? [] }.compactMap { entry in
            entry.dictionary?["OS-EXT-IPS:type"]?.string == "floating" ? entry.dictionary?["addr"]?.string : nil
        })
    }
}
