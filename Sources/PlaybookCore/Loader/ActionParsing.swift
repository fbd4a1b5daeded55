import Diagnostics
import Templating

/// Finding a task's action and normalizing its arguments, as ansible-core's `ModuleArgsParser`.
extension LoaderSession {
    func parseAction(
        _ node: YAMLNode, keywordPairs: [YAMLPair], candidates: [YAMLPair], context: LoadContext
    ) throws -> TaskAction {
        let additional = node.pair("args")
        var found: (pair: YAMLPair, name: String, resolution: ActionResolver.Resolution, oldStyle: Bool)?
        for keyword in ["action", "local_action"] {
            guard let pair = node.pair(keyword) else { continue }
            if found != nil {
                throw LoadError("'action' and 'local_action' are mutually exclusive", at: pair.key.location)
            }
            let (name, location) = try oldStyleActionName(pair.value)
            guard let resolution = actions.resolve(name) else {
                throw unresolved(name, at: location)
            }
            found = (pair, name, resolution, true)
        }
        var unknownKeys: [YAMLPair] = []
        for pair in candidates {
            let name = pair.keyText
            guard let resolution = actions.resolve(name) else {
                unknownKeys.append(pair)
                continue
            }
            if let existing = found {
                throw LoadError(
                    "conflicting action statements: \(existing.name), \(name)", at: pair.key.location,
                    notes: ["a task runs exactly one module or action"])
            }
            found = (pair, name, resolution, false)
        }
        guard let found else {
            guard let first = unknownKeys.first else {
                throw LoadError("no module/action detected in task", at: node.location)
            }
            throw unresolved(first.keyText, at: first.key.location, keywords: context.isHandler ? KeywordTable.handler : KeywordTable.task)
        }
        if let unknown = unknownKeys.first {
            let what = context.isHandler ? "handler" : "task"
            throw LoadError.unknown(
                "'\(unknown.keyText)' is not a valid keyword for a \(what)", name: unknown.keyText,
                candidates: (context.isHandler ? KeywordTable.handler : KeywordTable.task).sorted(),
                at: unknown.key.location)
        }
        var arguments = TaskArguments()
        if let additional {
            arguments = try additionalArguments(additional.value)
        }
        let own = try found.oldStyle
            ? oldStyleArguments(found.pair.value, resolution: found.resolution)
            : newStyleArguments(found.pair.value, resolution: found.resolution)
        for argument in own.arguments { arguments.set(argument) }
        if arguments["_raw_params"] != nil, !found.resolution.takesRawParameters {
            throw LoadError(
                "this task '\(found.name)' has extra params, which is only allowed in the following modules: "
                    + ActionResolver.rawParameterActions.sorted().joined(separator: ", "),
                at: arguments["_raw_params"]?.value.location ?? found.pair.value.location)
        }
        if !found.resolution.isFreeForm, let reserved = arguments.arguments.first(where: { $0.name.hasPrefix("_ansible_") }) {
            throw LoadError(
                "invalid parameter '\(reserved.name)' for action '\(found.name)': the prefix '_ansible_' is reserved for internal use",
                at: reserved.keyLocation)
        }
        return TaskAction(
            writtenName: found.name, resolvedName: found.resolution.canonicalName,
            isControllerAction: found.resolution.isControllerAction, arguments: arguments,
            location: found.pair.key.location)
    }

    private func unresolved(_ name: String, at location: SourceLocation, keywords: Set<String> = []) -> LoadError {
        let message = "couldn't resolve module/action '\(name)'"
        if let action = Suggestion.closest(to: name, in: actions.knownNames.sorted()) {
            return LoadError(message, at: location, notes: ["did you mean '\(action)'?"])
        }
        if let keyword = Suggestion.closest(to: name, in: keywords.sorted()) {
            return LoadError(message, at: location, notes: ["did you mean the keyword '\(keyword)'?"])
        }
        return LoadError(
            message, at: location,
            notes: ["this often indicates a misspelling, missing collection, or incorrect module path"])
    }

    /// `action: copy src=a` or `action: {module: copy, src: a}`: the module name and its location.
    private func oldStyleActionName(_ node: YAMLNode) throws -> (String, SourceLocation) {
        if let module = node["module"], let text = module.scalar?.text {
            let tokens = try split(text, at: module)
            return (tokens.first?.trimmingPythonWhitespace() ?? "", module.location)
        }
        guard let scalar = node.scalar, case .string(let text) = scalar.value else {
            throw LoadError("unexpected parameter type in action: \(node.kindDescription)", at: node.location)
        }
        let tokens = try split(text, at: node)
        guard let first = tokens.first, !first.trimmingPythonWhitespace().isEmpty else {
            throw LoadError("no module/action detected in task", at: node.location)
        }
        return (first.trimmingPythonWhitespace(), node.location)
    }

    private func oldStyleArguments(_ node: YAMLNode, resolution: ActionResolver.Resolution) throws -> TaskArguments {
        if let pairs = node.pairs {
            var arguments = TaskArguments()
            for pair in pairs where pair.keyText != "module" {
                arguments.set(.init(name: pair.keyText, value: LocatedValue(pair.value), keyLocation: pair.key.location))
            }
            if let module = node["module"], let text = module.scalar?.text {
                let rest = try split(text, at: module).dropFirst().joined(separator: " ")
                for argument in try kvArguments(rest, at: module, checkRaw: resolution.isFreeForm).arguments {
                    arguments.set(argument)
                }
            }
            return arguments
        }
        guard let text = node.scalar?.text else { return TaskArguments() }
        let rest = try split(text, at: node).dropFirst().joined(separator: " ")
        return try kvArguments(rest, at: node, checkRaw: resolution.isFreeForm)
    }

    private func newStyleArguments(_ node: YAMLNode, resolution: ActionResolver.Resolution) throws -> TaskArguments {
        switch node.content {
        case .mapping(let pairs):
            var arguments = TaskArguments()
            for pair in pairs {
                arguments.set(.init(name: pair.keyText, value: LocatedValue(pair.value), keyLocation: pair.key.location))
            }
            return arguments
        case .scalar(let scalar):
            switch scalar.value {
            case .none: return TaskArguments()
            case .string(let text):
                if scalar.tag == "!vault" || scalar.tag == "!vault-encrypted" {
                    return TaskArguments([.init(name: "_raw_params", value: LocatedValue(node), keyLocation: node.location)])
                }
                return try kvArguments(text, at: node, checkRaw: resolution.isFreeForm)
            default:
                // `command: 42` and the like: Ansible renders the scalar to text and parses it.
                return try kvArguments(scalar.text, at: node, checkRaw: resolution.isFreeForm)
            }
        case .sequence:
            throw LoadError("unexpected parameter type in action: a list", at: node.location)
        }
    }

    /// `args:`: a mapping, or a template that yields one at run time.
    private func additionalArguments(_ node: YAMLNode) throws -> TaskArguments {
        if let pairs = node.pairs {
            var arguments = TaskArguments()
            for pair in pairs {
                arguments.set(.init(name: pair.keyText, value: LocatedValue(pair.value), keyLocation: pair.key.location))
            }
            return arguments
        }
        if case .string(let text) = node.scalar?.value, Template.isTemplate(text) {
            var arguments = TaskArguments()
            arguments.variableParameters = LocatedValue(node)
            return arguments
        }
        if node.scalar?.value == Value.none { return TaskArguments() }
        throw LoadError(
            "the value of the task 'args' keyword is invalid: a mapping or a template which resolves to a mapping is required",
            at: node.location)
    }

    private func kvArguments(_ text: String, at node: YAMLNode, checkRaw: Bool) throws -> TaskArguments {
        let pairs: [(String, String)]
        do {
            pairs = try ParseKV.parse(text, checkRaw: checkRaw)
        } catch {
            throw splitFailure(node)
        }
        return TaskArguments(pairs.map { .init(name: $0.0, value: LocatedValue(.string($0.1), at: node), keyLocation: node.location) })
    }

    private func split(_ text: String, at node: YAMLNode) throws -> [String] {
        do {
            return try ParseKV.split(text)
        } catch {
            throw splitFailure(node)
        }
    }

    private func splitFailure(_ node: YAMLNode) -> LoadError {
        LoadError(
            "failed at splitting arguments, either an unbalanced jinja2 block or quotes", at: node.location)
    }
}
