import ModuleAPI

/// The `stackplay.nfv` modules (Tacker: VIMs, SOL005 VNF packages, SOL003 VNF instances), for the engine
/// to register beside the openstack.cloud ones.
public enum TackerModules {
    public static let modules: [any Module.Type] = [
        TackerVIMModule.self, TackerVIMInfoModule.self, VNFPackageModule.self, VNFPackageInfoModule.self,
        VNFInstanceModule.self,
    ]
}
