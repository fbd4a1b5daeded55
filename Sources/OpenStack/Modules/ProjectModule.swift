import ModuleAPI
import Templating

/// `openstack.cloud.project` (legacy `os_project`): a Keystone project.
///
/// Same arguments, lookup (`find_project(name[, domain_id])`), updatable attributes (description,
/// is_enabled, extra_specs keys) and `project` result as openstack.cloud 2.6.
public struct ProjectModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "project", legacy: ["os_project"],
        options: [
            "description": OptionSpec(.string),
            "domain": OptionSpec(.string, aliases: ["domain_id"]),
            "extra_specs": OptionSpec(.dict, aliases: ["properties"]),
            "is_enabled": OptionSpec(.bool, aliases: ["enabled"]),
            "name": OptionSpec(.string, required: true),
            "state": OpenStackArguments.state,
        ])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let project: ValueDictionary?
        let domainID: String?
    }

    public typealias Change = ResourceChange

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let domainID = try await context.arguments.string("domain").asyncMap { try await context.requireDomainID($0) }
        let project = try await context.findProject(context.arguments.string("name") ?? "", domainID: domainID)
        return Observed(context: context, project: project, domainID: domainID)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "project '\(arguments.string("name") ?? "")'"
        guard arguments.state == "present" else {
            guard let project = observed.project, let id = project["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: project, after: nil, fields: ["id", "name"])])
        }
        var wanted = ValueDictionary()
        if let description = arguments.value("description") { wanted["description"] = description }
        if let enabled = arguments.value("is_enabled") { wanted["enabled"] = enabled }
        let extra = arguments.dict("extra_specs") ?? ValueDictionary()
        let duplicates = extra.keys.compactMap(\.string).filter { ["description", "is_enabled"].contains($0) && arguments.value($0) != nil }
        if !duplicates.isEmpty { throw OpenStackModuleError("Duplicate key(s) in extra_specs: \(duplicates.joined(separator: ", "))") }
        for (key, value) in extra { wanted[key] = value }
        guard let project = observed.project, let id = project["id"]?.string else {
            var body = wanted
            body["name"] = arguments.value("name")
            if let domainID = observed.domainID { body["domain_id"] = .string(domainID) }
            return Planned(.create(body: body), diffs: [ResourceDiff.make(label, before: nil, after: body)])
        }
        var body = ValueDictionary()
        for (key, value) in wanted where project[key] != value { body[key] = value }
        guard !body.isEmpty else { return nil }
        var after = project
        for (key, value) in body { after[key] = value }
        return Planned(.update(id: id, body: body), diffs: [ResourceDiff.make(label, before: project, after: after, fields: body.keys.compactMap(\.string))])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        try await change.applyToIdentity(
            observed.context.identity, collection: "/projects", key: "project", schema: ResourceSchema.project)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let project = observed.project else { return ModuleResult(changed: false) }
        return .resource("project", ResourceSchema.project.normalize(project), changed: false)
    }
}
