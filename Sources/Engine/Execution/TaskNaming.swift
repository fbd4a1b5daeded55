import Synchronization
import Templating

/// How tasks are named in banners and matched by `--start-at-task`.
enum TaskNaming {
    /// `role : name`, the templated name, or the action as written when there is no name.
    static func displayName(_ task: TaskPlan, context: ExecutionContext, play: PlayContext) -> String {
        var name = task.name ?? task.actionName
        // ansible-core names an unnamed include_role after its role: `include_role : worker`.
        if task.name == nil, case .controller(.includeRole) = task.action, let role = task.arguments["name"] {
            name += " : " + PythonRepr.text(role)
        }
        if task.name != nil, context.templar.containsTemplate(name), let host = play.activeHosts.first {
            let scope = ScopeBuilder(context: context, play: play).scope(
                for: task, host: host, snapshot: context.state.snapshot())
            if let rendered = try? context.templar.render(name, name: "task name", at: task.location, scope: scope) {
                name = rendered
            }
        }
        if let role = task.role { return "\(role.name) : \(name)" }
        return name
    }

    /// `--start-at-task` matches the task name, with or without the role prefix.
    static func matches(_ task: TaskPlan, _ wanted: String) -> Bool {
        guard let name = task.name else { return false }
        if name == wanted { return true }
        if let role = task.role { return "\(role.name) : \(name)" == wanted }
        return false
    }
}

/// `--start-at-task NAME`: every task is skipped until the first one named NAME, in whichever
/// play it is; from then on everything runs.
final class StartAtTask: Sendable {
    private let name: String
    private let started = Atomic<Bool>(false)

    init(_ name: String) {
        self.name = name
    }

    func admits(_ task: TaskPlan) -> Bool {
        if started.load(ordering: .relaxed) { return true }
        guard TaskNaming.matches(task, name) else { return false }
        started.store(true, ordering: .relaxed)
        return true
    }
}
