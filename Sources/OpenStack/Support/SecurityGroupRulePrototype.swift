import Templating

/// openstack.cloud's security group rule prototype: the attributes a rule must have, in Neutron's
/// JSON names, with the "any port" spellings normalised away, and the match of a prototype against
/// existing rules (a rule matches when it has every attribute the prototype names).
struct SecurityGroupRulePrototype: Sendable, Equatable {
    /// Neutron field → value (`ethertype`, `protocol`, `port_range_min`, …).
    var fields: ValueDictionary

    /// Builds the prototype from one rule's options (`direction`, `ether_type`, `protocol`, ports,
    /// `remote_ip_prefix`, `description`) plus the group, project and resolved remote group ids.
    init(_ options: Arguments, securityGroupID: String, projectID: String?, remoteGroupID: String?) {
        var fields = ValueDictionary()
        for key in ["description", "direction", "remote_ip_prefix"] {
            if let value = options.string(key) { fields[key] = .string(value) }
        }
        if let projectID { fields["project_id"] = .string(projectID) }
        fields["security_group_id"] = .string(securityGroupID)
        if let remoteGroupID { fields["remote_group_id"] = .string(remoteGroupID) }
        if let etherType = options.string("ether_type") { fields["ethertype"] = .string(etherType) }
        let protocolName = options.string("protocol")
        if let protocolName, !["any", "0"].contains(protocolName) { fields["protocol"] = .string(protocolName) }
        let maximum = options.int("port_range_max")
        let minimum = options.int("port_range_min")
        switch protocolName {
        case "icmp"?, "ipv6-icmp"?, "tcp"?, "udp"?:
            // -1 means "any" for these protocols and is sent as null.
            if let maximum, maximum != -1 { fields["port_range_max"] = .int(maximum) }
            if let minimum, minimum != -1 { fields["port_range_min"] = .int(minimum) }
        case "any"?, "0"?:
            break
        default:
            if let maximum { fields["port_range_max"] = .int(maximum) }
            if let minimum { fields["port_range_min"] = .int(minimum) }
        }
        self.fields = fields
    }

    /// Whether an existing rule (Neutron JSON) satisfies the prototype. For tcp/udp, a full range given
    /// as 1–65535 matches a rule without ports, as in openstack.cloud.
    func matches(_ rule: ValueDictionary) -> Bool {
        var skip: Set<String> = []
        if let protocolName = fields["protocol"]?.string, ["tcp", "udp"].contains(protocolName) {
            if let maximum = fields["port_range_max"], [.int(-1), .int(65535)].contains(maximum) {
                guard (rule["port_range_max"] ?? Value.none) == .none else { return false }
                skip.insert("port_range_max")
            }
            if let minimum = fields["port_range_min"], [.int(-1), .int(1)].contains(minimum) {
                guard (rule["port_range_min"] ?? Value.none) == .none else { return false }
                skip.insert("port_range_min")
            }
        }
        for (key, value) in fields {
            guard let key = key.string, !skip.contains(key) else { continue }
            if (rule[key] ?? Value.none) != value { return false }
        }
        return true
    }

    /// A readable one-line form for diffs.
    var summary: String {
        let keys = ["direction", "ethertype", "protocol", "port_range_min", "port_range_max", "remote_ip_prefix", "remote_group_id", "description"]
        return keys.compactMap { key in fields[key].map { "\(key)=\(JSON.text($0, .compact))" } }.joined(separator: " ")
    }
}
