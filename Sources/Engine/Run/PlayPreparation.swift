import Diagnostics
import PlaybookCore
import Templating

/// Compiles a loaded play into a ``PlayPlan``: roles (dependencies first, each once), tasks,
/// handlers, inherited keywords and the play's settings.
struct PlayPreparation: Sendable {
    let compiler: PlanCompiler
    /// ansible.cfg's `gathering`: what a play without `gather_facts` does.
    var gathering: RunSettings.Gathering = .implicit
    /// ansible.cfg / command-line defaults for plays that don't set these keywords.
    var forceHandlers = false
    var anyErrorsFatal = false

    func prepare(_ play: Play, imports: [PlaybookImport]) throws -> PlayPlan {
        let pattern = Self.patternText(play.hosts.value)
        var plan = PlayPlan(name: play.name.map { PythonRepr.text($0.value) } ?? pattern, hostPattern: pattern)
        plan.location = play.location
        plan.playbookDirectory = play.directory
        var inherited = InheritedKeywords()
        for playbookImport in imports {
            inherited.absorb(playbookImport.keywords)
            inherited.absorb(when: playbookImport.when, tags: playbookImport.tags)
            for (key, value) in playbookImport.vars.dictionary { plan.vars[key] = value }
        }
        inherited.absorb(play.keywords)
        inherited.absorb(when: [], tags: play.tags)
        plan.tags = Set(play.tags.tags)
        for (key, value) in play.vars.dictionary { plan.vars[key] = value }
        try applySettings(play.keywords, to: &plan)
        plan.varsPrompt = try VarsPromptEntry.parse(play.varsPrompt)

        var seenRoles = Set<String>()
        var roleItems: [PlanItem] = []
        var handlers: [TaskPlan] = []
        for inclusion in play.roles {
            try compileRole(inclusion, inherited: inherited, seen: &seenRoles, items: &roleItems, handlers: &handlers)
        }
        for role in roleItems.compactMap(Self.role(of:)) {
            for (key, value) in role.defaults { plan.exportedRoleDefaults[key] = value }
            for (key, value) in role.vars { plan.exportedRoleVars[key] = value }
        }
        plan.preTasks = try compiler.compile(play.preTasks, inherited: inherited)
        plan.tasks = roleItems + (try compiler.compile(play.tasks, inherited: inherited))
        plan.postTasks = try compiler.compile(play.postTasks, inherited: inherited)
        plan.handlers = handlers + (try compiler.compileHandlers(play.handlers, inherited: inherited))
        try HandlerCheck.verify(plan)
        return plan
    }

    /// A role's dependencies, then its tasks, as one block each; a role with the same parameters
    /// runs once per play unless it allows duplicates.
    private func compileRole(
        _ inclusion: RoleInclusion, inherited: InheritedKeywords, seen: inout Set<String>, items: inout [PlanItem],
        handlers: inout [TaskPlan]
    ) throws {
        let role = inclusion.role
        let key = role.path + "\u{0}" + PythonRepr.repr(.dict(inclusion.vars.dictionary))
        guard role.allowDuplicates || seen.insert(key).inserted else { return }
        var inner = inherited
        inner.absorb(inclusion.keywords)
        inner.absorb(when: inclusion.when, tags: inclusion.tags)
        for dependency in role.dependencies {
            try compileRole(dependency, inherited: inner, seen: &seen, items: &items, handlers: &handlers)
        }
        inner.role = compiler.rolePlan(inclusion)
        items.append(.block(BlockPlan(block: try compiler.compile(role.tasks, inherited: inner), location: inclusion.location)))
        handlers += try compiler.compileHandlers(role.handlers, inherited: inner)
    }

    private func applySettings(_ keywords: Keywords, to plan: inout PlayPlan) throws {
        func flag(_ name: String) -> Bool? {
            guard let value = keywords.value(name) else { return nil }
            if case .bool(let flag) = value { return flag }
            return ["yes", "true", "on", "1"].contains(PythonRepr.text(value).lowercased())
        }
        plan.gatherFacts = flag("gather_facts") ?? (gathering != .explicit)
        plan.gatherOnlyMissingFacts = gathering == .smart
        plan.anyErrorsFatal = flag("any_errors_fatal") ?? anyErrorsFatal
        plan.forceHandlers = flag("force_handlers") ?? forceHandlers
        if let strategy = keywords["strategy"] {
            let name = PythonRepr.text(strategy.value).replacingPrefix("ansible.builtin.")
            guard let parsed = PlayPlan.Strategy(rawValue: name) else {
                throw SourceError("invalid play strategy specified: \(name)", at: strategy.location)
            }
            plan.strategy = parsed
        }
        if let serial = keywords["serial"] {
            let values = serial.value.array ?? [serial.value]
            plan.serial = try values.map { value in
                guard let size = SerialBatches.Size(text: PythonRepr.text(value)) else {
                    throw SourceError("'serial' must be an integer or a percentage", at: serial.location)
                }
                return size
            }
        }
        if let percentage = keywords.value("max_fail_percentage") {
            plan.maxFailPercentage = Double(PythonRepr.text(percentage).trimmingSpaces)
        }
        if let order = keywords.value("order") { plan.order = PythonRepr.text(order) }
    }

    /// The role of a compiled role block (its first task's).
    private static func role(of item: PlanItem) -> RolePlan? {
        switch item {
        case .task(let task): return task.role
        case .block(let block): return block.block.lazy.compactMap(role(of:)).first
        }
    }

    static func patternText(_ value: Value) -> String {
        if let list = value.array { return list.map { PythonRepr.text($0) }.joined(separator: ",") }
        return PythonRepr.text(value)
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
