import ModuleAPI
import Templating

/// `openstack.cloud.compute_flavor` (legacy `os_nova_flavor`): a Nova flavor and its extra specs.
///
/// Same arguments, lookup and `flavor` result as openstack.cloud 2.6; a change of ram, vcpus, disk,
/// ephemeral, swap, rxtx_factor, is_public or description replaces the flavor (Nova flavors are
/// immutable), as openstack.cloud does. Deliberate difference: when `extra_specs` is omitted the existing
/// extra specs are kept (openstack.cloud deletes them all).
public struct ComputeFlavorModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "compute_flavor", legacy: ["os_nova_flavor"],
        options: [
            "description": OptionSpec(.string),
            "disk": OptionSpec(.int),
            "ephemeral": OptionSpec(.int),
            "extra_specs": OptionSpec(.dict),
            "id": OptionSpec(.string, aliases: ["flavorid"]),
            "is_public": OptionSpec(.bool),
            "name": OptionSpec(.string, required: true),
            "ram": OptionSpec(.int),
            "rxtx_factor": OptionSpec(.float),
            "state": OpenStackArguments.state,
            "swap": OptionSpec(.int),
            "vcpus": OptionSpec(.int),
        ],
        requiredIf: [("state", "present", ["ram", "vcpus", "disk"])])

    /// openstacksdk's `Flavor._max_microversion` (2.61 returns extra specs with the flavor).
    static let microversion = Microversion(2, 61)

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let flavor: ValueDictionary?
    }

    public enum Change: Sendable {
        case create(body: ValueDictionary, extraSpecs: ValueDictionary?)
        case replace(id: String, body: ValueDictionary, extraSpecs: ValueDictionary?)
        case specs(id: String, set: ValueDictionary, unset: [String])
        case delete(id: String)
    }

    private static let attributes: [(String, String)] = [
        ("ram", "ram"), ("vcpus", "vcpus"), ("disk", "disk"), ("ephemeral", "OS-FLV-EXT-DATA:ephemeral"),
        ("swap", "swap"), ("rxtx_factor", "rxtx_factor"), ("is_public", "os-flavor-access:is_public"),
        ("description", "description"),
    ]

    /// Nova's `find_flavor(name_or_id)`: by id, then by name among public and private flavors.
    static func find(_ nameOrID: String, context: OpenStackContext) async throws -> ValueDictionary? {
        let api = context.compute(microversion)
        let escaped = nameOrID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? nameOrID
        if let flavor = try await api.get("/flavors/\(escaped)", key: "flavor") { return flavor }
        let matches = try await api.list("/flavors/detail", key: "flavors", query: [("is_public", "None")]).filter {
            $0["name"]?.string == nameOrID
        }
        guard matches.count <= 1 else { throw OpenStackModuleError("More than one Flavor exists with the name '\(nameOrID)'.") }
        return matches.first
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let id = context.arguments.string("id")
        let nameOrID = (id != nil && id != "auto") ? id ?? "" : context.arguments.string("name") ?? ""
        let flavor = try await Self.find(nameOrID, context: context)
        return Observed(context: context, flavor: flavor.map(ResourceSchema.flavor.normalize))
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "flavor '\(arguments.string("name") ?? "")'"
        guard arguments.state == "present" else {
            guard let flavor = observed.flavor, let id = flavor["id"]?.string else { return nil }
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: flavor, after: nil, fields: ["id", "name"])])
        }
        var body = ValueDictionary()
        body["name"] = arguments.value("name")
        for (argument, field) in Self.attributes { if let value = arguments.value(argument) { body[field] = value } }
        if let id = arguments.string("id"), id != "auto" { body["id"] = .string(id) }
        let extraSpecs = arguments.dict("extra_specs").map { specs in
            ValueDictionary(specs.map { ($0.key, Arguments.text($0.value).map(Value.string) ?? $0.value) })
        }
        guard let flavor = observed.flavor, let id = flavor["id"]?.string else {
            var after = body
            if let extraSpecs { after["extra_specs"] = .dict(extraSpecs) }
            return Planned(.create(body: body, extraSpecs: extraSpecs), diffs: [ResourceDiff.make(label, before: nil, after: after)])
        }
        var changed: [String] = []
        var after = flavor
        for (argument, _) in Self.attributes {
            guard let wanted = arguments.value(argument) else { continue }
            var current = flavor[argument] ?? Value.none
            if argument == "swap", current == "" { current = 0 }
            let same = wanted == current || (argument == "rxtx_factor" && ResourceSchema.convert(wanted, .float) == current)
            if !same {
                changed.append(argument)
                after[argument] = wanted
            }
        }
        if !changed.isEmpty {
            return Planned(
                .replace(id: id, body: body, extraSpecs: extraSpecs ?? flavor["extra_specs"]?.dictionary),
                diffs: [ResourceDiff.make(label, before: flavor, after: after, fields: changed)])
        }
        guard let extraSpecs else { return nil }
        let current = flavor["extra_specs"]?.dictionary ?? ValueDictionary()
        let unset = current.keys.compactMap(\.string).filter { extraSpecs[$0] == nil }
        var set = ValueDictionary()
        for (key, value) in extraSpecs where current[key] != value { set[key] = value }
        guard !set.isEmpty || !unset.isEmpty else { return nil }
        after["extra_specs"] = .dict(extraSpecs)
        return Planned(
            .specs(id: id, set: set, unset: unset),
            diffs: [ResourceDiff.make(label, before: flavor, after: after, fields: ["extra_specs"])])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.context.compute(Self.microversion)
        var flavorID: String
        switch change {
        case .delete(let id):
            try await api.delete("/flavors/\(id)")
            return ModuleResult(changed: true)
        case .create(let body, let extraSpecs), .replace(_, let body, let extraSpecs):
            if case .replace(let id, _, _) = change { try await api.delete("/flavors/\(id)") }
            let created = try await api.create("/flavors", key: "flavor", body: body)
            flavorID = created["id"]?.string ?? ""
            if let extraSpecs, !extraSpecs.isEmpty {
                _ = try await api.session.send(
                    "compute", "POST", "/flavors/\(flavorID)/os-extra_specs", json: .object(["extra_specs": .dict(extraSpecs)]),
                    microversion: Self.microversion)
            }
        case .specs(let id, let set, let unset):
            flavorID = id
            for key in unset {
                let escaped = key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? key
                try await api.delete("/flavors/\(id)/os-extra_specs/\(escaped)")
            }
            if !set.isEmpty {
                _ = try await api.session.send(
                    "compute", "POST", "/flavors/\(id)/os-extra_specs", json: .object(["extra_specs": .dict(set)]),
                    microversion: Self.microversion)
            }
        }
        let flavor = try await api.get("/flavors/\(flavorID)", key: "flavor") ?? ValueDictionary()
        return .resource("flavor", ResourceSchema.flavor.normalize(flavor), changed: true)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state == "present", let flavor = observed.flavor else { return ModuleResult(changed: false) }
        return .resource("flavor", flavor, changed: false)
    }
}
