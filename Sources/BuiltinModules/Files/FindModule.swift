import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.find`: files below paths selected by name, type, age, size, mode and content.
///
/// One command lists every path (``FindListing``); the walk, the name, age, size and mode filters
/// then run here exactly as ansible-core's `os.walk` loop does, so `examined`, `limit` and the order
/// of `files` agree. Only `contains` and `get_checksum` need the files' content: one more command
/// greps and sums the remaining candidates on the target, never one round trip per file.
public struct FindModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.find",
        arguments: ArgumentSpec([
            "paths": OptionSpec(.list(elements: .path), required: true, aliases: ["name", "path"]),
            "patterns": OptionSpec(.list(elements: .string), default: .list([]), aliases: ["pattern"]),
            "excludes": OptionSpec(.list(elements: .string), aliases: ["exclude"]),
            "contains": OptionSpec(.string),
            "read_whole_file": OptionSpec(.bool, default: false),
            "file_type": OptionSpec(.string, default: "file", choices: ["any", "directory", "file", "link"]),
            "age": OptionSpec(.string),
            "age_stamp": OptionSpec(.string, default: "mtime", choices: ["atime", "ctime", "mtime"]),
            "size": OptionSpec(.string),
            "recurse": OptionSpec(.bool, default: false),
            "hidden": OptionSpec(.bool, default: false),
            "follow": OptionSpec(.bool, default: false),
            "get_checksum": OptionSpec(.bool, default: false),
            "checksum_algorithm": OptionSpec(
                .string, default: "sha1", choices: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
                aliases: ["checksum", "checksum_algo"]),
            "use_regex": OptionSpec(.bool, default: false),
            "depth": OptionSpec(.int),
            "mode": OptionSpec(.raw),
            "exact_mode": OptionSpec(.bool, default: true),
            "encoding": OptionSpec(.string),
            "limit": OptionSpec(.int),
        ]))

    public init() {}

    /// The options that decide which entries match, read once.
    struct Query {
        var patterns: FindPatterns
        var fileType: String
        var age: Int?
        var ageStamp: String
        var size: Int?
        var mode: UInt16?
        var exactMode: Bool
        var hidden: Bool
        var recurse: Bool
        var depth: Int?
        var limit: Int?
    }

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let query = try Self.query(arguments)
            let paths = arguments.stringList("paths") ?? []
            let follow = arguments.bool("follow")
            // One level below the deepest reported entry is listed too: os.walk counts it in `examined`.
            let maxDepth = query.recurse ? query.depth.map { $0 + 1 } : 1
            let shell = TargetShell(invocation)
            let listing = try await FindListing.run(paths: paths, follow: follow, maxDepth: maxDepth, shell: shell)

            var walks: [(path: String, walk: FindWalk?)] = []
            for path in paths {
                if let expanded = listing.notDirectories[path] {
                    walks.append((expanded, nil))
                } else {
                    let entries = listing.entries[path] ?? []
                    walks.append((path, FindWalk(top: path, entries: entries, follow: follow, query: query, now: listing.now)))
                }
            }
            let candidates = walks.flatMap { $0.walk?.regularMatches ?? [] }
            let content = try await ContentCheck(arguments: arguments, fileType: query.fileType)
                .run(on: candidates, shell: shell)
            return Self.collect(walks: walks, query: query, content: content, unreadable: listing.unreadable)
        }
    }

    static func query(_ arguments: ModuleArguments) throws(ModuleFailure) -> Query {
        var modeBits: UInt16?
        if let mode = arguments.value("mode") {
            guard case .string(let text) = mode else {
                throw ModuleFailure(
                    "argument 'mode' is not a string and conversion is not allowed, value is of type \(mode.pythonTypeName)")
            }
            if !text.isEmpty { modeBits = try FindFilters.modeBits(text) }
        }
        let useRegex = arguments.bool("use_regex")
        var patterns = arguments.stringList("patterns") ?? []
        if patterns.isEmpty { patterns = [useRegex ? ".*" : "*"] }
        var age: Int?
        if let text = arguments.string("age") {
            guard let seconds = FindFilters.seconds(text) else {
                throw ModuleFailure("failed to process age", values: ["age": .string(text)])
            }
            age = seconds
        }
        var size: Int?
        if let text = arguments.string("size") {
            guard let bytes = FindFilters.bytes(text) else {
                throw ModuleFailure("failed to process size", values: ["size": .string(text)])
            }
            size = bytes
        }
        let limit = arguments.int("limit")
        if let limit, limit <= 0 { throw ModuleFailure("limit cannot be \(limit) (use None for unlimited)") }
        let depth = arguments.int("depth")
        return Query(
            patterns: try FindPatterns(
                patterns: patterns, excludes: arguments.stringList("excludes") ?? [], useRegex: useRegex),
            fileType: arguments.string("file_type", default: "file"), age: age,
            ageStamp: arguments.string("age_stamp", default: "mtime"), size: size, mode: modeBits,
            exactMode: arguments.bool("exact_mode", default: true), hidden: arguments.bool("hidden"),
            recurse: arguments.bool("recurse"), depth: depth == 0 ? nil : depth, limit: limit)
    }

    /// Replays ansible-core's loop over the walks with the content results: `limit` stops a walk as
    /// soon as the count equals it (and, as there, a later path only stops at its first entry when
    /// the count still equals the limit).
    static func collect(
        walks: [(path: String, walk: FindWalk?)], query: Query, content: [String: ContentCheck.Outcome],
        unreadable: [String: String]
    ) -> ModuleResult {
        var files: [Value] = []
        var examined = 0
        var skipped = ValueDictionary()
        var warnings: [String] = []
        var message = "All paths examined"
        for (path, walk) in walks {
            guard let walk else {
                let reason = "'\(path)' is not a directory"
                skipped[path] = .string(reason)
                warnings.append("Skipped '\(path)' path due to this access issue: \(reason)\n")
                continue
            }
            walkLoop: for directory in walk.directories {
                examined += directory.entries.count
                for entry in directory.entries {
                    if walk.selected.contains(entry.path), content[entry.path]?.matches ?? true {
                        var values = entry.values
                        if let checksum = content[entry.path]?.checksum { values["checksum"] = .string(checksum) }
                        files.append(.dict(values))
                    }
                    if files.count == query.limit {
                        message = "Limit of matches reached"
                        break walkLoop
                    }
                }
            }
        }
        for (path, reason) in unreadable { skipped[path] = .string(reason) }
        if !warnings.isEmpty { message = "Not all paths examined, check warnings for details" }
        var values = ValueDictionary()
        values["files"] = .list(files)
        values["matched"] = .int(files.count)
        values["examined"] = .int(examined)
        values["skipped_paths"] = .dict(skipped)
        return ModuleResult(message: message, values: values, warnings: warnings)
    }
}

extension Value {
    /// The Python type name ansible-core puts in its type errors.
    var pythonTypeName: String {
        switch self {
        case .int: return "int"
        case .float: return "float"
        case .bool: return "bool"
        case .list: return "list"
        case .dict: return "dict"
        default: return "str"
        }
    }
}
