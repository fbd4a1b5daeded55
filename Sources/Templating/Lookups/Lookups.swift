import Foundation

/// `lookup()`, `query()` and `q()`: controller-side data sources, evaluated with the task's
/// ``LookupContext`` (search paths, environment).
enum Lookups {
    typealias Plugin = @Sendable (_ terms: [Value], _ options: CallArguments, _ renderer: Renderer) throws -> [Value]

    static let plugins: [String: Plugin] = builtin.merging(ListLookups.names.map { ($0, listLookup($0)) }) { own, _ in own }

    private static let builtin: [String: Plugin] = [
        "env": { terms, options, renderer in
            let fallback = options.named("default") ?? .string("")
            return try terms.map { term in
                renderer.context.environment[try term.pythonString()].map(Value.string) ?? fallback
            }
        },
        "file": { terms, options, renderer in
            let strip = try options.named("rstrip").map { try $0.truthy() } ?? true
            let lstrip = try options.named("lstrip").map { try $0.truthy() } ?? false
            return try terms.map { term in
                let name = try term.pythonString()
                guard let path = renderer.context.resolveFile(name), let data = FileManager.default.contents(atPath: path) else {
                    throw RenderFailure("The 'file' lookup had an issue accessing the file '\(name)'. file not found, use -vvvvv to see paths searched", kind: .other)
                }
                var text = String(decoding: data, as: UTF8.self)
                if strip { text = StringFunctions.strip(text, characters: nil, leading: false, trailing: true) }
                if lstrip { text = StringFunctions.strip(text, characters: nil, leading: true, trailing: false) }
                return .string(text)
            }
        },
        "lines": { terms, _, renderer in
            try terms.flatMap { term -> [Value] in
                let command = try term.pythonString()
                let output = try runShell(command, renderer: renderer, lookup: "lines")
                return StringFunctions.splitLines(output, keepEnds: false).map(Value.string)
            }
        },
        "pipe": { terms, _, renderer in
            try terms.map { term in
                let output = try runShell(try term.pythonString(), renderer: renderer, lookup: "pipe")
                return .string(StringFunctions.strip(output, characters: nil, leading: false, trailing: true))
            }
        },
        "vars": { terms, options, renderer in
            try terms.map { term in
                let name = try term.pythonString()
                let value = try renderer.lookup(name)
                if case .undefined = value {
                    if let fallback = options.named("default") { return fallback }
                    throw RenderFailure("No variable named '\(name)' was found.", kind: .undefined)
                }
                return value
            }
        },
        "template": { terms, options, renderer in
            try terms.map { term in
                let name = try term.pythonString()
                let loader = FileSystemTemplateLoader(
                    searchPaths: renderer.context.templateSearchPaths + renderer.context.fileSearchPaths
                        + [renderer.context.workingDirectory])
                guard let loaded = try renderer.engine.loader?.loadTemplate(named: name, referrer: nil)
                    ?? loader.loadTemplate(named: name, referrer: nil)
                else {
                    throw RenderFailure("the template file \(name) could not be found for the lookup", kind: .other)
                }
                var scope = try TemplateFileVariables.scope(
                    over: renderer.scope, path: name, fullPath: loaded.name, destination: nil,
                    managedFormat: renderer.context.ansibleManaged)
                if case .dict(let extra)? = options.named("template_vars") {
                    scope = OverlayScope(base: scope, overrides: extra)
                }
                let rendered = try renderer.engine.render(
                    loaded.source, name: loaded.name, scope: scope, options: .templateModule, context: renderer.context)
                return .string(rendered)
            }
        },
        "first_found": { terms, options, renderer in
            var named = ValueDictionary()
            for key in ["files", "paths", "skip"] { if let value = options.named(key) { named[key] = value } }
            let search = FirstFoundSearch(terms: terms, options: named)
            if let found = search.first({ renderer.context.resolveFile($0) }) { return [.string(found)] }
            if search.skip { return [] }
            throw RenderFailure("No file was found when using first_found.", kind: .other)
        },
        "fileglob": { terms, _, renderer in
            try terms.flatMap { term -> [Value] in
                let pattern = try term.pythonString()
                let directory = (pattern as NSString).deletingLastPathComponent
                let filePattern = (pattern as NSString).lastPathComponent
                let searchDirectory = directory.hasPrefix("/") ? directory
                    : renderer.context.resolveFile(directory.isEmpty ? "." : directory) ?? directory
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: searchDirectory)) ?? []
                return entries.sorted().compactMap { entry in
                    let path = (searchDirectory as NSString).appendingPathComponent(entry)
                    var isDirectory: ObjCBool = false
                    guard Glob.matches(entry, pattern: filePattern),
                        FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
                    else { return nil }
                    return .string(path)
                }
            }
        },
        "items": { terms, _, _ in
            terms.flatMap { term -> [Value] in term.array ?? [term] }
        },
        "list": { terms, _, _ in terms },
        "flattened": { terms, _, _ in
            func flatten(_ value: Value) -> [Value] { value.array.map { $0.flatMap(flatten) } ?? [value] }
            return terms.flatMap(flatten)
        },
        "indexed_items": { terms, _, _ in
            let items = terms.count == 1 ? (terms[0].array ?? terms) : terms
            return items.enumerated().map { .list([.int($0.offset), $0.element]) }
        },
        "dict": { terms, _, _ in
            try terms.flatMap { term -> [Value] in
                guard case .dict(let dictionary) = term else {
                    throw RenderFailure("with_dict expects a dict", kind: .other)
                }
                return dictionary.map { .object(["key": $0.key, "value": $0.value]) }
            }
        },
        "sequence": { terms, options, _ in try SequenceLookup.run(terms, options) },
        "password": { terms, options, renderer in try PasswordLookup.run(terms, options, renderer: renderer) },
        "ini": { terms, options, renderer in try IniLookup.run(terms, options, renderer: renderer) },
        "csvfile": { terms, options, renderer in try CSVFileLookup.run(terms, options, renderer: renderer) },
        "inventory_hostnames": { terms, options, renderer in
            try RunLookups.inventoryHostnames(terms, options, renderer: renderer)
        },
        "unvault": { terms, options, renderer in try RunLookups.unvault(terms, options, renderer: renderer) },
        "varnames": { terms, options, renderer in try RunLookups.varnames(terms, options, renderer: renderer) },
        "config": { terms, options, renderer in try RunLookups.config(terms, options, renderer: renderer) },
    ]

    /// A ``ListLookups`` lookup as a plugin; its failures become template errors (located by the caller).
    private static func listLookup(_ name: String) -> Plugin {
        { terms, _, _ in
            do { return try ListLookups.run(name, terms: terms) } catch let failure as LookupFailure {
                throw RenderFailure(failure.message)
            }
        }
    }

    static func run(_ arguments: CallArguments, renderer: Renderer, wantList forcedList: Bool) throws -> Value {
        guard let first = arguments.positional.first else {
            throw RenderFailure.type("lookup() missing 1 required positional argument: 'name'")
        }
        let name = Renderer.shortName(try first.pythonString())
        guard let plugin = plugins[name] else {
            throw RenderFailure("lookup plugin '\(try first.pythonString())' not found", kind: .other)
        }
        let wantList = try forcedList || (arguments.named("wantlist")?.truthy() ?? false)
        let errors = try arguments.named("errors").map { try $0.pythonString() } ?? "strict"
        let options = CallArguments(keyword: arguments.keyword.filter { $0.name != "wantlist" && $0.name != "errors" })
        let results: [Value]
        do {
            results = try plugin(Array(arguments.positional.dropFirst()), options, renderer)
        } catch {
            guard errors == "ignore" || errors == "warn" else {
                // Errors from the run's services (config, vault) become template errors so they get located.
                if error is RenderFailure || error is TemplateError { throw error }
                throw RenderFailure("\(error)")
            }
            return wantList ? .list([]) : .none
        }
        if wantList { return .list(results) }
        if results.count == 1 { return results[0] }
        if results.allSatisfy({ $0.string != nil }) && !results.isEmpty {
            return .string(results.compactMap(\.string).joined(separator: ","))
        }
        return .list(results)
    }

    private static func runShell(_ command: String, renderer: Renderer, lookup: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: renderer.context.workingDirectory)
        process.environment = renderer.context.environment
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch {
            throw RenderFailure("lookup_plugin.\(lookup)(\(command)) returned an error: \(error)", kind: .other)
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RenderFailure("lookup_plugin.\(lookup)(\(command)) returned \(process.terminationStatus)", kind: .other)
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension TemplateEngine {
    /// The lookup plugins `lookup()`/`query()` know, by short name (`ini`, `inventory_hostnames`, …).
    public static var lookupNames: Set<String> { Set(Lookups.plugins.keys) }
}

/// A scope with extra variables on top (for `template_vars`).
struct OverlayScope: VariableScope {
    let base: any VariableScope
    let overrides: ValueDictionary

    func value(of name: String) throws -> Value? {
        if let value = overrides[name] { return value }
        return try base.value(of: name)
    }

    func variableNames() -> [String] {
        let extra = overrides.keys.compactMap(\.string)
        let known = Set(extra)
        return extra + base.variableNames().filter { !known.contains($0) }
    }
}

/// Shell-style wildcard matching (`*`, `?`, `[abc]`) for `fileglob`.
enum Glob {
    static func matches(_ name: String, pattern: String) -> Bool {
        matches(Array(name)[...], Array(pattern)[...])
    }

    private static func matches(_ name: ArraySlice<Character>, _ pattern: ArraySlice<Character>) -> Bool {
        guard let head = pattern.first else { return name.isEmpty }
        switch head {
        case "*":
            var rest = name
            while true {
                if matches(rest, pattern.dropFirst()) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case "?":
            return !name.isEmpty && matches(name.dropFirst(), pattern.dropFirst())
        case "[":
            guard let close = pattern.dropFirst().firstIndex(of: "]"), let character = name.first else { return false }
            let set = pattern[(pattern.startIndex + 1)..<close]
            let negated = set.first == "!"
            let members = negated ? set.dropFirst() : set
            var found = false
            var index = members.startIndex
            while index < members.endIndex {
                if index + 2 < members.endIndex, members[index + 1] == "-" {
                    if members[index] <= character && character <= members[index + 2] { found = true }
                    index += 3
                } else {
                    if members[index] == character { found = true }
                    index += 1
                }
            }
            return found != negated && matches(name.dropFirst(), pattern[(close + 1)...])
        default:
            return name.first == head && matches(name.dropFirst(), pattern.dropFirst())
        }
    }
}
