import Diagnostics
import Foundation
import ModuleAPI
import Templating

/// Which role to load and which of its entry files.
struct RoleRequest: Hashable {
    var name: String
    var tasksFrom: String?
    var varsFrom: String?
    var defaultsFrom: String?
    var handlersFrom: String?
}

/// Finding roles on the search path and loading their directories.
extension LoaderSession {
    /// Role search path: the playbook's `roles/`, `roles_path`, the repository-style `Roles/`
    /// beside the playbook directory's parent, then the playbook directory itself.
    func roleSearchPath(playbookDirectory: String) -> [String] {
        let parent = (playbookDirectory as NSString).deletingLastPathComponent
        return [playbookDirectory + "/roles"]
            + options.rolesPath.map { absolute(($0 as NSString).expandingTildeInPath, relativeTo: playbookDirectory) }
            + [parent + "/Roles", playbookDirectory]
    }

    func findRole(_ name: String, playbookDirectory: String, at location: SourceLocation) throws -> String {
        if name.contains("/") {
            let path = absolute(name, relativeTo: playbookDirectory)
            guard directoryExists(path) else {
                throw LoadError("the role '\(name)' was not found at '\(display(path))'", at: location)
            }
            return path
        }
        let searchPath = roleSearchPath(playbookDirectory: playbookDirectory)
        for directory in searchPath where directoryExists(directory + "/" + name) {
            return absolute(name, relativeTo: directory)
        }
        let known = searchPath.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
                directoryExists(directory + "/" + $0)
            }
        }
        throw LoadError.unknown(
            "the role '\(name)' was not found in " + searchPath.map(display).joined(separator: ":"), name: name,
            candidates: known, at: location)
    }

    func loadRole(
        _ request: RoleRequest, playbookDirectory: String, at location: SourceLocation, chain: [String]
    ) throws -> Role {
        let path = try findRole(request.name, playbookDirectory: playbookDirectory, at: location)
        let cacheKey = "\(path)|\(request.tasksFrom ?? "")|\(request.varsFrom ?? "")|\(request.defaultsFrom ?? "")|\(request.handlersFrom ?? "")"
        if let cached = roleCache[cacheKey] { return cached }
        if chain.contains(path) {
            throw LoadError("role '\(request.name)' depends on itself", at: location)
        }
        let name = (path as NSString).lastPathComponent
        let defaults = try roleVariables(path, "defaults", request.defaultsFrom, at: location)
        let vars = try roleVariables(path, "vars", request.varsFrom, at: location)
        let scope = RoleScope(name: name, path: path, defaults: defaults, vars: vars, parameters: Variables())
        let context = LoadContext(
            file: display(path), playbookDirectory: playbookDirectory, role: scope, isHandler: false,
            chain: chain + [path])
        var meta: (dependencies: [RoleInclusion], allowDuplicates: Bool, specs: YAMLNode?) = ([], false, nil)
        if let metaFile = try roleFile(path, "meta", nil, at: location) {
            meta = try parseRoleMeta(metaFile, context: context)
        }
        if let specsFile = try roleFile(path, "meta", "argument_specs", optional: true, at: location),
            let specsNode = try parseFile(specsFile).node?["argument_specs"]
        {
            meta.specs = specsNode
        }
        var tasks: [TaskEntry] = []
        if let tasksFile = try roleFile(path, "tasks", request.tasksFrom, at: location) {
            tasks = try loadTaskFile(tasksFile, context: context)
        }
        var handlers: [TaskEntry] = []
        if let handlersFile = try roleFile(path, "handlers", request.handlersFrom, at: location) {
            var handlerContext = context
            handlerContext.isHandler = true
            handlers = try loadTaskFile(handlersFile, context: handlerContext)
        }
        let role = Role(
            name: name, path: path, tasks: tasks, handlers: handlers, defaults: defaults, vars: vars,
            dependencies: meta.dependencies, allowDuplicates: meta.allowDuplicates,
            argumentSpecs: meta.specs.map(RoleArgumentSpecs.init(node:)))
        roleCache[cacheKey] = role
        return role
    }

    /// `<role>/<directory>/<file or main>` with `.yml`, `.yaml`, `.json` or no extension; nil when the
    /// role has no such file (an explicit `*_from` that does not exist is an error).
    private func roleFile(
        _ rolePath: String, _ directory: String, _ file: String?, optional: Bool = false, at location: SourceLocation
    ) throws -> String? {
        let base = rolePath + "/" + directory + "/" + (file ?? "main")
        for candidate in [base, base + ".yml", base + ".yaml", base + ".json"] where fileExists(candidate) {
            return candidate
        }
        if let file, !optional {
            throw LoadError("could not find '\(file)' in '\(display(rolePath + "/" + directory))'", at: location)
        }
        return nil
    }

    private func roleVariables(_ rolePath: String, _ directory: String, _ file: String?, at location: SourceLocation)
        throws -> Variables
    {
        guard let path = try roleFile(rolePath, directory, file, at: location) else { return Variables() }
        let (node, shown) = try parseFile(path)
        guard let node else { return Variables() }
        return try parseVariables(node, owner: "file '\(shown)'")
    }

    private func parseRoleMeta(_ path: String, context: LoadContext) throws -> ([RoleInclusion], Bool, YAMLNode?) {
        let (node, shown) = try parseFile(path)
        guard let node else { return ([], false, nil) }
        guard node.pairs != nil else {
            throw LoadError("role metadata in '\(shown)' must be a mapping, got \(node.kindDescription)", at: node.location)
        }
        var dependencies: [RoleInclusion] = []
        if let list = node["dependencies"] {
            var metaContext = context
            metaContext.file = shown
            metaContext.role = nil
            dependencies = try parseRoleInclusions(list, context: metaContext, keyword: "dependencies")
        }
        let allowDuplicates = node["allow_duplicates"]?.value == .bool(true)
            || node["allow_duplicates"]?.value.string.flatMap(ArgumentValidation.bool) == true
        return (dependencies, allowDuplicates, node["argument_specs"])
    }

    /// `roles:` or `dependencies:` entries: strings, or mappings with `role:`/`name:`, keywords and
    /// parameters.
    func parseRoleInclusions(_ node: YAMLNode, context: LoadContext, keyword: String) throws -> [RoleInclusion] {
        if node.scalar?.value == Value.none { return [] }
        guard let elements = node.elements else {
            throw LoadError("'\(keyword)' must be a list of roles, got \(node.kindDescription)", at: node.location)
        }
        return try elements.map { try parseRoleInclusion($0, context: context) }
    }

    private func parseRoleInclusion(_ node: YAMLNode, context: LoadContext) throws -> RoleInclusion {
        if let scalar = node.scalar, case .string(let name) = scalar.value {
            let role = try loadRole(
                RoleRequest(name: name), playbookDirectory: context.playbookDirectory, at: node.location,
                chain: context.chain)
            return RoleInclusion(
                location: node.location, name: LocatedValue(node), role: role, keywords: Keywords(), vars: Variables(),
                when: [], tags: TagList())
        }
        guard let pairs = node.pairs else {
            throw LoadError("a role entry must be a name or a mapping, got \(node.kindDescription)", at: node.location)
        }
        guard let nameNode = node["role"] ?? node["name"], case .string(let name) = nameNode.value else {
            throw LoadError("role definitions must contain a role name ('role:')", at: node.location)
        }
        var keywords = Keywords()
        var vars = Variables()
        var when: [LocatedValue] = []
        var tags = TagList()
        for pair in pairs {
            let key = pair.keyText
            switch key {
            case "role": continue
            case "name" where node["role"] == nil: continue
            case "vars": vars.merge(try parseVariables(pair.value, owner: "role '\(name)'"))
            case "when": when = try parseConditions(pair.value)
            case "tags": tags = try parseTags(pair.value)
            default:
                if KeywordTable.roleEntry.contains(key) {
                    try validateKeyword(key, pair.value)
                    keywords[key] = LocatedValue(pair.value)
                } else {
                    // Any other key is a role parameter.
                    vars.set(.init(name: key, value: LocatedValue(pair.value), location: pair.key.location))
                }
            }
        }
        let role = try loadRole(
            RoleRequest(name: name), playbookDirectory: context.playbookDirectory, at: nameNode.location,
            chain: context.chain)
        return RoleInclusion(
            location: node.location, name: LocatedValue(nameNode), role: role, keywords: keywords, vars: vars, when: when,
            tags: tags)
    }
}

extension RoleInclusion {
    /// The role as one block, as ansible-core compiles it: the dependencies' blocks first, then the
    /// role's tasks, each task scoped to its role with this inclusion's parameters; the block carries
    /// the inclusion's keywords, `when` and `tags`.
    public func compiledBlock() -> Block {
        var scope = RoleScope(name: role.name, path: role.path, defaults: role.defaults, vars: role.vars, parameters: vars)
        scope.parameters = vars
        let dependencyBlocks = role.dependencies.map { TaskEntry.block($0.compiledBlock()) }
        let tasks = role.tasks.map { $0.scoped(to: scope) }
        return Block(
            location: location, name: nil, origin: .role(self), block: dependencyBlocks + tasks, keywords: keywords,
            vars: Variables(), when: when, tags: tags, role: scope)
    }
}

extension TaskEntry {
    /// The entry with every task's role scope set to `scope` (to carry the inclusion's parameters).
    func scoped(to scope: RoleScope) -> TaskEntry {
        switch self {
        case .task(var task):
            if task.role?.path == scope.path { task.role = scope }
            return .task(task)
        case .block(var block):
            if block.role?.path == scope.path { block.role = scope }
            block.block = block.block.map { $0.scoped(to: scope) }
            block.rescue = block.rescue.map { $0.scoped(to: scope) }
            block.always = block.always.map { $0.scoped(to: scope) }
            return .block(block)
        }
    }
}
