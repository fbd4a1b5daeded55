/// Actions that run inside the engine rather than as modules, because they change the engine's
/// own state (variables, inventory, control flow) or only need the controller.
public enum ControllerAction: String, Sendable, CaseIterable {
    case debug
    case setFact = "set_fact"
    case assert
    case fail
    case meta
    case includeVars = "include_vars"
    case addHost = "add_host"
    case groupBy = "group_by"
    case pause
    case setStats = "set_stats"
    case tempfile
    case waitFor = "wait_for"
    case includeTasks = "include_tasks"
    case includeRole = "include_role"
    case gatherFacts = "setup"

    /// The action for a task's module name (`debug`, `ansible.builtin.debug`, `ansible.legacy.debug`).
    public init?(moduleName: String) {
        var name = Substring(moduleName)
        for prefix in ["ansible.builtin.", "ansible.legacy."] where name.hasPrefix(prefix) {
            name = name.dropFirst(prefix.count)
        }
        if name == "gather_facts" { name = "setup" }
        guard let action = ControllerAction(rawValue: String(name)) else { return nil }
        self = action
    }

    /// Whether ansible-playbook shows the result dictionary without `-v` (`debug` does).
    var alwaysVerbose: Bool { self == .debug }

    /// Whether check mode changes nothing for it (it only touches the engine's state).
    var runsInCheckMode: Bool { self != .tempfile }
}
