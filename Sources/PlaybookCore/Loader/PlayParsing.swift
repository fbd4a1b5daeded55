import Diagnostics
import Foundation
import Templating

/// Playbooks, plays and `import_playbook`.
extension LoaderSession {
    func loadPlaybook(_ path: String, chain: [String], at location: SourceLocation? = nil) throws -> Playbook {
        let absolutePath = absolute(path, relativeTo: options.workingDirectory)
        guard fileExists(absolutePath) else {
            throw LoadError("the playbook '\(path)' could not be found", at: location)
        }
        if chain.contains(absolutePath) {
            throw LoadError("recursive import of playbook '\(path)'", at: location)
        }
        let (node, shown) = try parseFile(absolutePath)
        let directory = (absolutePath as NSString).deletingLastPathComponent
        guard let node else {
            return Playbook(path: shown, directory: directory, entries: [])
        }
        guard let elements = node.elements else {
            throw LoadError("a playbook must be a list of plays, got \(node.kindDescription) instead", at: node.location)
        }
        let context = LoadContext(
            file: shown, playbookDirectory: directory, role: nil, isHandler: false, chain: chain + [absolutePath])
        var entries: [PlaybookEntry] = []
        for element in elements {
            guard element.pairs != nil else {
                throw LoadError("a play must be a mapping, got \(element.kindDescription)", at: element.location)
            }
            if let importPair = element.pair("import_playbook") ?? element.pair("ansible.builtin.import_playbook") {
                entries.append(.importPlaybook(try parsePlaybookImport(element, pathPair: importPair, context: context)))
            } else {
                entries.append(.play(try parsePlay(element, context: context)))
            }
        }
        return Playbook(path: shown, directory: directory, entries: entries)
    }

    private func parsePlaybookImport(_ node: YAMLNode, pathPair: YAMLPair, context: LoadContext) throws -> PlaybookImport {
        guard case .string(let written) = pathPair.value.value else {
            throw LoadError("'import_playbook' needs a file name, got \(pathPair.value.kindDescription)",
                at: pathPair.value.location)
        }
        let path = try substituteStaticVariables(written, at: pathPair.value.location)
        var keywords = Keywords()
        var vars = Variables()
        var when: [LocatedValue] = []
        var tags = TagList()
        for pair in node.pairs ?? [] where pair.key != pathPair.key {
            let key = pair.keyText
            switch key {
            case "vars": vars = try parseVariables(pair.value, owner: "import_playbook")
            case "when": when = try parseConditions(pair.value)
            case "tags": tags = try parseTags(pair.value)
            default:
                guard KeywordTable.playbookImport.contains(key) else {
                    throw LoadError.unknown(
                        "'\(key)' is not a valid keyword for 'import_playbook'", name: key,
                        candidates: KeywordTable.playbookImport.sorted(), at: pair.key.location)
                }
                try validateKeyword(key, pair.value)
                keywords[key] = LocatedValue(pair.value)
            }
        }
        let resolved = absolute(path, relativeTo: context.playbookDirectory)
        let playbook = try loadPlaybook(
            display(resolved), chain: context.chain, at: pathPair.value.location)
        return PlaybookImport(
            location: node.location, path: LocatedValue(pathPair.value), playbook: playbook, keywords: keywords,
            vars: vars, when: when, tags: tags)
    }

    /// Replaces `{{ name }}` with extra variables, the only templating a path resolved at load time
    /// can use; anything else is an error that says so.
    func substituteStaticVariables(_ text: String, at location: SourceLocation) throws -> String {
        guard Template.isTemplate(text) else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = rest[open.upperBound..<close.lowerBound].trimmingPythonWhitespace()
            guard Identifier.isValid(name), let value = options.staticVariables[name] else {
                throw LoadError(
                    "'\(text)' can only use extra variables ('-e name=value') here: the import is resolved when the playbook loads",
                    at: location)
            }
            switch value {
            case .string(let string): result += string
            case .int(let number): result += String(number)
            default:
                throw LoadError("extra variable '\(name)' must be a string to be used in '\(text)'", at: location)
            }
            rest = rest[close.upperBound...]
        }
        result += rest
        guard !Template.isTemplate(result) else {
            throw LoadError("'\(text)' is not a template that can be resolved when the playbook loads", at: location)
        }
        return result
    }

    func parsePlay(_ node: YAMLNode, context: LoadContext) throws -> Play {
        var name: LocatedValue?
        var hosts: LocatedValue?
        var keywords = Keywords()
        var vars = Variables()
        var varsFiles: [LocatedValue] = []
        var varsPrompt: LocatedValue?
        var tags = TagList()
        var roles: [RoleInclusion] = []
        var lists: [String: [TaskEntry]] = [:]
        for pair in node.pairs ?? [] {
            let key = pair.keyText
            let value = pair.value
            switch key {
            case "name": name = LocatedValue(value)
            case "hosts":
                guard value.pairs == nil, value.scalar?.value != Value.none else {
                    throw LoadError("'hosts' must be a host pattern or a list of them, got \(value.kindDescription)",
                        at: value.location)
                }
                hosts = LocatedValue(value)
            case "vars": vars = try parseVariables(value, owner: "play")
            case "vars_files": varsFiles = try parseVarsFiles(value)
            case "vars_prompt": varsPrompt = LocatedValue(value)
            case "tags": tags = try parseTags(value)
            case "roles": roles = try parseRoleInclusions(value, context: context, keyword: key)
            case "pre_tasks", "tasks", "post_tasks":
                lists[key] = try parseTaskList(value, context: context, keyword: key)
            case "handlers":
                var handlerContext = context
                handlerContext.isHandler = true
                lists[key] = try parseTaskList(value, context: handlerContext, keyword: key)
            default:
                guard KeywordTable.play.contains(key) else {
                    throw LoadError.unknown(
                        "'\(key)' is not a valid keyword for a play", name: key, candidates: KeywordTable.play.sorted(),
                        at: pair.key.location)
                }
                try validateKeyword(key, value)
                keywords[key] = LocatedValue(value)
            }
        }
        guard let hosts else {
            throw LoadError("the field 'hosts' is required but was not set", at: node.location)
        }
        return Play(
            location: node.location, name: name, hosts: hosts, keywords: keywords, vars: vars, varsFiles: varsFiles,
            varsPrompt: varsPrompt, tags: tags, roles: roles, preTasks: lists["pre_tasks"] ?? [],
            tasks: lists["tasks"] ?? [], postTasks: lists["post_tasks"] ?? [], handlers: lists["handlers"] ?? [],
            directory: context.playbookDirectory)
    }

    /// `vars_files`: a file name or a list; a list element that is itself a list means "the first
    /// of these files that exists".
    private func parseVarsFiles(_ node: YAMLNode) throws -> [LocatedValue] {
        if node.scalar?.value == Value.none { return [] }
        let elements = node.elements ?? [node]
        return try elements.map { element in
            switch element.value {
            case .string: return LocatedValue(element)
            case .list(let names) where names.allSatisfy({ $0.string != nil }): return LocatedValue(element)
            default:
                throw LoadError(
                    "'vars_files' entries must be file names or lists of file names, got \(element.kindDescription)",
                    at: element.location)
            }
        }
    }
}
