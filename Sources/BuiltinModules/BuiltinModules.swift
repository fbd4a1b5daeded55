import ModuleAPI

/// Connection-agnostic core modules: each runs over any ``Connection`` (local or SSH) using only
/// shell commands and file transfers on the target — no Python there.
public enum BuiltinModules {
    /// Every module of this target, for the engine to register.
    public static let all: [any Module.Type] = [
        CommandModule.self, ShellModule.self, RawModule.self, ScriptModule.self, PingModule.self,
        FileModule.self, CopyModule.self, TemplateModule.self, StatModule.self, SlurpModule.self, FetchModule.self,
        LineInFileModule.self, BlockInFileModule.self, ReplaceModule.self, SetupModule.self,
        ServiceModule.self, SystemdModule.self, AptModule.self, PackageModule.self,
        WaitForModule.self, URIModule.self, GetURLModule.self, UnarchiveModule.self, UserModule.self, GroupModule.self,
        HostnameModule.self, SysctlModule.self, AsyncStatusModule.self, FindModule.self, AuthorizedKeyModule.self, KnownHostsModule.self,
    ]

    /// A registry holding ``all``.
    public static var registry: ModuleRegistry { ModuleRegistry(all) }
}
