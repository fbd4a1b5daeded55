import ModuleAPI
import Templating

/// `openstack.cloud.networks_info` (legacy `os_networks_info`): networks by name or id and filters.
public struct NetworksInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "networks_info", legacy: ["os_networks_info"],
        options: ["name": OptionSpec(.string), "filters": OptionSpec(.dict)])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let all = try await context.network.list("/networks", key: "networks")
        let found = InfoSearch.filter(all, schema: .network, nameOrID: context.arguments.string("name"), filters: context.arguments.dict("filters"))
        return ModuleResult(values: ValueDictionary([("networks", .list(found.map(Value.dict)))]))
    }
}

/// `openstack.cloud.subnets_info` (legacy `os_subnets_info`): a subnet by id, else subnets by name and filters.
public struct SubnetsInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "subnets_info", legacy: ["os_subnets_info"],
        options: ["name": OptionSpec(.string, aliases: ["subnet"]), "filters": OptionSpec(.dict)])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let name = context.arguments.string("name")
        if let name, looksLikeID(name), let subnet = try await context.network.get("/subnets/\(name)", key: "subnet") {
            return ModuleResult(values: ValueDictionary([("subnets", .list([.dict(ResourceSchema.subnet.normalize(subnet))]))]))
        }
        var query: [(String, String)] = name.map { [("name", $0)] } ?? []
        for (key, value) in context.arguments.dict("filters") ?? ValueDictionary() {
            if let key = key.string, let text = Arguments.text(value) { query.append((key, text)) }
        }
        let found = try await context.network.list("/subnets", key: "subnets", query: query).map(ResourceSchema.subnet.normalize)
        return ModuleResult(values: ValueDictionary([("subnets", .list(found.map(Value.dict)))]))
    }
}

/// `openstack.cloud.routers_info`: routers by name or id and filters.
public struct RoutersInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "routers_info", options: ["name": OptionSpec(.string), "filters": OptionSpec(.dict, default: .dict(ValueDictionary()))])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let all = try await context.network.list("/routers", key: "routers")
        let found = InfoSearch.filter(all, schema: .router, nameOrID: context.arguments.string("name"), filters: context.arguments.dict("filters"))
        return ModuleResult(values: ValueDictionary([("routers", .list(found.map(Value.dict)))]))
    }
}

/// `openstack.cloud.port_info` (legacy `os_port_info`): ports by name or id and filters.
public struct PortInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "port_info", legacy: ["os_port_info"], options: ["name": OptionSpec(.string, aliases: ["port"]), "filters": OptionSpec(.dict)])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let all = try await context.network.list("/ports", key: "ports")
        let found = InfoSearch.filter(all, schema: .port, nameOrID: context.arguments.string("name"), filters: context.arguments.dict("filters"))
        return ModuleResult(values: ValueDictionary([("ports", .list(found.map(Value.dict)))]))
    }
}

/// `openstack.cloud.keypair_info`: the user's keypairs (Nova lists them wrapped in `{"keypair": …}`).
public struct KeypairInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "keypair_info",
        options: ["name": OptionSpec(.string), "user_id": OptionSpec(.string), "limit": OptionSpec(.int), "marker": OptionSpec(.string)])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        var query: [(String, String)] = []
        for key in ["user_id", "limit", "marker"] { if let value = arguments.string(key) { query.append((key, value)) } }
        let raw = try await context.compute(KeypairModule.microversion).list("/os-keypairs", key: "keypairs", query: query)
        let keypairs = raw.compactMap { $0["keypair"]?.dictionary ?? $0 }
        let found = InfoSearch.filter(keypairs, schema: .keypair, nameOrID: arguments.string("name"), filters: nil)
        return ModuleResult(values: ValueDictionary([("keypairs", .list(found.map(Value.dict)))]))
    }
}

/// `openstack.cloud.image_info` (legacy `os_image_info`): images by name or id and filters.
public struct ImageInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "image_info", legacy: ["os_image_info"],
        options: ["filters": OptionSpec(.dict, aliases: ["properties"]), "name": OptionSpec(.string, aliases: ["image"])])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let all = try await context.image.list("/images", key: "images")
        let found = InfoSearch.filter(all, schema: .image, nameOrID: context.arguments.string("name"), filters: context.arguments.dict("filters"))
        return ModuleResult(values: ValueDictionary([("images", .list(found.map(Value.dict)))]))
    }
}

/// `openstack.cloud.security_group_info`: security groups by server-side filters, then name or id.
public struct SecurityGroupInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "security_group_info",
        options: [
            "any_tags": OptionSpec(.list(elements: .string)), "description": OptionSpec(.string), "name": OptionSpec(.string),
            "not_any_tags": OptionSpec(.list(elements: .string)), "not_tags": OptionSpec(.list(elements: .string)),
            "project_id": OptionSpec(.string), "revision_number": OptionSpec(.int), "tags": OptionSpec(.list(elements: .string)),
        ])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        var query: [(String, String)] = []
        for key in ["description", "project_id", "revision_number"] { if let value = arguments.string(key) { query.append((key, value)) } }
        for key in ["tags", "any_tags", "not_tags", "not_any_tags"] {
            if let tags = arguments.strings(key), !tags.isEmpty { query.append((key.replacingOccurrences(of: "_", with: "-"), tags.joined(separator: ","))) }
        }
        let all = try await context.network.list("/security-groups", key: "security_groups", query: query)
        let found = InfoSearch.filter(all, schema: .securityGroup, nameOrID: arguments.string("name"), filters: nil)
        return ModuleResult(values: ValueDictionary([("security_groups", .list(found.map(Value.dict)))]))
    }
}

/// `openstack.cloud.security_group_rule_info`: rules by server-side filters.
public struct SecurityGroupRuleInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "security_group_rule_info",
        options: [
            "description": OptionSpec(.string), "direction": OptionSpec(.string, choices: ["egress", "ingress"]),
            "ether_type": OptionSpec(.string, choices: ["IPv4", "IPv6"], aliases: ["ethertype"]),
            "id": OptionSpec(.string, aliases: ["rule"]), "port_range_min": OptionSpec(.int), "port_range_max": OptionSpec(.int),
            "project": OptionSpec(.string), "protocol": OptionSpec(.string), "remote_group": OptionSpec(.string),
            "remote_ip_prefix": OptionSpec(.string), "revision_number": OptionSpec(.int), "security_group": OptionSpec(.string),
        ],
        mutuallyExclusive: [["remote_ip_prefix", "remote_group"]])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let empty = ModuleResult(values: ValueDictionary([("security_group_rules", .list([]))]))
        var query: [(String, String)] = []
        for (argument, field) in [
            ("description", "description"), ("direction", "direction"), ("ether_type", "ethertype"), ("id", "id"),
            ("port_range_min", "port_range_min"), ("port_range_max", "port_range_max"), ("protocol", "protocol"),
            ("remote_group", "remote_group_id"), ("revision_number", "revision_number"), ("remote_ip_prefix", "remote_ip_prefix"),
        ] {
            if let value = arguments.string(argument) { query.append((field, value)) }
        }
        if let project = arguments.string("project") {
            guard let id = try await context.findProject(project)?["id"]?.string else { return empty }
            query.append(("project_id", id))
        }
        if let group = arguments.string("security_group") {
            guard let id = try await context.findNeutron("security-groups", key: "security_group", nameOrID: group, label: "SecurityGroup")?["id"]?.string
            else { return empty }
            query.append(("security_group_id", id))
        }
        let rules = try await context.network.list("/security-group-rules", key: "security_group_rules", query: query)
        return ModuleResult(values: ValueDictionary([("security_group_rules", .list(rules.map { .dict(ResourceSchema.securityGroupRule.normalize($0)) }))]))
    }
}

/// `openstack.cloud.compute_flavor_info` (legacy `os_flavor_info`): flavors by name, with ram/vcpus/ephemeral
/// range filters (`">=512"`, `"<4"`, `"2"`) as openstacksdk's `range_search`.
public struct ComputeFlavorInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "compute_flavor_info", legacy: ["os_flavor_info"],
        options: [
            "ephemeral": OptionSpec(.string), "limit": OptionSpec(.int), "name": OptionSpec(.string),
            "ram": OptionSpec(.string), "vcpus": OptionSpec(.string),
        ])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        var flavors: [ValueDictionary]
        if let name = arguments.string("name") {
            flavors = try await ComputeFlavorModule.find(name, context: context).map { [$0] } ?? []
        } else {
            flavors = try await context.compute(ComputeFlavorModule.microversion).list("/flavors/detail", key: "flavors")
        }
        var normalized = flavors.map(ResourceSchema.flavor.normalize)
        for key in ["ephemeral", "ram", "vcpus"] {
            guard let expression = arguments.string(key) else { continue }
            normalized = normalized.filter { flavor in
                guard case .int(let value)? = flavor[key] else { return false }
                return RangeFilter(expression).map { $0.accepts(value) } ?? false
            }
        }
        if let limit = arguments.int("limit") { normalized = Array(normalized.prefix(limit)) }
        return ModuleResult(values: ValueDictionary([("flavors", .list(normalized.map(Value.dict)))]))
    }
}

/// A `range_search` expression: `N`, `<N`, `>N`, `<=N`, `>=N`.
struct RangeFilter {
    let comparison: String
    let bound: Int

    init?(_ expression: String) {
        let text = expression.trimmingCharacters(in: .whitespaces)
        for prefix in ["<=", ">=", "<", ">"] where text.hasPrefix(prefix) {
            guard let bound = Int(text.dropFirst(prefix.count)) else { return nil }
            self.comparison = prefix
            self.bound = bound
            return
        }
        guard let bound = Int(text) else { return nil }
        self.comparison = "=="
        self.bound = bound
    }

    func accepts(_ value: Int) -> Bool {
        switch comparison {
        case "<=": value <= bound
        case ">=": value >= bound
        case "<": value < bound
        case ">": value > bound
        default: value == bound
        }
    }
}

/// `openstack.cloud.server_info` (legacy `os_server_info`): servers by name or id and filters.
public struct ServerInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "server_info", legacy: ["os_server_info"],
        options: [
            "name": OptionSpec(.string, aliases: ["server"]), "detailed": OptionSpec(.bool, default: false),
            "filters": OptionSpec(.dict), "all_projects": OptionSpec(.bool, default: false),
        ])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let query: [(String, String)] = context.arguments.bool("all_projects") == true ? [("all_tenants", "True")] : []
        let all = try await context.compute(ServerModule.microversion).list("/servers/detail", key: "servers", query: query)
        let found = InfoSearch.filter(all, schema: .server, nameOrID: context.arguments.string("name"), filters: context.arguments.dict("filters"))
        return ModuleResult(values: ValueDictionary([("servers", .list(found.map(Value.dict)))]))
    }
}

/// `openstack.cloud.project_info` (legacy `os_project_info`): projects by name or id, domain and filters.
public struct ProjectInfoModule: Module {
    public static let spec = OpenStackArguments.spec(
        "project_info", legacy: ["os_project_info"],
        options: ["domain": OptionSpec(.string), "name": OptionSpec(.string), "filters": OptionSpec(.dict)])
    public init() {}
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        var filters = context.arguments.dict("filters") ?? ValueDictionary()
        if let domain = context.arguments.string("domain") {
            guard let id = try? await context.requireDomainID(domain) else {
                return ModuleResult(values: ValueDictionary([("projects", .list([]))]))
            }
            filters["domain_id"] = .string(id)
        }
        let all = try await context.identity.list("/projects", key: "projects")
        let found = InfoSearch.filter(all, schema: .project, nameOrID: context.arguments.string("name"), filters: filters)
        return ModuleResult(values: ValueDictionary([("projects", .list(found.map(Value.dict)))]))
    }
}
