import Foundation
import ModuleAPI
import Templating

/// One searched path's entries in the order ansible-core's `os.walk(top, topdown=True)` yields them,
/// and which of them the name, type, age, size and mode filters select.
struct FindWalk: Sendable {
    /// A walked directory's entries: its files, then its subdirectories (os.walk's `files + dirs`).
    struct Directory: Sendable {
        var entries: [FoundEntry]
    }

    let directories: [Directory]
    /// Paths of entries that pass every filter but `contains`.
    let selected: Set<String>
    /// The selected regular files, in walk order: the ones `contains` and `get_checksum` read.
    let regularMatches: [FoundEntry]

    init(top: String, entries: [FoundEntry], follow: Bool, query: FindModule.Query, now: Double) {
        // Children by parent, in `find`'s order, which is the directory's own order as os.scandir reads it.
        var children: [String: [FoundEntry]] = [:]
        for entry in entries {
            let parent = entry.depth == 1 ? top : entry.parent
            children[parent, default: []].append(entry)
        }
        var directories: [Directory] = []
        func visit(_ key: String) {
            let listed = children[key] ?? []
            let files = listed.filter { !$0.listsAsDirectory }
            let subdirectories = listed.filter(\.listsAsDirectory)
            directories.append(Directory(entries: files + subdirectories))
            guard query.recurse else { return }
            for directory in subdirectories where follow || !directory.isLink {
                // Entries below the depth limit were listed only to be counted; os.walk stops there.
                if let depth = query.depth, directory.depth > depth { continue }
                visit(directory.path)
            }
        }
        visit(top)
        self.directories = directories

        var selected = Set<String>()
        var regular: [FoundEntry] = []
        for directory in directories {
            for entry in directory.entries where Self.selects(entry, query: query, now: now) {
                selected.insert(entry.path)
                if entry.isRegular { regular.append(entry) }
            }
        }
        self.selected = selected
        regularMatches = regular
    }

    /// ansible-core's per-entry tests, `contains` aside.
    static func selects(_ entry: FoundEntry, query: FindModule.Query, now: Double) -> Bool {
        if let depth = query.depth, entry.depth > depth { return false }
        let name = entry.name
        if name.hasPrefix(".") && !query.hidden { return false }
        let stamp: Double
        switch query.ageStamp {
        case "atime": stamp = entry.atime
        case "ctime": stamp = entry.ctime
        default: stamp = entry.mtime
        }
        let common = { () -> Bool in
            query.patterns.selects(name) && FindFilters.age(query.age, stamp: stamp, now: now)
                && FindFilters.mode(query.mode, exact: query.exactMode, actual: entry.mode)
        }
        switch query.fileType {
        case "any": return common() && (!entry.isRegular || FindFilters.size(query.size, actual: entry.size))
        case "directory": return entry.isDirectory && common()
        case "link": return entry.isLink && common()
        default: return entry.isRegular && common() && FindFilters.size(query.size, actual: entry.size)
        }
    }
}

/// `contains` and `get_checksum`: one command over all candidate files. `grep -P` stands in for
/// Python's `re`: each line must match from its start (`re.match`), or with `read_whole_file` the
/// pattern is searched in the whole file (`-z`: the file is one record).
struct ContentCheck: Sendable {
    struct Outcome: Sendable {
        var matches: Bool
        var checksum: String?
    }

    var contains: String?
    var wholeFile: Bool
    var checksumCommand: String?

    init(arguments: ModuleArguments, fileType: String) {
        contains = fileType == "file" ? arguments.string("contains") : nil
        wholeFile = arguments.bool("read_whole_file")
        checksumCommand = arguments.bool("get_checksum")
            ? arguments.string("checksum_algorithm", default: "sha1") + "sum" : nil
    }

    func script(for files: [FoundEntry]) -> String {
        var lines = ["for f; do", "  m=1"]
        if let contains {
            let pattern = wholeFile ? contains : "^(?:\(contains))"
            lines.append("  grep -qsP\(wholeFile ? "z" : "") -e \(Shell.quote(pattern)) -- \"$f\" || m=0")
        }
        if let checksumCommand {
            lines.append("  s=; [ $m = 1 ] && s=$(\(checksumCommand) < \"$f\" 2>/dev/null | cut -d' ' -f1)")
        } else {
            lines.append("  s=")
        }
        lines += ["  printf '%s %s\\n' \"$m\" \"$s\"", "done"]
        return lines.joined(separator: "\n")
    }

    func run(on files: [FoundEntry], shell: TargetShell) async throws -> [String: Outcome] {
        guard contains != nil || checksumCommand != nil, !files.isEmpty else { return [:] }
        let output = try await shell.run(
            "sh -c \(Shell.quote(script(for: files))) sh " + files.map { Shell.quote($0.path) }.joined(separator: " "))
        let lines = output.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        guard output.exitStatus == 0, lines.count >= files.count else {
            throw ModuleFailure("could not read the candidate files: \(output.stderrText)")
        }
        var outcomes: [String: Outcome] = [:]
        for (file, line) in zip(files, lines) {
            let fields = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            let checksum = fields.count > 1 && !fields[1].isEmpty ? String(fields[1]) : nil
            outcomes[file.path] = Outcome(matches: fields.first == "1", checksum: checksum)
        }
        return outcomes
    }
}
