import Foundation
import ModuleAPI
import Templating

/// `stackplay.nfv.vnf_instance`: a SOL003 VNF instance (`/vnflcm/v1`): created from an onboarded VNFD,
/// instantiated (flavour, instantiation level, VIM, external virtual links) or terminated, and deleted;
/// every LCM operation is followed to its end through its operation occurrence, and its error is reported
/// as Tacker states it.
///
/// `state`: `present` (the instance resource exists, not instantiated), `instantiated`, `absent`
/// (terminated first when needed).
public struct VNFInstanceModule: StatefulModule {
    public static let spec = TackerArguments.spec(
        "vnf_instance",
        options: [
            "name": OptionSpec(.string, required: true),
            "state": OptionSpec(.string, default: "present", choices: ["present", "instantiated", "absent"]),
            "vnfd_id": OptionSpec(.string),
            "description": OptionSpec(.string),
            "flavour_id": OptionSpec(.string, default: "simple"),
            "instantiation_level_id": OptionSpec(.string),
            "vim_id": OptionSpec(.string),
            "ext_virtual_links": OptionSpec(.list(elements: .dict)),
            "additional_params": OptionSpec(.dict),
            "termination_type": OptionSpec(.string, default: "FORCEFUL", choices: ["FORCEFUL", "GRACEFUL"]),
        ],
        requiredIf: [("state", "present", ["vnfd_id"]), ("state", "instantiated", ["vnfd_id"])])

    static let root = "/vnflcm/v1/vnf_instances"

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let instance: ValueDictionary?
    }

    public enum Change: Sendable {
        case create(instantiate: Bool)
        case instantiate
        case terminate
        case delete
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let name = context.arguments.string("name") ?? ""
        let response = try await context.session.send(PackageAPI.service, "GET", Self.root)
        let instance = (try response.json()).array?.compactMap(\.dictionary).first { $0["vnfInstanceName"]?.string == name }
        return Observed(context: context, instance: instance)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "vnf instance '\(arguments.string("name") ?? "")'"
        let instantiated = observed.instance?["instantiationState"]?.string == "INSTANTIATED"
        let diff = { (after: String?) in
            [FileDiff(
                before: observed.instance.map { "instantiationState: \($0["instantiationState"]?.string ?? "")\n" } ?? "",
                after: after.map { "instantiationState: \($0)\n" } ?? "", beforeHeader: "\(label) (current)",
                afterHeader: "\(label) (planned)")]
        }
        switch arguments.state {
        case "absent":
            guard observed.instance != nil else { return nil }
            return Planned(instantiated ? .terminate : .delete, diffs: diff(nil))
        case "instantiated":
            guard let instance = observed.instance else { return Planned(.create(instantiate: true), diffs: diff("INSTANTIATED")) }
            try checkVNFD(instance, arguments)
            return instantiated ? nil : Planned(.instantiate, diffs: diff("INSTANTIATED"))
        default:
            guard let instance = observed.instance else { return Planned(.create(instantiate: false), diffs: diff("NOT_INSTANTIATED")) }
            try checkVNFD(instance, arguments)
            return nil
        }
    }

    private func checkVNFD(_ instance: ValueDictionary, _ arguments: Arguments) throws {
        if let wanted = arguments.string("vnfd_id"), let current = instance["vnfdId"]?.string, wanted != current {
            throw OpenStackModuleError(
                "VNF instance '\(arguments.string("name") ?? "")' exists with VNFD \(current), not \(wanted); delete it first")
        }
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let context = observed.context
        let arguments = context.arguments
        var id = observed.instance?["id"]?.string
        switch change {
        case .create(let instantiate):
            var body = ValueDictionary()
            body["vnfdId"] = arguments.value("vnfd_id") ?? Value.none
            body["vnfInstanceName"] = arguments.value("name") ?? Value.none
            if let description = arguments.string("description") { body["vnfInstanceDescription"] = .string(description) }
            let created: HTTPResponse
            do {
                created = try await context.session.send(PackageAPI.service, "POST", Self.root, json: .dict(body))
            } catch let error as OpenStackAPIError where error.serviceMessage.contains("Default VIM") {
                // Tacker's v1 API takes no VIM at creation: it places every instance on the default one.
                throw OpenStackModuleError(
                    "Tacker cannot create VNF instance '\(arguments.string("name") ?? "")': \(error.serviceMessage) "
                        + "Register a VIM with stackplay.nfv.tacker_vim and is_default: true first.")
            }
            id = try created.json().dictionary?["id"]?.string
            if instantiate, let id { try await runInstantiate(context, id) }
        case .instantiate:
            if let id { try await runInstantiate(context, id) }
        case .terminate:
            if let id {
                let body = ValueDictionary([("terminationType", .string(arguments.string("termination_type") ?? "FORCEFUL"))])
                try await operate(context, "\(Self.root)/\(id)/terminate", body)
                _ = try await context.session.send(PackageAPI.service, "DELETE", "\(Self.root)/\(id)", expecting: [204, 404])
            }
            return ModuleResult(changed: true)
        case .delete:
            if let id {
                _ = try await context.session.send(PackageAPI.service, "DELETE", "\(Self.root)/\(id)", expecting: [204, 404])
            }
            return ModuleResult(changed: true)
        }
        guard let id else { throw OpenStackModuleError("Tacker returned a VNF instance without an id") }
        let response = try await context.session.send(PackageAPI.service, "GET", "\(Self.root)/\(id)")
        return ModuleResult.resource("vnf_instance", try response.json().dictionary ?? ValueDictionary(), changed: true, withID: true)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard let instance = observed.instance else { return ModuleResult(changed: false) }
        return ModuleResult.resource("vnf_instance", instance, changed: false, withID: true)
    }

    private func runInstantiate(_ context: OpenStackContext, _ id: String) async throws {
        let arguments = context.arguments
        var body = ValueDictionary()
        body["flavourId"] = .string(arguments.string("flavour_id") ?? "simple")
        if let level = arguments.string("instantiation_level_id") { body["instantiationLevelId"] = .string(level) }
        if let vim = arguments.string("vim_id") {
            body["vimConnectionInfo"] = .list([.object(["id": .string(vim), "vimId": .string(vim), "vimType": "openstack"])])
        }
        if let links = arguments.list("ext_virtual_links") { body["extVirtualLinks"] = .list(links) }
        if let extra = arguments.dict("additional_params") { body["additionalParams"] = .dict(extra) }
        try await operate(context, "\(Self.root)/\(id)/instantiate", body)
    }

    /// Starts an LCM operation and follows its occurrence (the `Location` header) until it completes;
    /// `FAILED_TEMP`/`FAILED` fail the task with the occurrence's `error.detail`.
    private func operate(_ context: OpenStackContext, _ path: String, _ body: ValueDictionary) async throws {
        let arguments = context.arguments
        let response = try await context.session.send(PackageAPI.service, "POST", path, json: .dict(body), expecting: [202])
        guard arguments.wait, let header = response.header("Location") else { return }
        // Tacker builds the Location from its [vnf_lcm] endpoint_url (default http://localhost:9890/), which
        // need not be where the catalog points (ports, proxies): follow its path on the catalog's endpoint.
        let location = header.range(of: "/vnflcm/").map { String(header[$0.lowerBound...]) } ?? header
        let occurrence = try await context.poll("LCM operation \(location)", timeout: arguments.timeout, interval: 2) {
            let answer = try await context.session.send(PackageAPI.service, "GET", location)
            let occurrence = try answer.json().dictionary ?? ValueDictionary()
            switch occurrence["operationState"]?.string {
            case "COMPLETED", "FAILED_TEMP", "FAILED", "ROLLED_BACK": return occurrence
            default: return nil
            }
        }
        guard occurrence["operationState"]?.string == "COMPLETED" else {
            let error = occurrence["error"]?.dictionary
            throw OpenStackModuleError(
                "VNF LCM operation \(occurrence["operation"]?.string ?? "") ended \(occurrence["operationState"]?.string ?? ""): "
                    + (error?["detail"]?.string ?? error?["title"]?.string ?? "no detail given"))
        }
    }
}
