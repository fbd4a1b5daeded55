import Diagnostics
import Templating

/// Task lists, blocks and tasks.
extension LoaderSession {
    /// A task list (`tasks:`, `rescue:`, a task file). Null means empty.
    func parseTaskList(_ node: YAMLNode?, context: LoadContext, keyword: String) throws -> [TaskEntry] {
        guard let node else { return [] }
        switch node.content {
        case .scalar(let scalar) where scalar.value == .none:
            return []
        case .sequence(let elements):
            var entries: [TaskEntry] = []
            for element in elements {
                guard element.pairs != nil else {
                    let what = context.isHandler ? "a handler" : "a task"
                    throw LoadError(
                        "\(what) must be a mapping, got \(element.kindDescription)", at: element.location,
                        notes: element.scalar.map { _ in ["write the task as '- name: …' followed by the module, e.g. '  debug: msg=…'"] } ?? [])
                }
                entries.append(try parseTaskEntry(element, context: context))
            }
            return entries
        default:
            throw LoadError("'\(keyword)' must be a list of tasks, got \(node.kindDescription)", at: node.location)
        }
    }

    /// A task or a block (static imports come back as blocks).
    func parseTaskEntry(_ node: YAMLNode, context: LoadContext) throws -> TaskEntry {
        if node.pair("block") != nil {
            return .block(try parseBlock(node, context: context))
        }
        for keyword in ["rescue", "always"] {
            if let pair = node.pair(keyword) {
                throw LoadError("'\(keyword)' is only allowed in a block, next to 'block'", at: pair.key.location)
            }
        }
        return try parseTask(node, context: context)
    }

    /// `apply:` of a dynamic include, parsed as the keywords of a block around the included tasks
    /// (as ansible-core builds its parent block), so a bad keyword is reported before anything runs.
    private func parseApply(_ task: PlaybookTask, context: LoadContext) throws -> Block? {
        let includes = ["ansible.builtin.include_tasks", "ansible.builtin.include_role"]
        guard includes.contains(task.action.resolvedName), let apply = task.action.arguments["apply"] else { return nil }
        guard let pairs = apply.value.node.pairs else {
            throw LoadError("'apply' must be a mapping of task keywords, got \(apply.value.node.kindDescription)", at: apply.value.location)
        }
        if let nested = pairs.first(where: { ["block", "rescue", "always"].contains($0.keyText) }) {
            throw LoadError("'\(nested.keyText)' is not allowed in 'apply'", at: nested.key.location)
        }
        var block = try parseBlock(apply.value.node, context: context)
        block.role = nil
        return block
    }

    func parseBlock(_ node: YAMLNode, context: LoadContext) throws -> Block {
        var block = Block(location: node.location, block: [], role: context.role)
        for pair in node.pairs ?? [] {
            let key = pair.keyText
            switch key {
            case "block": block.block = try parseTaskList(pair.value, context: context, keyword: key)
            case "rescue": block.rescue = try parseTaskList(pair.value, context: context, keyword: key)
            case "always": block.always = try parseTaskList(pair.value, context: context, keyword: key)
            case "name": block.name = LocatedValue(pair.value)
            case "vars": block.vars = try parseVariables(pair.value, owner: "block")
            case "when": block.when = try parseConditions(pair.value)
            case "tags": block.tags = try parseTags(pair.value)
            case "notify": block.notify = try parseNames(pair.value, keyword: key)
            default:
                guard KeywordTable.block.contains(key) else {
                    throw LoadError.unknown(
                        "'\(key)' is not a valid keyword for a block", name: key,
                        candidates: KeywordTable.block.sorted(), at: pair.key.location)
                }
                try validateKeyword(key, pair.value)
                block.keywords[key] = LocatedValue(pair.value)
            }
        }
        return block
    }

    /// A task in any of the three syntaxes; `import_tasks`/`import_role` come back expanded.
    func parseTask(_ node: YAMLNode, context: LoadContext) throws -> TaskEntry {
        let allowed = context.isHandler ? KeywordTable.handler : KeywordTable.task
        let pairs = node.pairs ?? []
        var keywordPairs: [YAMLPair] = []
        var candidates: [YAMLPair] = []
        for pair in pairs {
            let key = pair.keyText
            if allowed.contains(key) || (key.hasPrefix("with_") && key.count > 5) {
                keywordPairs.append(pair)
            } else {
                candidates.append(pair)
            }
        }
        let action = try parseAction(node, keywordPairs: keywordPairs, candidates: candidates, context: context)
        var task = PlaybookTask(location: node.location, action: action, role: context.role, file: context.file)
        for pair in keywordPairs {
            try applyTaskKeyword(pair, to: &task, context: context)
        }
        if let local = node.pair("local_action") {
            task.keywords["delegate_to"] = LocatedValue(.string("localhost"), at: local.key)
        }
        task.apply = try parseApply(task, context: context)
        return try expandStaticImport(task, context: context)
    }

    private func applyTaskKeyword(_ pair: YAMLPair, to task: inout PlaybookTask, context: LoadContext) throws {
        let key = pair.keyText
        let value = pair.value
        switch key {
        case "action", "local_action", "args":
            break
        case "name":
            task.name = LocatedValue(value)
        case "vars":
            task.vars = try parseVariables(value, owner: context.isHandler ? "handler" : "task")
        case "when":
            task.when = try parseConditions(value)
        case "tags":
            task.tags = try parseTags(value)
        case "notify":
            task.notify = try parseNames(value, keyword: key)
        case "listen":
            task.listen = try parseNames(value, keyword: key)
        case "register":
            try validateKeyword(key, value)
            task.register = LocatedValue(value)
        case "loop_control":
            guard let pairs = value.pairs else {
                throw LoadError("'loop_control' must be a mapping, got \(value.kindDescription)", at: value.location)
            }
            let known = ["loop_var", "index_var", "label", "pause", "extended", "extended_allitems", "break_when"]
            if let unknown = pairs.first(where: { !known.contains($0.keyText) }) {
                throw LoadError.unknown(
                    "'\(unknown.keyText)' is not a valid 'loop_control' option", name: unknown.keyText,
                    candidates: known, at: unknown.key.location)
            }
            task.loopControl = LocatedValue(value)
        case "loop":
            try validateKeyword(key, value)
            try setLoop(TaskLoop(kind: .loop, items: LocatedValue(value)), on: &task, at: pair.key.location)
        default:
            if key.hasPrefix("with_") {
                let lookup = String(key.dropFirst(5))
                try setLoop(TaskLoop(kind: .with(lookup), items: LocatedValue(value)), on: &task, at: pair.key.location)
                return
            }
            try validateKeyword(key, value)
            task.keywords[key] = LocatedValue(value)
        }
    }

    private func setLoop(_ loop: TaskLoop, on task: inout PlaybookTask, at location: SourceLocation) throws {
        if task.loop != nil {
            throw LoadError("a task can have only one loop ('loop' or one 'with_*')", at: location)
        }
        task.loop = loop
    }
}
