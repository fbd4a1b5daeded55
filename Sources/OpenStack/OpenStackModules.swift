import ModuleAPI

/// The openstack.cloud modules stackplay implements, for the engine to register.
public enum OpenStackModules {
    /// Every module, each answering to `openstack.cloud.X`, `X` and its legacy `os_*` name where
    /// ansible-core still routes one.
    public static let modules: [any Module.Type] = [
        NetworkModule.self, SubnetModule.self, RouterModule.self, KeypairModule.self, SecurityGroupModule.self,
        SecurityGroupRuleModule.self, ImageModule.self, PortModule.self, FloatingIPModule.self, ComputeFlavorModule.self,
        ServerModule.self, ProjectModule.self, IdentityUserModule.self, RoleAssignmentModule.self,
        NetworksInfoModule.self, SubnetsInfoModule.self, RoutersInfoModule.self, PortInfoModule.self, KeypairInfoModule.self,
        ImageInfoModule.self, SecurityGroupInfoModule.self, SecurityGroupRuleInfoModule.self, ComputeFlavorInfoModule.self,
        ServerInfoModule.self, ProjectInfoModule.self,
    ]
}
