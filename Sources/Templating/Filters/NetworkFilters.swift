/// `ansible.utils` network filters: ipaddr (with its queries), ipv4, ipv6, ipwrap, ipmath,
/// ipsubnet, nthhost.
enum NetworkFilters {
    static let table: [String: FilterFunction] = [
        "ipaddr": { input, arguments, _ in try filter(input, query: arguments.value(0, "query"), version: nil) },
        "ipv4": { input, arguments, _ in try filter(input, query: arguments.value(0, "query"), version: 4) },
        "ipv6": { input, arguments, _ in try filter(input, query: arguments.value(0, "query"), version: 6) },
        "ipwrap": { input, arguments, _ in
            func wrap(_ value: Value) throws -> Value {
                guard case .string(let text) = value, let network = IPNetwork.parse(text) else { return value }
                if network.version == 6 {
                    let result = try query(network, original: text, .string(arguments.value(0, "query")?.displayString ?? ""))
                    guard case .string(let address) = result else { return result }
                    if address.contains("/") {
                        let parts = address.split(separator: "/")
                        return .string("[\(parts[0])]/\(parts[1])")
                    }
                    return .string("[\(address)]")
                }
                return value
            }
            if case .list(let items) = input { return .list(try items.map(wrap)) }
            return try wrap(input)
        },
        "ipmath": { input, arguments, _ in
            let text = try input.pythonString()
            guard let network = IPNetwork.parse(text) else {
                throw RenderFailure("You must pass a valid IP address; \(text) is invalid", kind: .other)
            }
            guard let amount = arguments.value(0, "amount")?.integerValue else {
                throw RenderFailure("You must pass an integer for arithmetic; \(arguments.value(0)?.displayString ?? "") is not a valid integer", kind: .other)
            }
            let magnitude = UInt128(amount.magnitude)
            if amount >= 0 {
                guard network.allOnes - network.address >= magnitude else { throw RenderFailure("ipmath result out of range", kind: .other) }
                return .string(network.format(network.address + magnitude))
            }
            guard network.address >= magnitude else { throw RenderFailure("ipmath result out of range", kind: .other) }
            return .string(network.format(network.address - magnitude))
        },
        "nthhost": { input, arguments, _ in
            guard let network = IPNetwork.parse(try input.pythonString()) else { return .bool(false) }
            guard let index = arguments.value(0, "query").map({ FilterSupport.toInt($0, default: Int.min) }), index != Int.min else {
                return .bool(false)
            }
            guard let address = nth(network, index) else { return .bool(false) }
            return .string(network.format(address))
        },
        "ipsubnet": { input, arguments, _ in
            guard let network = IPNetwork.parse(try input.pythonString()) else { return .bool(false) }
            guard let queryValue = arguments.value(0, "query"), queryValue != .string("") else {
                return .string(network.cidrString)
            }
            let newPrefix = FilterSupport.toInt(queryValue, default: -1)
            guard newPrefix >= network.prefix, newPrefix <= network.bits else { return .bool(false) }
            let count = UInt128(1) << UInt128(newPrefix - network.prefix)
            guard let indexValue = arguments.value(1, "index") else { return .string(String(count)) }
            let index = FilterSupport.toInt(indexValue, default: 0)
            let position = index < 0 ? Int128(count) + Int128(index) : Int128(index)
            guard position >= 0, UInt128(position) < count else { return .bool(false) }
            let step = UInt128(1) << UInt128(network.bits - newPrefix)
            let subnet = IPNetwork(version: network.version, address: network.network + UInt128(position) * step, prefix: newPrefix)
            return .string(subnet.cidrString)
        },
    ]

    private static func nth(_ network: IPNetwork, _ index: Int) -> UInt128? {
        let magnitude = UInt128(index.magnitude)
        guard magnitude < network.size || (index < 0 && magnitude <= network.size) else { return nil }
        return index >= 0 ? network.network + magnitude : network.broadcast - magnitude + 1
    }

    static func filter(_ input: Value, query queryValue: Value?, version: Int?) throws -> Value {
        let queryText = queryValue ?? .string("")
        if case .list(let items) = input {
            var results: [Value] = []
            for item in items {
                let result = try filter(item, query: queryValue, version: version)
                if try result.truthy() { results.append(result) }
            }
            return .list(results)
        }
        let text: String
        switch input {
        case .string(let string): text = string
        case .int(let number):
            guard number >= 0 else { return .bool(false) }
            let isV4 = number <= 0xFFFF_FFFF
            let network = IPNetwork(version: isV4 ? 4 : 6, address: UInt128(number), prefix: isV4 ? 32 : 128)
            return try query(network, original: network.addressString, queryText)
        default: return .bool(false)
        }
        guard let network = IPNetwork.parse(text) else { return .bool(false) }
        if let version, network.version != version { return .bool(false) }
        return try query(network, original: text, queryText)
    }

    static func query(_ v: IPNetwork, original: String, _ queryValue: Value) throws -> Value {
        if let index = queryValue.integerValue, case .int = queryValue { return indexQuery(v, index) }
        let query = queryValue.displayString
        if let index = Int(query) { return indexQuery(v, index) }
        let isRange = v.prefix < v.bits
        let isNetworkAddress = v.address == v.network
        let usableAddress = !isRange || !isNetworkAddress || v.prefix >= v.bits - 1
        switch query {
        case "":
            return .string(original.contains("/") ? v.withPrefix : v.addressString)
        case "address":
            return usableAddress ? .string(v.addressString) : .none
        case "host":
            if !isRange { return .string(v.withPrefix) }
            return usableAddress ? .string(v.withPrefix) : .none
        case "address/prefix", "host/prefix":
            return isRange && usableAddress ? .string(v.withPrefix) : .none
        case "network", "network_id": return .string(v.format(v.network))
        case "netmask": return .string(v.format(v.netmask))
        case "hostmask": return .string(v.format(v.hostmask))
        case "prefix": return .int(v.prefix)
        case "broadcast": return isRange && v.version == 4 && v.prefix < 31 ? .string(v.format(v.broadcast)) : .none
        case "net": return isRange && isNetworkAddress ? .string(v.cidrString) : .none
        case "subnet", "cidr", "network/prefix": return .string(v.cidrString)
        case "size": return v.size <= UInt128(Int.max) ? .int(Int(v.size)) : .string(String(v.size))
        case "version": return .int(v.version)
        case "int": return v.address <= UInt128(Int.max) ? .int(Int(v.address)) : .string(String(v.address))
        case "bool": return .bool(true)
        case "ipv4": return v.version == 4 ? .string(original) : .bool(false)
        case "ipv6": return v.version == 6 ? .string(original) : .bool(false)
        case "private": return v.isPrivate ? .string(original) : .none
        case "public": return v.isPrivate ? .none : .string(original)
        case "wrap", "ipwrap": return .string(v.version == 6 ? "[\(v.addressString)]" : v.addressString)
        case "first_usable":
            guard isRange, v.size > 2 || v.version == 6 else { return .none }
            return .string(v.format(v.network + (v.version == 4 ? 1 : 0)))
        case "last_usable":
            guard isRange, v.size > 2 || v.version == 6 else { return .none }
            return .string(v.format(v.version == 4 ? v.broadcast - 1 : v.broadcast))
        case "range_usable":
            guard isRange, v.size > 2 || v.version == 6 else { return .none }
            return .string("\(v.format(v.network + (v.version == 4 ? 1 : 0)))-\(v.format(v.version == 4 ? v.broadcast - 1 : v.broadcast))")
        case "next_usable":
            guard isRange, v.address < v.broadcast - (v.version == 4 ? 1 : 0) else { return .none }
            return .string(v.format(v.address + 1))
        case "previous_usable":
            guard isRange, v.address > v.network + (v.version == 4 ? 1 : 0) else { return .none }
            return .string(v.format(v.address - 1))
        case "loopback", "lo":
            let isLoopback = v.version == 4 ? (v.address >> 24) == 127 : v.address == 1
            return isLoopback ? .string(original) : .none
        case "multicast":
            let isMulticast = v.version == 4 ? (v.address >> 28) == 0xE : (v.address >> 120) == 0xFF
            return isMulticast ? .string(original) : .none
        case "unicast":
            let isMulticast = v.version == 4 ? (v.address >> 28) == 0xE : (v.address >> 120) == 0xFF
            return isMulticast ? .none : .string(original)
        case "link-local":
            let isLinkLocal = v.version == 4 ? (v.address >> 16) == 0xA9FE : (v.address >> 118) == (0xFE80 >> 6)
            return isLinkLocal ? .string(original) : .none
        case "revdns":
            if v.version == 4 {
                let octets: [String] = (0..<4).map { String((v.address >> UInt128($0 * 8)) & 0xFF) }
                return .string(octets.joined(separator: ".") + ".in-addr.arpa.")
            }
            let nibbles = (0..<32).map { String((v.address >> UInt128(124 - $0 * 4)) & 0xF, radix: 16) }
            return .string(nibbles.reversed().joined(separator: ".") + ".ip6.arpa.")
        default:
            throw RenderFailure("Unknown ipaddr query: \(query)", kind: .other)
        }
    }

    private static func indexQuery(_ v: IPNetwork, _ index: Int) -> Value {
        guard v.prefix < v.bits else { return .none }
        guard let address = nth(v, index) else { return .none }
        return .string("\(v.format(address))/\(v.prefix)")
    }
}
