import Diagnostics
import Foundation
import PlaybookCore
import Templating

/// Loads files at run time through the playbook loader: `include_tasks`, `include_role`,
/// `include_vars` and `vars_files`.
struct RuntimeLoader: IncludeLoader, VariableFileLoader {
    let loader: PlaybookLoader
    let compiler: PlanCompiler
    let playbookDirectory: String

    func loadTasks(_ file: String, parent: TaskPlan) throws -> (path: String, items: [PlanItem]) {
        guard let model = parent.model else {
            throw SourceError("cannot include '\(file)' here", at: parent.location)
        }
        let location = parent.argumentLocations["file"] ?? parent.argumentLocations["_raw_params"] ?? parent.location
        let entries = try loader.loadTaskFile(
            file, includedFrom: model, playbookDirectory: playbookDirectory, at: location)
        let items = try compiler.compile(applying(model.apply, to: entries), inherited: inheritance(from: parent))
        // Absolute, as ansible-playbook names it in `included: … for host`.
        let shown = entries.first.map { $0.location.file } ?? file
        let workingDirectory = loader.options.workingDirectory
        return (shown.hasPrefix("/") ? shown : (workingDirectory as NSString).appendingPathComponent(shown), items)
    }

    func loadRole(
        _ name: String, tasksFrom: String?, varsFrom: String?, defaultsFrom: String?, parent: TaskPlan
    ) throws -> (path: String, items: [PlanItem], handlers: [TaskPlan]) {
        let location = parent.argumentLocations["name"] ?? parent.location ?? SourceLocation(file: "", line: 1, column: 1)
        let role = try loader.loadRole(
            name, tasksFrom: tasksFrom, varsFrom: varsFrom, defaultsFrom: defaultsFrom,
            playbookDirectory: playbookDirectory, at: location)
        var inherited = inheritance(from: parent)
        var plan = RolePlan(name: role.name, path: role.path)
        plan.defaults = role.defaults.dictionary
        plan.vars = role.vars.dictionary
        // include_role's `vars:` are role parameters.
        plan.params = parent.taskVars
        inherited.role = plan
        inherited.includeParams = parent.includeParams
        let items = try compiler.compile(applying(parent.model?.apply, to: role.tasks), inherited: inherited)
        let handlers = try compiler.compileHandlers(role.handlers, inherited: inherited)
        return (role.path, items, handlers)
    }

    /// The included tasks inside the include's `apply:` block, if it has one.
    private func applying(_ apply: Block?, to entries: [TaskEntry]) -> [TaskEntry] {
        guard var block = apply else { return entries }
        block.block = entries
        return [.block(block)]
    }

    /// Included tasks inherit the include's parents (not the include's own `when`/tags) and get
    /// the include's `vars:` as include parameters.
    private func inheritance(from parent: TaskPlan) -> InheritedKeywords {
        var inherited = parent.inherited
        inherited.includeParams = parent.includeParams
        for (key, value) in parent.taskVars { inherited.includeParams[key] = value }
        if inherited.role == nil { inherited.role = parent.role }
        return inherited
    }

    func loadVariables(_ path: String, relativeTo directories: [String]) throws -> (path: String, variables: ValueDictionary) {
        var candidates = [path]
        if !path.hasPrefix("/") { candidates = directories.map { $0 + "/" + path } + [path] }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw SourceError("could not find or access '\(path)'", at: nil)
        }
        return (found, try loader.loadVariablesFile(found).dictionary)
    }
}
