import Diagnostics
import Templating

/// `include_tasks` and `include_role`: loads the file or role now, for this host, and hands the
/// tasks to the strategy, which runs them right after the include.
struct IncludeAction: Sendable {
    let context: ExecutionContext
    let task: TaskPlan
    let scope: TaskScope

    func run(_ action: ControllerAction, arguments: ValueDictionary) throws -> ActionResult {
        var parent = task
        var label: Value?
        if let loop = task.loop, let item = scope.magic[loop.loopVar] {
            // The loop variable is an include parameter for every included task.
            parent.includeParams[.string(loop.loopVar)] = item
            if let indexVar = loop.indexVar, let index = scope.magic[indexVar] {
                parent.includeParams[.string(indexVar)] = index
            }
            if let extended = scope.magic["ansible_loop"] { parent.includeParams["ansible_loop"] = extended }
            label = item
        }
        var values = ValueDictionary()
        values["changed"] = .bool(false)
        let included: IncludedTasks
        if action == .includeTasks {
            guard let file = (arguments["file"] ?? arguments["_raw_params"]).map({ PythonRepr.text($0) }) else {
                throw SourceError("no file specified for include_tasks", at: task.location)
            }
            let loaded = try context.includes.loadTasks(file, parent: parent)
            values["include"] = .string(file)
            included = IncludedTasks(path: loaded.path, items: loaded.items, itemLabel: label)
        } else {
            let name = arguments["name"].map { PythonRepr.text($0) } ?? ""
            func text(_ key: String) -> String? { arguments[key].map { PythonRepr.text($0) } }
            let loaded = try context.includes.loadRole(
                name, tasksFrom: text("tasks_from"), varsFrom: text("vars_from"), defaultsFrom: text("defaults_from"),
                parent: parent)
            values["include_role"] = .string(name)
            included = IncludedTasks(
                path: loaded.path, shownName: name, items: loaded.items, handlers: loaded.handlers, itemLabel: label)
        }
        values["include_args"] = .dict(arguments)
        return ActionResult(values: values, effects: [.include(included)])
    }
}
