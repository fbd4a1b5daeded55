import ModuleAPI
import Templating

/// `openstack.cloud.role_assignment` (legacy `os_user_role`): grants or revokes a Keystone role for a
/// user or group on a project, domain or the system.
///
/// Same arguments, scope precedence (project over domain over system) and result (`changed` only) as
/// openstack.cloud 2.6.
public struct RoleAssignmentModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "role_assignment", legacy: ["os_user_role"],
        options: [
            "domain": OptionSpec(.string),
            "group": OptionSpec(.string),
            "group_domain": OptionSpec(.string),
            "project": OptionSpec(.string),
            "project_domain": OptionSpec(.string),
            "role": OptionSpec(.string, required: true),
            "role_domain": OptionSpec(.string),
            "state": OpenStackArguments.state,
            "system": OptionSpec(.string),
            "user": OptionSpec(.string),
            "user_domain": OptionSpec(.string),
        ],
        mutuallyExclusive: [["user", "group"], ["project", "system"]],
        requiredOneOf: [["user", "group"], ["domain", "project", "system"]])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        /// `/projects/{id}/users/{id}/roles/{id}` and the like.
        let grantPath: String
        let assigned: Bool
    }

    public enum Change: Sendable {
        case grant(path: String)
        case revoke(path: String)
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let identity = context.identity
        func find(_ collection: String, key: String, _ nameOrID: String, domainID: String?) async throws -> String {
            if looksLikeID(nameOrID), let found = try await identity.get("/\(collection)/\(nameOrID)", key: key), let id = found["id"]?.string {
                return id
            }
            var query = [("name", nameOrID)]
            if let domainID { query.append(("domain_id", domainID)) }
            let matches = try await identity.list("/\(collection)", key: collection, query: query)
            guard matches.count <= 1 else { throw OpenStackModuleError("More than one \(key.capitalized) exists with the name '\(nameOrID)'.") }
            guard let id = matches.first?["id"]?.string else { throw OpenStackModuleError("No \(key.capitalized) found for \(nameOrID)") }
            return id
        }
        let roleDomain = try await arguments.string("role_domain").asyncMap { try await context.requireDomainID($0) }
        let roleID = try await find("roles", key: "role", arguments.string("role") ?? "", domainID: roleDomain)
        let scopeDomain = try await arguments.string("domain").asyncMap { try await context.requireDomainID($0) }
        var actor: String
        var query = [("role.id", roleID)]
        if let user = arguments.string("user") {
            let domain = try await arguments.string("user_domain").asyncMap { try await context.requireDomainID($0) } ?? scopeDomain
            let id = try await find("users", key: "user", user, domainID: domain)
            actor = "users/\(id)"
            query.append(("user.id", id))
        } else {
            let domain = try await arguments.string("group_domain").asyncMap { try await context.requireDomainID($0) } ?? scopeDomain
            let id = try await find("groups", key: "group", arguments.string("group") ?? "", domainID: domain)
            actor = "groups/\(id)"
            query.append(("group.id", id))
        }
        let scope: String
        if let project = arguments.string("project") {
            let domain = try await arguments.string("project_domain").asyncMap { try await context.requireDomainID($0) } ?? scopeDomain
            let id = try await find("projects", key: "project", project, domainID: domain)
            scope = "projects/\(id)"
            query.append(("scope.project.id", id))
        } else if let scopeDomain {
            scope = "domains/\(scopeDomain)"
            query.append(("scope.domain.id", scopeDomain))
        } else {
            let system = arguments.string("system") ?? "all"
            scope = "system"
            query.append(("scope.system", system))
        }
        let assignments = try await identity.list("/role_assignments", key: "role_assignments", query: query)
        return Observed(context: context, grantPath: "/\(scope)/\(actor)/roles/\(roleID)", assigned: !assignments.isEmpty)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let present = observed.context.arguments.state == "present"
        guard present != observed.assigned else { return nil }
        let label = "role assignment \(observed.grantPath)"
        return Planned(
            present ? .grant(path: observed.grantPath) : .revoke(path: observed.grantPath),
            diffs: [FileDiff(before: present ? "" : "assigned\n", after: present ? "assigned\n" : "", beforeHeader: label, afterHeader: label)])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        switch change {
        case .grant(let path): _ = try await observed.context.session.send("identity", "PUT", path)
        case .revoke(let path): _ = try await observed.context.session.send("identity", "DELETE", path)
        }
        return ModuleResult(changed: true)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        ModuleResult(changed: false)
    }
}
