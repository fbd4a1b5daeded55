import ModuleAPI

/// Resolves the action name a task uses, as ansible-core does: short names, `ansible.builtin.X`,
/// `ansible.legacy.X`, collection FQCNs, module aliases and the legacy routing table.
///
/// Pluggable: the registry holds the modules, `controllerActions` the names the engine itself
/// implements (debug, set_fact, include_tasks, …; short names).
public struct ActionResolver: Sendable {
    /// A resolved action.
    public struct Resolution: Sendable, Hashable {
        /// The module's FQCN, or `ansible.builtin.<name>` for controller actions.
        public var canonicalName: String
        public var isControllerAction: Bool
        /// Whether the action takes free-form text (`_raw_params`).
        public var takesRawParameters: Bool
        /// Whether `k=v` text is parsed with `check_raw` (command, shell, raw, script).
        public var isFreeForm: Bool
    }

    /// The controller-side actions the engine implements in 2.21 terms.
    public static let standardControllerActions: Set<String> = [
        "debug", "set_fact", "assert", "fail", "meta", "include_vars", "add_host", "group_by", "pause", "set_stats",
        "include_tasks", "import_tasks", "include_role", "import_role",
    ]

    /// Actions whose free-form text is kept as `_raw_params` (ansible-core's `RAW_PARAM_MODULES`).
    static let rawParameterActions: Set<String> = [
        "include_vars", "include_tasks", "include_role", "import_tasks", "import_role", "add_host", "group_by",
        "set_fact", "meta", "command", "raw", "script", "shell", "win_command", "win_shell",
    ]

    static let freeFormActions: Set<String> = ["command", "raw", "script", "shell", "win_command", "win_shell"]

    public var registry: ModuleRegistry
    public var controllerActions: Set<String>
    /// Argument specs of controller actions (short name → spec), when the engine declares them,
    /// so their arguments are checked at load time like modules'.
    public var controllerSpecs: [String: ArgumentSpec]

    public init(
        registry: ModuleRegistry, controllerActions: Set<String> = ActionResolver.standardControllerActions,
        controllerSpecs: [String: ArgumentSpec] = [:]
    ) {
        self.registry = registry
        self.controllerActions = controllerActions
        self.controllerSpecs = controllerSpecs
    }

    /// The argument spec and action group for a resolved canonical name, when known.
    public func argumentSpec(for canonicalName: String) -> (spec: ArgumentSpec, actionGroup: String?)? {
        if let short = Self.builtinShortName(canonicalName), controllerActions.contains(short) {
            return controllerSpecs[short].map { ($0, nil) }
        }
        guard let module = registry.module(named: canonicalName) else { return nil }
        return (module.spec.arguments, module.spec.actionGroup)
    }

    /// The resolution of `name`, or nil when nothing by that name exists.
    public func resolve(_ name: String) -> Resolution? {
        let short = Self.builtinShortName(name)
        if let short, controllerActions.contains(short) {
            return Resolution(
                canonicalName: "ansible.builtin." + short, isControllerAction: true,
                takesRawParameters: Self.rawParameterActions.contains(short),
                isFreeForm: Self.freeFormActions.contains(short))
        }
        let target = LegacyModuleRouting.redirect(name) ?? name
        guard let module = registry.module(named: target) else { return nil }
        let spec = module.spec
        let moduleShort = Self.builtinShortName(spec.name) ?? ""
        return Resolution(
            canonicalName: spec.name, isControllerAction: false,
            takesRawParameters: spec.arguments.freeForm || Self.rawParameterActions.contains(moduleShort),
            isFreeForm: spec.arguments.freeForm || Self.freeFormActions.contains(moduleShort))
    }

    /// Every resolvable name, for "did you mean" suggestions.
    public var knownNames: [String] {
        Array(controllerActions) + registry.names + Array(LegacyModuleRouting.redirects.keys)
    }

    /// `copy` for `copy`, `ansible.builtin.copy` and `ansible.legacy.copy`; nil for other FQCNs.
    static func builtinShortName(_ name: String) -> String? {
        for prefix in ["ansible.builtin.", "ansible.legacy."] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name.contains(".") ? nil : name
    }
}
