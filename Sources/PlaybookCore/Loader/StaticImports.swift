import Diagnostics
import Foundation
import Templating

/// `import_tasks` and `import_role`: loaded now and expanded into blocks that carry the import's
/// keywords (when, tags, vars, become, …), so they apply to every imported task.
extension LoaderSession {
    func expandStaticImport(_ task: Task, context: LoadContext) throws -> TaskEntry {
        switch task.action.resolvedName {
        case "ansible.builtin.import_tasks":
            return try importTasks(task, context: context)
        case "ansible.builtin.import_role":
            return try importRole(task, context: context)
        default:
            return .task(task)
        }
    }

    private func rejectLoop(_ task: Task, action: String, dynamic: String) throws {
        if let loop = task.loop {
            throw LoadError(
                "you cannot use loops on '\(action)' statements; use '\(dynamic)' instead", at: loop.items.location)
        }
    }

    private func importTasks(_ task: Task, context: LoadContext) throws -> TaskEntry {
        try rejectLoop(task, action: "import_tasks", dynamic: "include_tasks")
        guard let fileArgument = task.action.arguments["file"] ?? task.action.arguments["_raw_params"],
            case .string(let file) = fileArgument.value.value
        else {
            throw LoadError("'import_tasks' needs a file name", at: task.action.location)
        }
        // A templated name needs variables only the engine has: it stays a task and is imported then.
        if Template.isTemplate(file) { return .task(task) }
        let path = try resolveTaskFile(file, context: context, at: fileArgument.value.location)
        let entries = try loadTaskFile(path, context: context, at: fileArgument.value.location)
        return .block(
            Block(
                location: task.location, name: task.name, origin: .importTasks(file: display(path)), block: entries,
                keywords: task.keywords, vars: task.vars, when: task.when, tags: task.tags, notify: task.notify,
                role: context.role))
    }

    private func importRole(_ task: Task, context: LoadContext) throws -> TaskEntry {
        try rejectLoop(task, action: "import_role", dynamic: "include_role")
        let arguments = task.action.arguments
        guard let nameArgument = arguments["name"] ?? arguments["role"], case .string(let name) = nameArgument.value.value
        else {
            throw LoadError("'import_role' needs the role 'name'", at: task.action.location)
        }
        if Template.isTemplate(name) { return .task(task) }
        func option(_ key: String) -> String? { arguments[key]?.value.value.string }
        let request = RoleRequest(
            name: name, tasksFrom: option("tasks_from"), varsFrom: option("vars_from"),
            defaultsFrom: option("defaults_from"), handlersFrom: option("handlers_from"))
        let role = try loadRole(
            request, playbookDirectory: context.playbookDirectory, at: nameArgument.value.location, chain: context.chain)
        let inclusion = RoleInclusion(
            location: task.location, name: nameArgument.value, role: role, keywords: task.keywords, vars: task.vars,
            when: task.when, tags: task.tags)
        var block = inclusion.compiledBlock()
        block.origin = .importRole(inclusion)
        return .block(block)
    }

    /// Resolves a task file name as Ansible does: the including file's directory, the role's
    /// `tasks/` and root, then the playbook directory. Missing files are located errors.
    func resolveTaskFile(_ file: String, context: LoadContext, at location: SourceLocation) throws -> String {
        if file.hasPrefix("/") {
            guard fileExists(file) else { throw missingFile(file, searched: [file], at: location) }
            return file
        }
        var candidates: [String] = []
        if let role = context.role {
            candidates.append(absolute(file, relativeTo: role.path + "/tasks"))
            candidates.append(absolute(file, relativeTo: role.path))
        }
        candidates.append(absolute(file, relativeTo: context.directory(workingDirectory: options.workingDirectory)))
        candidates.append(absolute(file, relativeTo: context.playbookDirectory))
        guard let found = candidates.first(where: fileExists) else {
            throw missingFile(file, searched: candidates, at: location)
        }
        return found
    }

    private func missingFile(_ file: String, searched: [String], at location: SourceLocation) -> LoadError {
        var unique: [String] = []
        for path in searched where !unique.contains(path) { unique.append(path) }
        return LoadError(
            "could not find or access '\(file)'", at: location,
            notes: ["searched: " + unique.map(display).joined(separator: ", ")])
    }

    /// Parses a task file (a list of tasks, or empty).
    func loadTaskFile(_ path: String, context: LoadContext, at location: SourceLocation? = nil) throws -> [TaskEntry] {
        if context.chain.contains(path) {
            throw LoadError("recursive import of '\(display(path))'", at: location)
        }
        let (node, shown) = try parseFile(path)
        var inner = context
        inner.file = shown
        inner.chain.append(path)
        return try parseTaskList(node, context: inner, keyword: "tasks")
    }
}
