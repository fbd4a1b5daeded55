import ModuleAPI
import Templating

/// `openstack.cloud.security_group_rule` (legacy `os_security_group_rule`): one rule of a security group.
///
/// Same arguments, prototype matching (a rule is never updated: a different description is a new rule)
/// and `rule` result as openstack.cloud 2.6. Deliberate difference: `security_group: default` with an
/// admin token picks the `default` group of the project the token is scoped to, where openstack.cloud
/// fails because every project has one. `state: absent` on a group that no longer exists is not an error.
public struct SecurityGroupRuleModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "security_group_rule", legacy: ["os_security_group_rule"],
        options: [
            "description": OptionSpec(.string),
            "direction": OptionSpec(.string, default: "ingress", choices: ["egress", "ingress"]),
            "ether_type": OptionSpec(.string, default: "IPv4", choices: ["IPv4", "IPv6"], aliases: ["ethertype"]),
            "port_range_max": OptionSpec(.int),
            "port_range_min": OptionSpec(.int),
            "project": OptionSpec(.string),
            "protocol": OptionSpec(.string),
            "remote_group": OptionSpec(.string),
            "remote_ip_prefix": OptionSpec(.string),
            "security_group": OptionSpec(.string, required: true),
            "state": OpenStackArguments.state,
        ],
        mutuallyExclusive: [["remote_ip_prefix", "remote_group"]])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let prototype: SecurityGroupRulePrototype
        let rule: ValueDictionary?
    }

    public enum Change: Sendable {
        case create(body: ValueDictionary)
        case delete(id: String)
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let projectID = try await arguments.string("project").asyncMap { try await context.requireProjectID($0) }
        let groupName = arguments.string("security_group") ?? ""
        guard let group = try await context.findNeutron(
            "security-groups", key: "security_group", nameOrID: groupName,
            filters: projectID.map { [("project_id", $0)] } ?? [], label: "SecurityGroup")
        else {
            // The rules of a deleted group are gone with it.
            if arguments.state == "absent" {
                return Observed(
                    context: context,
                    prototype: SecurityGroupRulePrototype(arguments, securityGroupID: "", projectID: projectID, remoteGroupID: nil),
                    rule: nil)
            }
            throw OpenStackModuleError("No SecurityGroup found for \(groupName)")
        }
        let remoteGroupID = try await arguments.string("remote_group").asyncMap {
            try await context.requireNeutron("security-groups", key: "security_group", nameOrID: $0, label: "SecurityGroup")["id"]?.string ?? ""
        }
        let prototype = SecurityGroupRulePrototype(
            arguments, securityGroupID: group["id"]?.string ?? "", projectID: projectID, remoteGroupID: remoteGroupID)
        let matches = (group["security_group_rules"]?.array ?? []).compactMap(\.dictionary).filter(prototype.matches)
        guard matches.count <= 1 else {
            throw OpenStackModuleError("Found more a single matching security group rule which match the given parameters.")
        }
        return Observed(context: context, prototype: prototype, rule: matches.first.map(ResourceSchema.securityGroupRule.normalize))
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let label = "security group rule in '\(observed.context.arguments.string("security_group") ?? "")'"
        if observed.context.arguments.state == "absent" {
            guard let rule = observed.rule, let id = rule["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [FileDiff(before: observed.prototype.summary + "\n", after: "", beforeHeader: label, afterHeader: label)])
        }
        guard observed.rule == nil else { return nil }
        return Planned(
            .create(body: observed.prototype.fields),
            diffs: [FileDiff(before: "", after: observed.prototype.summary + "\n", beforeHeader: label, afterHeader: label)])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.context.network
        switch change {
        case .create(let body):
            let created = try await api.create("/security-group-rules", key: "security_group_rule", body: body)
            return .resource("rule", ResourceSchema.securityGroupRule.normalize(created), changed: true)
        case .delete(let id):
            try await api.delete("/security-group-rules/\(id)")
            return ModuleResult(changed: true)
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let rule = observed.rule else { return ModuleResult(changed: false) }
        return .resource("rule", rule, changed: false)
    }
}
