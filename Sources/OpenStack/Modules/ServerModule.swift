import Foundation
import ModuleAPI
import Templating

/// `openstack.cloud.server` (legacy `os_server`): a Nova server, booted from an image with a flavor,
/// networks, key, security groups, user data and metadata; deleted with its floating IPs on request.
///
/// Same arguments, lookup (`find_server(name)`) and `server` result as openstack.cloud 2.6; updates cover
/// security groups (as a set), metadata, description and tags. Deliberate differences:
/// - `metadata` and `tags` are merged, not replaced: keys and tags the task does not name are kept, so
///   omitting them (tags default to `[]`) no longer purges what other tools set.
/// - Boot from volume (`boot_volume`, `boot_from_volume`, `volumes`) is not supported: no Cinder on the
///   test bed. `auto_ip` allocates from the cloud's only external network when there is exactly one.
public struct ServerModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "server", legacy: ["os_server"],
        options: [
            "auto_ip": OptionSpec(.bool, default: true, aliases: ["auto_floating_ip", "public_ip"]),
            "availability_zone": OptionSpec(.string),
            "boot_from_volume": OptionSpec(.bool, default: false),
            "boot_volume": OptionSpec(.string, aliases: ["root_volume"]),
            "config_drive": OptionSpec(.bool, default: false),
            "delete_ips": OptionSpec(.bool, default: false, aliases: ["delete_fip"]),
            "description": OptionSpec(.string),
            "flavor": OptionSpec(.string),
            "flavor_include": OptionSpec(.string),
            "flavor_ram": OptionSpec(.int),
            "floating_ip_pools": OptionSpec(.list(elements: .string)),
            "floating_ips": OptionSpec(.list(elements: .string)),
            "image": OptionSpec(.string),
            "image_exclude": OptionSpec(.string, default: "(deprecated)"),
            "key_name": OptionSpec(.string),
            "metadata": OptionSpec(.raw, aliases: ["meta"]),
            "name": OptionSpec(.string, required: true),
            "network": OptionSpec(.string),
            "nics": OptionSpec(.list(elements: .raw), default: .list([])),
            "reuse_ips": OptionSpec(.bool, default: true),
            "scheduler_hints": OptionSpec(.dict),
            "security_groups": OptionSpec(.list(elements: .string)),
            "state": OpenStackArguments.state,
            "tags": OptionSpec(.list(elements: .string), default: .list([])),
            "terminate_volume": OptionSpec(.bool, default: false),
            "userdata": OptionSpec(.string),
            "volume_size": OptionSpec(.int),
            "volumes": OptionSpec(.list(elements: .string), default: .list([])),
        ],
        mutuallyExclusive: [
            ["auto_ip", "floating_ips", "floating_ip_pools"], ["flavor", "flavor_ram"], ["image", "boot_volume"],
            ["boot_from_volume", "boot_volume"], ["nics", "network"],
        ],
        requiredIf: [("boot_from_volume", true, ["volume_size", "image"])])

    /// openstacksdk's `Server._max_microversion`, negotiated down to what Nova offers.
    static let microversion = Microversion(2, 100)

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let server: ValueDictionary?
    }

    public struct Update: Sendable {
        var metadata = ValueDictionary()
        var description: Value?
        var addTags: [String] = []
        var addGroups: [String] = []
        var removeGroups: [String] = []
    }

    public enum Change: Sendable {
        case create
        case update(id: String, Update)
        case delete(id: String)
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let name = context.arguments.string("name") ?? ""
        let api = context.compute(Self.microversion)
        if looksLikeID(name), let server = try await api.get("/servers/\(name)", key: "server") {
            return Observed(context: context, server: server)
        }
        let escaped = NSRegularExpression.escapedPattern(for: name)
        let matches = try await api.list("/servers/detail", key: "servers", query: [("name", "^\(escaped)$")]).filter {
            $0["name"]?.string == name
        }
        guard matches.count <= 1 else { throw OpenStackModuleError("More than one Server exists with the name '\(name)'.") }
        return Observed(context: context, server: matches.first)
    }

    /// `metadata` as a dict, or openstack.cloud's `k=v,k2=v2` string form.
    static func metadata(_ value: Value?) -> ValueDictionary {
        switch value {
        case .dict(let dictionary)?:
            return ValueDictionary(dictionary.map { ($0.key, Arguments.text($0.value).map(Value.string) ?? $0.value) })
        case .string(let text)?:
            var result = ValueDictionary()
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { result[parts[0]] = .string(parts[1]) }
            }
            return result
        default:
            return ValueDictionary()
        }
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "server '\(arguments.string("name") ?? "")'"
        guard arguments.state == "present" else {
            guard let server = observed.server, let id = server["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: server, after: nil, fields: ["id", "name", "status"])])
        }
        guard let server = observed.server, let id = server["id"]?.string else {
            if !arguments.wait {
                for key in ["auto_ip", "floating_ips", "floating_ip_pools"] where Self.isSet(arguments.value(key)) {
                    throw OpenStackModuleError("Option '\(key)' requires 'wait: true'")
                }
            }
            if arguments.string("image") == nil { throw OpenStackModuleError("state is present but any of the following are missing: image, boot_volume") }
            if arguments.string("flavor") == nil, arguments.int("flavor_ram") == nil {
                throw OpenStackModuleError("state is present but any of the following are missing: flavor, flavor_ram")
            }
            var after = ValueDictionary()
            for key in ["name", "image", "flavor", "flavor_ram", "key_name", "network", "nics", "security_groups", "availability_zone"] {
                if let value = arguments.value(key) { after[key] = value }
            }
            return Planned(.create, diffs: [ResourceDiff.make(label, before: nil, after: after)])
        }
        let status = server["status"]?.string ?? ""
        guard ["ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED", "BUILD"].contains(status) else {
            throw OpenStackModuleError("The instance is available but not Active state: \(status)")
        }
        var update = Update()
        let current = server["metadata"]?.dictionary ?? ValueDictionary()
        for (key, value) in Self.metadata(arguments.value("metadata")) where current[key] != value { update.metadata[key] = value }
        if let description = arguments.value("description"), server["description"] != description { update.description = description }
        let currentTags = Set((server["tags"]?.array ?? []).compactMap(\.string))
        update.addTags = (arguments.strings("tags") ?? []).filter { !currentTags.contains($0) }
        if let groups = arguments.strings("security_groups") {
            let currentGroups = Set((server["security_groups"]?.array ?? []).compactMap { $0.dictionary?["name"]?.string })
            update.addGroups = groups.filter { !currentGroups.contains($0) }
            update.removeGroups = currentGroups.filter { !groups.contains($0) }.sorted()
        }
        guard !update.metadata.isEmpty || update.description != nil || !update.addTags.isEmpty || !update.addGroups.isEmpty
            || !update.removeGroups.isEmpty
        else { return nil }
        var after = server
        var merged = current
        for (key, value) in update.metadata { merged[key] = value }
        after["metadata"] = .dict(merged)
        if let description = update.description { after["description"] = description }
        after["tags"] = .list((Array(currentTags).sorted() + update.addTags).map(Value.string))
        return Planned(.update(id: id, update), diffs: [ResourceDiff.make(label, before: server, after: after, fields: ["metadata", "description", "tags", "security_groups"])])
    }

    static func isSet(_ value: Value?) -> Bool {
        switch value {
        case .bool(let flag)?: flag
        case .list(let items)?: !items.isEmpty
        case nil, .none?: false
        default: true
        }
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let context = observed.context
        let api = context.compute(Self.microversion)
        switch change {
        case .delete(let id):
            if context.arguments.bool("delete_ips") == true {
                for fip in try await ServerNetworking.floatingIPs(ofServer: id, context: context) {
                    if let fipID = fip["id"]?.string { try await context.network.delete("/floatingips/\(fipID)") }
                }
            }
            try await api.delete("/servers/\(id)")
            if context.arguments.wait {
                _ = try await context.poll("server \(id) to be deleted", timeout: context.arguments.timeout) {
                    try await api.get("/servers/\(id)", key: "server") == nil ? true : nil
                }
            }
            return ModuleResult(changed: true)
        case .create:
            let body = try await ServerNetworking.createBody(context)
            let response = try await context.session.send("compute", "POST", "/servers", json: .dict(body), microversion: Self.microversion)
            let id = try response.json().dictionary?["server"]?.dictionary?["id"]?.string ?? ""
            var server = try await api.get("/servers/\(id)", key: "server") ?? ValueDictionary()
            if context.arguments.wait {
                server = try await context.poll("server \(id) to become ACTIVE", timeout: context.arguments.timeout) {
                    let current = try await api.get("/servers/\(id)", key: "server")
                    if current?["status"]?.string == "ERROR" {
                        let fault = current?["fault"]?.dictionary?["message"]?.string ?? "unknown fault"
                        throw OpenStackModuleError("Error in creating the server (Nova fault: \(fault))")
                    }
                    return current?["status"]?.string == "ACTIVE" ? current : nil
                }
                let bound = Set(try await ServerNetworking.addFloatingIPs(to: id, context: context))
                // As openstacksdk does: wait until Nova's view of the server (refreshed by Neutron's
                // network-changed event) lists the new floating addresses, so the result carries them.
                server = try await context.poll("the floating IP to be attached", timeout: context.arguments.timeout) {
                    let current = try await api.get("/servers/\(id)", key: "server")
                    return current.map { bound.isSubset(of: ServerNetworking.floatingAddresses($0)) } == true ? current : nil
                }
            }
            return .resource("server", ResourceSchema.server.normalize(server), changed: true)
        case .update(let id, let update):
            if !update.metadata.isEmpty {
                _ = try await context.session.send(
                    "compute", "POST", "/servers/\(id)/metadata", json: .object(["metadata": .dict(update.metadata)]),
                    microversion: Self.microversion)
            }
            if let description = update.description {
                _ = try await context.session.send(
                    "compute", "PUT", "/servers/\(id)", json: .object(["server": .object(["description": description])]),
                    microversion: Self.microversion)
            }
            for tag in update.addTags {
                let escaped = tag.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? tag
                _ = try await context.session.send("compute", "PUT", "/servers/\(id)/tags/\(escaped)", microversion: Self.microversion)
            }
            for group in update.addGroups {
                _ = try await context.session.send(
                    "compute", "POST", "/servers/\(id)/action", json: .object(["addSecurityGroup": .object(["name": .string(group)])]),
                    microversion: Self.microversion)
            }
            for group in update.removeGroups {
                _ = try await context.session.send(
                    "compute", "POST", "/servers/\(id)/action", json: .object(["removeSecurityGroup": .object(["name": .string(group)])]),
                    microversion: Self.microversion)
            }
            let server = try await api.get("/servers/\(id)", key: "server") ?? ValueDictionary()
            return .resource("server", ResourceSchema.server.normalize(server), changed: true)
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let server = observed.server else { return ModuleResult(changed: false) }
        return .resource("server", ResourceSchema.server.normalize(server), changed: false)
    }
}
