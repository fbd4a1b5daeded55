import Diagnostics
import ModuleAPI
import PlaybookCore
import Templating

/// Turns the loaded playbook model into runnable plans: resolves each action, checks module
/// arguments against their specs (before anything runs), and folds inherited keywords into tasks.
struct PlanCompiler: Sendable {
    let registry: ModuleRegistry
    let ids: TaskIdentifiers
    var syntax = TemplateSyntaxCheck(templar: Templar())

    func compile(_ entries: [TaskEntry], inherited: InheritedKeywords) throws -> [PlanItem] {
        try entries.map { try compile($0, inherited: inherited) }
    }

    func compile(_ entry: TaskEntry, inherited: InheritedKeywords) throws -> PlanItem {
        switch entry {
        case .task(let task):
            return .task(try compile(task, inherited: inherited))
        case .block(let block):
            var inner = inherited
            inner.absorb(block.keywords)
            inner.absorb(when: block.when, tags: block.tags)
            if !block.vars.isEmpty { inner.blockVars.append(block.vars.dictionary) }
            inner.notify += block.notify.map { PythonRepr.text($0.value) }
            if let role = block.role { inner.role = rolePlan(role) }
            if case .role(let inclusion) = block.origin { inner.role = rolePlan(inclusion) }
            if case .importRole(let inclusion) = block.origin { inner.role = rolePlan(inclusion) }
            return .block(
                BlockPlan(
                    block: try compile(block.block, inherited: inner), rescue: try compile(block.rescue, inherited: inner),
                    always: try compile(block.always, inherited: inner), location: block.location))
        }
    }

    func rolePlan(_ scope: RoleScope) -> RolePlan {
        var plan = RolePlan(name: scope.name, path: scope.path)
        plan.defaults = scope.defaults.dictionary
        plan.vars = scope.vars.dictionary
        plan.params = scope.parameters.dictionary
        return plan
    }

    func rolePlan(_ inclusion: RoleInclusion) -> RolePlan {
        var plan = RolePlan(name: inclusion.role.name, path: inclusion.role.path)
        plan.defaults = inclusion.role.defaults.dictionary
        plan.vars = inclusion.role.vars.dictionary
        plan.params = inclusion.vars.dictionary
        return plan
    }

    func compile(_ task: ModelTask, inherited: InheritedKeywords) throws -> TaskPlan {
        let action = try resolve(task)
        let arguments = task.action.arguments
        var plan = TaskPlan(
            id: ids.next(), name: task.name.map { PythonRepr.text($0.value) }, actionName: task.action.writtenName,
            action: action, arguments: arguments.dictionary, location: task.location)
        for argument in arguments.arguments { plan.argumentLocations[argument.name] = argument.value.location }
        var taskInherited = inherited
        taskInherited.absorb(moduleDefaultsOnly: task.keywords)
        applyModuleDefaults(taskInherited.moduleDefaults, action: action, written: task.action.writtenName, to: &plan)
        // The inclusion's plan carries its parameters; the task's own scope is the fallback.
        if let role = inherited.role, task.role == nil || task.role?.path == role.path {
            plan.role = role
        } else {
            plan.role = task.role.map(rolePlan)
        }
        plan.conditions = inherited.conditions + task.when.map { LocatedExpression($0.value, at: $0.location) }
        plan.tags = inherited.tags.union(task.tags.tags)
        plan.blockVars = inherited.blockVars
        plan.taskVars = task.vars.dictionary
        plan.includeParams = inherited.includeParams
        plan.register = task.register.map { PythonRepr.text($0.value) }
        plan.notify = inherited.notify + task.notify.flatMap { notified -> [String] in
            if let list = notified.value.array { return list.map { PythonRepr.text($0) } }
            return [PythonRepr.text(notified.value)]
        }
        plan.listen = task.listen.flatMap { topic -> [String] in
            if let list = topic.value.array { return list.map { PythonRepr.text($0) } }
            return [PythonRepr.text(topic.value)]
        }
        plan.environment = inherited.environment
        plan.model = task
        plan.inherited = inherited
        if let loop = task.loop { plan.loop = try loopPlan(loop, control: task.loopControl) }
        applyKeywords(inherited.keywords, task.keywords, to: &plan)
        try validateArguments(task, action: action, merged: plan.arguments)
        try syntax.check(task)
        return plan
    }

    private func resolve(_ task: ModelTask) throws -> TaskAction {
        let name = task.action.resolvedName
        if task.action.isControllerAction, let action = ControllerAction(moduleName: name) {
            return .controller(action)
        }
        if let action = ControllerAction(moduleName: name), registry.module(named: name) == nil {
            return .controller(action)
        }
        guard let module = registry.module(named: name) else {
            throw LoadError.unknown(
                "couldn't resolve module/action '\(task.action.writtenName)'", name: task.action.writtenName,
                candidates: registry.names + ControllerAction.allCases.map(\.rawValue), at: task.action.location)
        }
        return .module(module)
    }

    /// Module and controller-action arguments checked at load time; templated values wait for run time.
    private func validateArguments(_ task: ModelTask, action: TaskAction, merged: ValueDictionary) throws {
        let arguments = task.action.arguments
        let locate: ArgumentLocator = { path, key in arguments.location(at: path, key: key) }
        switch action {
        case .module(let module):
            _ = try ArgumentValidation.validate(
                merged, against: module.spec.arguments, module: task.action.writtenName,
                location: task.action.location, locate: locate, skipTemplated: true)
        case .controller(let controller):
            guard let spec = ControllerActionSpecs.spec(for: controller) else { return }
            _ = try ArgumentValidation.validate(
                merged, against: spec, module: task.action.writtenName, location: task.action.location,
                locate: locate, skipTemplated: true)
        }
    }

    private func loopPlan(_ loop: TaskLoop, control: LocatedValue?) throws -> LoopPlan {
        let keyword: String
        switch loop.kind {
        case .loop: keyword = "loop"
        case .with(let lookup):
            guard LoopItems.lookups.contains(lookup) || LoopItems.templateLookups.contains(lookup) else {
                throw LoadError.unknown(
                    "unsupported loop keyword 'with_\(lookup)'", name: lookup,
                    candidates: LoopItems.lookups.union(LoopItems.templateLookups),
                    at: loop.items.location)
            }
            keyword = lookup
        }
        var plan = LoopPlan(keyword: keyword, items: LocatedExpression(loop.items.value, at: loop.items.location))
        guard let control else { return plan }
        guard let settings = control.value.dictionary else {
            throw LoadError("'loop_control' must be a dictionary", at: control.location)
        }
        for (key, value) in settings {
            let location = control.location(at: [key])
            switch key.string ?? "" {
            case "loop_var": plan.loopVar = PythonRepr.text(value)
            case "index_var": plan.indexVar = PythonRepr.text(value)
            case "label": plan.label = LocatedExpression(value, at: location)
            case "pause":
                switch value {
                case .int(let number): plan.pause = Double(number)
                case .float(let number): plan.pause = number
                default: throw LoadError("'pause' in loop_control must be a number", at: location)
                }
            case "extended": plan.extended = value == .bool(true) || value == "yes" || value == "true"
            case "extended_allitems": plan.extendedAllItems = value != .bool(false)
            default:
                throw LoadError.unknown(
                    "'\(PythonRepr.text(key))' is not a valid option in loop_control", name: PythonRepr.text(key),
                    candidates: ["loop_var", "index_var", "label", "pause", "extended", "extended_allitems"],
                    at: location)
            }
        }
        return plan
    }
}

extension PlanCompiler {
    /// `module_defaults`: arguments for a module (by short name, FQCN or `group/<action group>`)
    /// that the task does not set itself; inner definitions win over outer ones.
    func applyModuleDefaults(_ stack: [ValueDictionary], action: TaskAction, written: String, to plan: inout TaskPlan) {
        guard !stack.isEmpty, case .module(let module) = action else { return }
        let spec = module.spec
        let short = spec.name.split(separator: ".").last.map(String.init) ?? spec.name
        var names: Set<String> = [spec.name, short, written, "ansible.legacy." + short]
        names.formUnion(spec.aliases)
        let group = spec.actionGroup.map { "group/" + $0 }
        var defaults = ValueDictionary()
        for layer in stack {
            for (key, value) in layer {
                guard let name = key.string, names.contains(name) || name == group else { continue }
                for (argument, setting) in value.dictionary ?? ValueDictionary() { defaults[argument] = setting }
            }
        }
        for (argument, setting) in defaults where plan.arguments[argument] == nil {
            plan.arguments[argument] = setting
        }
    }

    /// Handlers as a flat list in definition order (blocks in a handlers section are flattened).
    func compileHandlers(_ entries: [TaskEntry], inherited: InheritedKeywords) throws -> [TaskPlan] {
        var handlers: [TaskPlan] = []
        for item in try compile(entries, inherited: inherited) { collect(item, into: &handlers) }
        return handlers
    }

    private func collect(_ item: PlanItem, into handlers: inout [TaskPlan]) {
        switch item {
        case .task(let task): handlers.append(task)
        case .block(let block):
            for inner in block.block + block.rescue + block.always { collect(inner, into: &handlers) }
        }
    }
}
