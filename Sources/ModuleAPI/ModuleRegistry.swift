/// Resolves the module name a task uses to a module, as ansible-core does: short names,
/// `ansible.builtin.X`, `ansible.legacy.X`, collection FQCNs and legacy redirects (`os_subnet`).
public struct ModuleRegistry: Sendable {
    private var byName: [String: any Module.Type] = [:]
    public private(set) var all: [any Module.Type] = []

    public init(_ modules: [any Module.Type] = []) {
        for module in modules { register(module) }
    }

    /// Adds a module under its name, its aliases, and its short name.
    public mutating func register(_ module: any Module.Type) {
        all.append(module)
        let spec = module.spec
        var names = [spec.name] + spec.aliases
        if let short = spec.name.split(separator: ".").last.map(String.init) { names.append(short) }
        if spec.name.hasPrefix("ansible.builtin.") {
            names.append("ansible.legacy." + spec.name.dropFirst("ansible.builtin.".count))
        }
        for name in names where byName[name] == nil { byName[name] = module }
    }

    public func module(named name: String) -> (any Module.Type)? {
        byName[name]
    }

    /// Every name that resolves, for "did you mean" suggestions.
    public var names: [String] { Array(byName.keys) }
}
