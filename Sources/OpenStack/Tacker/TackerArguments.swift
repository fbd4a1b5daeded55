import ModuleAPI
import Templating

/// Specs of the `stackplay.nfv` modules: Tacker is reached through the same cloud config and run-wide
/// token cache as the openstack.cloud modules, so they take the same common options.
enum TackerArguments {
    static func spec(
        _ name: String, options: [String: OptionSpec], mutuallyExclusive: [[String]] = [],
        requiredIf: [(String, Value, [String])] = []
    ) -> ModuleSpec {
        var merged = OpenStackArguments.common
        for (key, option) in options { merged[key] = option }
        return ModuleSpec(
            name: "stackplay.nfv." + name,
            arguments: ArgumentSpec(merged, mutuallyExclusive: mutuallyExclusive, requiredIf: requiredIf),
            supportsCheckMode: true, runsOnController: true, actionGroup: OpenStackArguments.actionGroup)
    }
}

extension OpenStackContext {
    /// Tacker's API root (the catalog's `nfv-orchestration` endpoint); paths name their API version.
    var tacker: ResourceAPI { ResourceAPI(session: session, service: "nfv-orchestration") }
}
