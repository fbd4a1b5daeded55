import Diagnostics
import ModuleAPI
import Templating

/// Checks every task's arguments against its module's spec once the playbook is loaded, before
/// anything runs, with the `module_defaults` that apply to it (play → role → block → task) merged
/// underneath, as Ansible applies them. Values that are templates are checked at run time.
struct ArgumentChecker {
    let actions: ActionResolver

    func check(_ playbook: Playbook) throws {
        for (play, imports) in playbook.flattenedPlays {
            let outer = imports.compactMap { $0.keywords["module_defaults"] }
            let defaults = outer + [play.keywords["module_defaults"]].compactMap { $0 }
            for inclusion in play.roles {
                try check(.block(inclusion.compiledBlock()), defaults: defaults)
                try check(inclusion.role.handlers, defaults: defaults + [inclusion.keywords["module_defaults"]].compactMap { $0 })
            }
            for list in [play.preTasks, play.tasks, play.postTasks, play.handlers] {
                try check(list, defaults: defaults)
            }
        }
    }

    private func check(_ entries: [TaskEntry], defaults: [LocatedValue]) throws {
        for entry in entries { try check(entry, defaults: defaults) }
    }

    private func check(_ entry: TaskEntry, defaults: [LocatedValue]) throws {
        switch entry {
        case .block(let block):
            var inner = defaults
            if case .importRole(let inclusion) = block.origin {
                try check(inclusion.role.handlers, defaults: defaults)
            }
            if let own = block.keywords["module_defaults"] { inner.append(own) }
            try check(block.block + block.rescue + block.always, defaults: inner)
        case .task(let task):
            try check(task, defaults: defaults + [task.keywords["module_defaults"]].compactMap { $0 })
        }
    }

    private func check(_ task: PlaybookTask, defaults: [LocatedValue]) throws {
        let action = task.action
        guard action.arguments.variableParameters == nil,
            let (spec, group) = actions.argumentSpec(for: action.resolvedName)
        else { return }
        var arguments = ValueDictionary()
        for moduleDefaults in defaults {
            // A templated module_defaults is only known at run time; so are the arguments it adds.
            guard let applicable = applicableDefaults(moduleDefaults.value, action: action, group: group) else { return }
            for (key, value) in applicable { arguments[key] = value }
        }
        for (key, value) in action.arguments.dictionary { arguments[key] = value }
        _ = try ArgumentValidation.validate(
            arguments, against: spec, module: action.writtenName, location: action.location,
            locate: { path, key in action.arguments.location(at: path, key: key) }, skipTemplated: true)
    }

    /// The defaults of one `module_defaults` value for this action; nil when they cannot be known now.
    private func applicableDefaults(_ value: Value, action: TaskAction, group: String?) -> ValueDictionary? {
        let entries: [Value]
        switch value {
        case .dict: entries = [value]
        case .list(let list): entries = list
        case .none: return ValueDictionary()
        default: return nil
        }
        var result = ValueDictionary()
        for entry in entries {
            guard let dictionary = entry.dictionary else { return nil }
            for (key, defaults) in dictionary {
                guard let name = key.string else { continue }
                let matches: Bool
                if name.hasPrefix("group/") {
                    let groupName = String(name.dropFirst("group/".count))
                    matches = group.map { $0 == groupName || $0.hasSuffix("." + groupName) } ?? false
                } else {
                    matches = actions.resolve(name)?.canonicalName == action.resolvedName
                }
                guard matches else { continue }
                guard let pairs = defaults.dictionary else { return nil }
                for (argument, value) in pairs { result[argument] = value }
            }
        }
        return result
    }
}
