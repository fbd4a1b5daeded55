import ModuleAPI
import Templating

/// `openstack.cloud.identity_user` (legacy `os_user`): a Keystone user.
///
/// Same arguments (`password` is never logged; `update_password: on_create|always`), lookup
/// (`find_user(name[, domain_id])`) and `user` result as openstack.cloud 2.6. With
/// `update_password: always` the password is sent on every run and the task reports changed, as there
/// is no way to read a password back.
public struct IdentityUserModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "identity_user", legacy: ["os_user"],
        options: [
            "default_project": OptionSpec(.string),
            "description": OptionSpec(.string),
            "domain": OptionSpec(.string),
            "email": OptionSpec(.string),
            "is_enabled": OptionSpec(.bool, default: true, aliases: ["enabled"]),
            "name": OptionSpec(.string, required: true),
            "password": OptionSpec(.string, noLog: true),
            "state": OpenStackArguments.state,
            "update_password": OptionSpec(.string, default: "on_create", choices: ["always", "on_create"]),
        ])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let user: ValueDictionary?
        let domainID: String?
        let defaultProjectID: String?
    }

    public typealias Change = ResourceChange

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let domainID = try await arguments.string("domain").asyncMap { try await context.requireDomainID($0) }
        let projectID = try await arguments.string("default_project").asyncMap { try await context.requireProjectID($0, domainID: domainID) }
        let name = arguments.string("name") ?? ""
        var user: ValueDictionary?
        if looksLikeID(name) { user = try await context.identity.get("/users/\(name)", key: "user") }
        if user == nil {
            var query = [("name", name)]
            if let domainID { query.append(("domain_id", domainID)) }
            let matches = try await context.identity.list("/users", key: "users", query: query)
            guard matches.count <= 1 else { throw OpenStackModuleError("More than one User exists with the name '\(name)'.") }
            user = matches.first
        }
        return Observed(context: context, user: user, domainID: domainID, defaultProjectID: projectID)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "user '\(arguments.string("name") ?? "")'"
        guard arguments.state == "present" else {
            guard let user = observed.user, let id = user["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: user, after: nil, fields: ["id", "name"])])
        }
        if arguments.string("update_password") == "always", arguments.string("password") == nil {
            throw OpenStackModuleError("update_password is 'always' but password is missing")
        }
        var wanted = ValueDictionary()
        for (argument, field) in [("description", "description"), ("email", "email"), ("is_enabled", "enabled"), ("name", "name")] {
            if let value = arguments.value(argument) { wanted[field] = value }
        }
        if let domainID = observed.domainID { wanted["domain_id"] = .string(domainID) }
        if let projectID = observed.defaultProjectID { wanted["default_project_id"] = .string(projectID) }
        guard let user = observed.user, let id = user["id"]?.string else {
            var body = wanted
            if let password = arguments.value("password") { body["password"] = password }
            return Planned(.create(body: body), diffs: [ResourceDiff.make(label, before: nil, after: wanted)])
        }
        if let domainID = observed.domainID, user["domain_id"]?.string != domainID {
            throw OpenStackModuleError("Cannot update parameters ['domain_id']")
        }
        var body = ValueDictionary()
        for (key, value) in wanted where key != "domain_id" && user[key] != value { body[key] = value }
        var fields = body.keys.compactMap(\.string)
        if arguments.string("update_password") == "always", let password = arguments.value("password") {
            body["password"] = password
            fields.append("password")
        }
        guard !body.isEmpty else { return nil }
        var after = user
        for (key, value) in body where key != "password" { after[key] = value }
        after["password"] = fields.contains("password") ? "********" : nil
        return Planned(.update(id: id, body: body), diffs: [ResourceDiff.make(label, before: user, after: after, fields: fields)])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        try await change.applyToIdentity(
            observed.context.identity, collection: "/users", key: "user", schema: ResourceSchema.user)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let user = observed.user else { return ModuleResult(changed: false) }
        return .resource("user", ResourceSchema.user.normalize(user), changed: false)
    }
}
