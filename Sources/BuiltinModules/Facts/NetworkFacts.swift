import Templating

/// Interface, address and default-route facts from `ip -o -d link`, `ip -o addr` and `ip route`.
enum NetworkFacts {
    struct Interface {
        var name: String
        var flags: [String] = []
        var mtu: Int?
        var type = "unknown"
        var mac: String?
        var promiscuous = false
        var master: String?
        var isBridge = false
        var ipv4: [ValueDictionary] = []
        var ipv6: [ValueDictionary] = []
    }

    static func collect(_ sections: [String: [String]], into facts: inout ValueDictionary) {
        var interfaces = parseLinks(sections["links"] ?? [])
        addAddresses(sections["addresses"] ?? [], to: &interfaces)
        let names = interfaces.map(\.name)
        facts["ansible_interfaces"] = .list(names.map(Value.string))
        var all4: [Value] = []
        var all6: [Value] = []
        for interface in interfaces {
            facts["ansible_" + factName(interface.name)] = .dict(details(interface, all: interfaces))
            all4 += interface.ipv4.compactMap { $0["address"] }.filter { !($0.string ?? "").hasPrefix("127.") }
            all6 += interface.ipv6.compactMap { $0["address"] }.filter { $0 != "::1" }
        }
        facts["ansible_all_ipv4_addresses"] = .list(all4)
        facts["ansible_all_ipv6_addresses"] = .list(all6)
        facts["ansible_default_ipv4"] = .dict(defaultRoute(sections["route4"] ?? [], interfaces: interfaces, family: 4))
        facts["ansible_default_ipv6"] = .dict(defaultRoute(sections["route6"] ?? [], interfaces: interfaces, family: 6))
    }

    /// Ansible's fact key for an interface: `-`, `:` and `.` become `_`.
    static func factName(_ interface: String) -> String {
        String(interface.map { "-:.".contains($0) ? "_" : $0 })
    }

    /// `4: eth0@if5: <BROADCAST,UP,LOWER_UP> mtu 1500 … master br0 …\    link/ether 02:… brd …`
    static func parseLinks(_ lines: [String]) -> [Interface] {
        var interfaces: [Interface] = []
        for line in lines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count > 2, words[0].hasSuffix(":") else { continue }
            var name = String(words[1].dropLast())
            if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
            var interface = Interface(name: name)
            interface.flags = words[2].trimmingCharacters(in: ["<", ">"]).split(separator: ",").map(String.init)
            for (index, word) in words.enumerated() where index + 1 < words.count {
                switch word {
                case "mtu": interface.mtu = Int(words[index + 1])
                case "master": interface.master = words[index + 1]
                case "promiscuity": interface.promiscuous = (Int(words[index + 1]) ?? 0) > 0
                case "link/ether":
                    interface.type = "ether"
                    interface.mac = words[index + 1]
                case "link/loopback": interface.type = "loopback"
                default:
                    if word.hasPrefix("link/"), interface.type == "unknown" {
                        interface.mac = words[index + 1]
                    }
                }
            }
            if interface.flags.contains("PROMISC") { interface.promiscuous = true }
            // `ip -d` prints the link kind after a backslash-separated block: "\    bridge forward_delay …".
            if line.contains("\\    bridge ") { interface.isBridge = true }
            interfaces.append(interface)
        }
        return interfaces
    }

    /// `4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\ …`
    static func addAddresses(_ lines: [String], to interfaces: inout [Interface]) {
        for line in lines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count > 3 else { continue }
            var name = words[1]
            if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
            guard let index = interfaces.firstIndex(where: { $0.name == name }) else { continue }
            let parts = words[3].split(separator: "/").map(String.init)
            guard let address = parts.first else { continue }
            let prefix = parts.count > 1 ? parts[1] : (words[2] == "inet" ? "32" : "128")
            let scope = words.firstIndex(of: "scope").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } ?? "global"
            if words[2] == "inet" {
                let broadcast = words.firstIndex(of: "brd").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } ?? ""
                let prefixLength = Int(prefix) ?? 32
                interfaces[index].ipv4.append(
                    ValueDictionary([
                        "address": .string(address), "broadcast": .string(broadcast),
                        "netmask": .string(IPv4.netmask(prefixLength)),
                        "network": .string(IPv4.network(address, prefix: prefixLength)), "prefix": .string(prefix),
                    ]))
            } else if words[2] == "inet6" {
                interfaces[index].ipv6.append(
                    ValueDictionary(["address": .string(address), "prefix": .string(prefix), "scope": .string(scope)]))
            }
        }
    }

    /// The per-interface fact (`ansible_eth0`).
    static func details(_ interface: Interface, all: [Interface]) -> ValueDictionary {
        var result = ValueDictionary()
        result["active"] = .bool(interface.flags.contains("UP"))
        result["device"] = .string(interface.name)
        if let first = interface.ipv4.first { result["ipv4"] = .dict(first) }
        if interface.ipv4.count > 1 { result["ipv4_secondaries"] = .list(interface.ipv4.dropFirst().map(Value.dict)) }
        if !interface.ipv6.isEmpty { result["ipv6"] = .list(interface.ipv6.map(Value.dict)) }
        if let mac = interface.mac, interface.type != "loopback" { result["macaddress"] = .string(mac) }
        if let mtu = interface.mtu { result["mtu"] = .int(mtu) }
        result["promisc"] = .bool(interface.promiscuous)
        if interface.isBridge {
            result["type"] = "bridge"
            result["interfaces"] = .list(all.filter { $0.master == interface.name }.map { .string($0.name) })
        } else {
            result["type"] = .string(interface.type)
        }
        return result
    }

    /// `default via 192.0.2.1 dev eth0` → Ansible's `ansible_default_ipv4`/`ipv6`.
    static func defaultRoute(_ lines: [String], interfaces: [Interface], family: Int) -> ValueDictionary {
        guard let line = lines.first(where: { $0.hasPrefix("default") }) else { return ValueDictionary() }
        let words = line.split(separator: " ").map(String.init)
        func after(_ keyword: String) -> String? {
            words.firstIndex(of: keyword).flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
        }
        guard let device = after("dev"), let interface = interfaces.first(where: { $0.name == device }) else {
            return ValueDictionary()
        }
        var result = ValueDictionary()
        if family == 4 {
            guard let address = interface.ipv4.first else { return ValueDictionary() }
            result["address"] = address["address"]
            result["alias"] = .string(device)
            result["broadcast"] = address["broadcast"]
            result["gateway"] = .string(after("via") ?? "")
            result["interface"] = .string(device)
            if let mac = interface.mac { result["macaddress"] = .string(mac) }
            if let mtu = interface.mtu { result["mtu"] = .int(mtu) }
            result["netmask"] = address["netmask"]
            result["network"] = address["network"]
            result["prefix"] = address["prefix"]
            result["type"] = .string(interface.isBridge ? "bridge" : interface.type)
        } else {
            guard let address = interface.ipv6.first(where: { $0["scope"] == "global" }) ?? interface.ipv6.first else {
                return ValueDictionary()
            }
            result["address"] = address["address"]
            result["gateway"] = .string(after("via") ?? "")
            result["interface"] = .string(device)
            if let mac = interface.mac { result["macaddress"] = .string(mac) }
            if let mtu = interface.mtu { result["mtu"] = .int(mtu) }
            result["prefix"] = address["prefix"]
            result["scope"] = address["scope"]
            result["type"] = .string(interface.isBridge ? "bridge" : interface.type)
        }
        return result
    }
}

/// IPv4 arithmetic for netmask and network facts.
enum IPv4 {
    static func parse(_ address: String) -> UInt32? {
        let octets = address.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1 }
    }

    static func format(_ value: UInt32) -> String {
        [24, 16, 8, 0].map { String(value >> UInt32($0) & 0xff) }.joined(separator: ".")
    }

    static func mask(_ prefix: Int) -> UInt32 {
        prefix <= 0 ? 0 : UInt32.max << UInt32(32 - min(prefix, 32))
    }

    static func netmask(_ prefix: Int) -> String { format(mask(prefix)) }

    static func network(_ address: String, prefix: Int) -> String {
        parse(address).map { format($0 & mask(prefix)) } ?? ""
    }
}
