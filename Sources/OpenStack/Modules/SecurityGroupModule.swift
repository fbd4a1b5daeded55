import ModuleAPI
import Templating

/// `openstack.cloud.security_group` (legacy `os_security_group`): a security group and, when
/// `security_group_rules` is given, exactly those rules (rules not listed are deleted).
///
/// Same arguments, rule matching and `security_group` result as openstack.cloud 2.6; the rule options'
/// defaults (`direction: ingress`, `ether_type: IPv4`) are applied here when the engine passes a rule
/// without them.
public struct SecurityGroupModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "security_group", legacy: ["os_security_group"],
        options: [
            "description": OptionSpec(.string),
            "name": OptionSpec(.string, required: true),
            "project": OptionSpec(.string),
            "security_group_rules": OptionSpec(
                .list(elements: .dictOf(ArgumentSpec([
                    "description": OptionSpec(.string),
                    "direction": OptionSpec(.string, default: "ingress", choices: ["egress", "ingress"]),
                    "ether_type": OptionSpec(.string, default: "IPv4", choices: ["IPv4", "IPv6"]),
                    "port_range_max": OptionSpec(.int),
                    "port_range_min": OptionSpec(.int),
                    "protocol": OptionSpec(.string),
                    "remote_group": OptionSpec(.string),
                    "remote_ip_prefix": OptionSpec(.string),
                ])))),
            "state": OpenStackArguments.state,
            "stateful": OptionSpec(.bool),
        ])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let group: ValueDictionary?
        let projectID: String?
        /// Remote groups named by the rules, resolved to ids (the group itself resolves after creation).
        let remoteGroupIDs: [String: String]
    }

    public struct RuleChanges: Sendable {
        var create: [SecurityGroupRulePrototype] = []
        var delete: [String] = []
    }

    public enum Change: Sendable {
        case create(body: ValueDictionary)
        case update(id: String, body: ValueDictionary, rules: RuleChanges)
        case delete(id: String)
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let projectID = try await arguments.string("project").asyncMap { try await context.requireProjectID($0) }
        let name = arguments.string("name") ?? ""
        let group = try await context.findNeutron(
            "security-groups", key: "security_group", nameOrID: name, filters: projectID.map { [("project_id", $0)] } ?? [],
            label: "SecurityGroup")
        var remote: [String: String] = [:]
        for rule in arguments.list("security_group_rules") ?? [] {
            guard let remoteName = Arguments(rule.dictionary ?? ValueDictionary()).string("remote_group"),
                remoteName != name, remoteName != group?["id"]?.string, remote[remoteName] == nil
            else { continue }
            remote[remoteName] = try await context.requireNeutron(
                "security-groups", key: "security_group", nameOrID: remoteName, label: "SecurityGroup")["id"]?.string
        }
        return Observed(context: context, group: group, projectID: projectID, remoteGroupIDs: remote)
    }

    /// The prototypes of the requested rules for a group with `id` in `projectID`.
    private func prototypes(_ observed: Observed, groupID: String, projectID: String?) -> [SecurityGroupRulePrototype]? {
        let arguments = observed.context.arguments
        guard let rules = arguments.list("security_group_rules") else { return nil }
        let name = arguments.string("name") ?? ""
        return rules.map { rule in
            var options = rule.dictionary ?? ValueDictionary()
            if Arguments(options).string("direction") == nil { options["direction"] = "ingress" }
            if Arguments(options).string("ether_type") == nil { options["ether_type"] = "IPv4" }
            let remoteName = Arguments(options).string("remote_group")
            let remoteID = remoteName.map { $0 == name || $0 == groupID ? groupID : observed.remoteGroupIDs[$0] ?? $0 }
            return SecurityGroupRulePrototype(Arguments(options), securityGroupID: groupID, projectID: projectID, remoteGroupID: remoteID)
        }
    }

    private func ruleChanges(_ observed: Observed, group: ValueDictionary) throws -> RuleChanges {
        let groupID = group["id"]?.string ?? ""
        guard let prototypes = prototypes(observed, groupID: groupID, projectID: group["project_id"]?.string) else {
            return RuleChanges()
        }
        let existing = (group["security_group_rules"]?.array ?? []).compactMap(\.dictionary)
        var keep: Set<String> = []
        var changes = RuleChanges()
        for prototype in prototypes {
            let matches = existing.filter(prototype.matches)
            guard matches.count <= 1 else {
                throw OpenStackModuleError("Found more a single matching security group rule which match the given parameters.")
            }
            if let id = matches.first?["id"]?.string { keep.insert(id) } else { changes.create.append(prototype) }
        }
        changes.delete = existing.compactMap { $0["id"]?.string }.filter { !keep.contains($0) }
        return changes
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "security group '\(arguments.string("name") ?? "")'"
        guard arguments.state == "present" else {
            guard let group = observed.group, let id = group["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: group, after: nil, fields: ["id", "name"])])
        }
        guard let group = observed.group, let id = group["id"]?.string else {
            var body = ValueDictionary()
            for key in ["description", "name", "stateful"] { if let value = arguments.value(key) { body[key] = value } }
            if let projectID = observed.projectID { body["project_id"] = .string(projectID) }
            var after = body
            if let prototypes = prototypes(observed, groupID: "(new)", projectID: observed.projectID) {
                after["security_group_rules"] = .list(prototypes.map { .string($0.summary) })
            }
            return Planned(.create(body: body), diffs: [ResourceDiff.make(label, before: nil, after: after)])
        }
        var body = ValueDictionary()
        if let description = arguments.value("description"), group["description"] != description { body["description"] = description }
        let rules = try ruleChanges(observed, group: group)
        guard !body.isEmpty || !rules.create.isEmpty || !rules.delete.isEmpty else { return nil }
        let existing = (group["security_group_rules"]?.array ?? []).compactMap(\.dictionary)
        let summaries = existing.map { rule -> (String, String) in
            var options = ValueDictionary()
            for (key, value) in rule { if let key = key.string { options[key == "ethertype" ? "ether_type" : key] = value } }
            return (rule["id"]?.string ?? "", SecurityGroupRulePrototype(Arguments(options), securityGroupID: id, projectID: nil, remoteGroupID: rule["remote_group_id"]?.string).summary)
        }
        let before = summaries.map(\.1).joined(separator: "\n")
        let after = (summaries.filter { !rules.delete.contains($0.0) }.map(\.1) + rules.create.map(\.summary)).joined(separator: "\n")
        var diffs = [FileDiff(before: before + "\n", after: after + "\n", beforeHeader: "\(label) rules (current)", afterHeader: "\(label) rules (planned)")]
        if !body.isEmpty {
            var planned = group
            for (key, value) in body { planned[key] = value }
            diffs.insert(ResourceDiff.make(label, before: group, after: planned, fields: ["description"]), at: 0)
        }
        return Planned(.update(id: id, body: body, rules: rules), diffs: diffs)
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.context.network
        switch change {
        case .create(let body):
            var group = try await api.create("/security-groups", key: "security_group", body: body)
            let rules = try ruleChanges(observed, group: group)
            if !rules.create.isEmpty || !rules.delete.isEmpty, let id = group["id"]?.string {
                try await applyRules(rules, api: api)
                group = try await api.get("/security-groups/\(id)", key: "security_group") ?? group
            }
            return .resource("security_group", ResourceSchema.securityGroup.normalize(group), changed: true)
        case .update(let id, let body, let rules):
            var group = body.isEmpty ? observed.group ?? ValueDictionary() : try await api.update("/security-groups/\(id)", key: "security_group", body: body)
            if !rules.create.isEmpty || !rules.delete.isEmpty {
                try await applyRules(rules, api: api)
                group = try await api.get("/security-groups/\(id)", key: "security_group") ?? group
            }
            return .resource("security_group", ResourceSchema.securityGroup.normalize(group), changed: true)
        case .delete(let id):
            try await api.delete("/security-groups/\(id)")
            return ModuleResult(changed: true)
        }
    }

    private func applyRules(_ rules: RuleChanges, api: ResourceAPI) async throws {
        for id in rules.delete { try await api.delete("/security-group-rules/\(id)") }
        guard !rules.create.isEmpty else { return }
        // One bulk request, as openstacksdk's `create_security_group_rules`.
        _ = try await api.session.send(
            "network", "POST", "/security-group-rules",
            json: .object(["security_group_rules": .list(rules.create.map { .dict($0.fields) })]))
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let group = observed.group else { return ModuleResult(changed: false) }
        return .resource("security_group", ResourceSchema.securityGroup.normalize(group), changed: false)
    }
}
