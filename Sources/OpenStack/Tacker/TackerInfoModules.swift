import ModuleAPI
import Templating

/// `stackplay.nfv.tacker_vim_info`: the VIMs Tacker knows, optionally one by name or id; secrets removed.
public struct TackerVIMInfoModule: Module {
    public static let spec = TackerArguments.spec("tacker_vim_info", options: ["name": OptionSpec(.string)])

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let wanted = context.arguments.string("name")
        let vims = try await context.tacker.list("/v1.0/vims", key: "vims")
            .filter { wanted == nil || $0["name"]?.string == wanted || $0["id"]?.string == wanted }
            .map { Value.dict(TackerVIMModule.visible($0)) }
        return ModuleResult(values: ValueDictionary([("vims", .list(vims))]))
    }
}

/// `stackplay.nfv.vnf_package_info`: VNF packages, optionally filtered by the name `vnf_package` gave them,
/// by id, or by VNFD id.
public struct VNFPackageInfoModule: Module {
    public static let spec = TackerArguments.spec(
        "vnf_package_info", options: ["name": OptionSpec(.string), "vnfd_id": OptionSpec(.string)])

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let context = try OpenStackContext.make(invocation)
        let name = context.arguments.string("name")
        let vnfdID = context.arguments.string("vnfd_id")
        let packages = try await PackageAPI(session: context.session).list().filter { package in
            let matchesName = name == nil || package["userDefinedData"]?.dictionary?["name"]?.string == name
                || package["id"]?.string == name
            return matchesName && (vnfdID == nil || package["vnfdId"]?.string == vnfdID)
        }
        return ModuleResult(values: ValueDictionary([("vnf_packages", .list(packages.map(Value.dict)))]))
    }
}
