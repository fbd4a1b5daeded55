import Templating

/// The parts of the router plan that compare the gateway and the interfaces with what exists.
extension RouterModule {
    /// openstack.cloud's `_build_kwargs` gateway: network, SNAT (only with a network), external fixed IPs,
    /// or — when none are requested but the router has several — just its first one.
    func wantedGateway(_ observed: Observed) -> ValueDictionary? {
        let arguments = observed.context.arguments
        var gateway = ValueDictionary()
        if let networkID = observed.gatewayNetworkID {
            gateway["network_id"] = .string(networkID)
            let snat = arguments.dict("external_gateway_info").map(Arguments.init)?.bool("enable_snat") ?? arguments.bool("enable_snat")
            if let snat { gateway["enable_snat"] = .bool(snat) }
        }
        if let fixed = observed.externalFixedIPs {
            gateway["external_fixed_ips"] = .list(fixed.map(Value.dict))
        } else if !gateway.isEmpty,
            let current = observed.router?["external_gateway_info"]?.dictionary?["external_fixed_ips"]?.array, current.count > 1
        {
            gateway["external_fixed_ips"] = [current[0]]
        }
        return gateway.isEmpty ? nil : gateway
    }

    /// openstack.cloud's `_needs_update` for the gateway part.
    func gatewayDiffers(current: ValueDictionary?, wanted: ValueDictionary, observed: Observed) -> Bool {
        guard let current else { return true }
        for key in ["enable_snat", "network_id"] {
            if let value = wanted[key], current[key] != value { return true }
        }
        guard let requested = observed.externalFixedIPs else { return false }
        var currentMap: [String: Set<String>] = [:]
        let currentIPs = (current["external_fixed_ips"]?.array ?? []).compactMap(\.dictionary)
        for fixed in currentIPs {
            if let subnet = fixed["subnet_id"]?.string, let address = fixed["ip_address"]?.string {
                currentMap[subnet, default: []].insert(address)
            }
        }
        var requestedMap: [String: Set<String>] = [:]
        for fixed in requested {
            let subnet = fixed["subnet_id"]?.string ?? ""
            if let address = fixed["ip_address"]?.string {
                requestedMap[subnet, default: []].insert(address)
                if let have = currentMap[subnet], !have.contains(address) { return true }
            } else if let have = currentMap[subnet] {
                requestedMap[subnet, default: []].formUnion(have)
            }
            if currentMap[subnet] == nil { return true }
        }
        for fixed in currentIPs {
            let subnet = fixed["subnet_id"]?.string ?? ""
            guard let allowed = requestedMap[subnet], allowed.contains(fixed["ip_address"]?.string ?? "") else { return true }
        }
        return false
    }

    /// openstack.cloud's `_get_port_changes`, with an omitted `interfaces` meaning "leave them".
    func interfaceChanges(_ observed: Observed) -> InterfaceChanges {
        var changes = InterfaceChanges()
        guard let wanted = observed.wantedInterfaces else { return changes }
        var existing: [String: (address: String, portID: String)] = [:]
        for port in observed.currentInterfaces {
            for fixed in (port["fixed_ips"]?.array ?? []).compactMap(\.dictionary) {
                if let subnet = fixed["subnet_id"]?.string {
                    existing[subnet] = (fixed["ip_address"]?.string ?? "", port["id"]?.string ?? "")
                }
            }
        }
        let wantedSubnets = Set(wanted.map(\.subnetID))
        for interface in wanted {
            guard let have = existing[interface.subnetID] else {
                if let address = interface.ipAddress {
                    changes.attachPort(for: interface, address: address)
                } else {
                    changes.attachSubnets.append(interface.subnetID)
                }
                continue
            }
            if let address = interface.ipAddress, address != have.address {
                changes.detachPorts.append(have.portID)
                changes.attachPort(for: interface, address: address)
            }
        }
        for port in observed.currentInterfaces {
            let subnets = (port["fixed_ips"]?.array ?? []).compactMap { $0.dictionary?["subnet_id"]?.string }
            if subnets.contains(where: { !wantedSubnets.contains($0) }), let id = port["id"]?.string,
                !changes.detachPorts.contains(id)
            {
                changes.detachPorts.append(id)
            }
        }
        return changes
    }
}

extension RouterModule.InterfaceChanges {
    /// Attaches the port that holds `address` on the interface's subnet, creating it when none does.
    mutating func attachPort(for interface: RouterModule.WantedInterface, address: String) {
        if let portID = interface.existingPortID {
            attachPorts.append(portID)
        } else {
            var port = ValueDictionary()
            port["network_id"] = .string(interface.networkID ?? "")
            port["fixed_ips"] = [.object(["ip_address": .string(address), "subnet_id": .string(interface.subnetID)])]
            createPorts.append(port)
        }
    }
}
