import ModuleAPI
import Templating

/// The ownership and permissions a task asks for (`mode`, `owner`, `group`), shared by file, copy,
/// template, lineinfile and the others that accept Ansible's common file arguments.
struct FileAttributes: Sendable, Equatable {
    var mode: FileMode?
    var owner: String?
    var group: String?

    init(mode: FileMode? = nil, owner: String? = nil, group: String? = nil) {
        self.mode = mode
        self.owner = owner
        self.group = group
    }

    /// Reads `mode`, `owner` and `group`; `mode: preserve` is left to the caller.
    init(_ arguments: ModuleArguments) throws(ModuleFailure) {
        if let value = arguments.value("mode"), value != .string("preserve") {
            mode = try FileMode.parse(value)
        }
        owner = arguments.string("owner")
        group = arguments.string("group")
    }

    static let specOptions: [String: OptionSpec] = [
        "mode": OptionSpec(.raw),
        "owner": OptionSpec(.string),
        "group": OptionSpec(.string),
        "seuser": OptionSpec(.string),
        "serole": OptionSpec(.string),
        "setype": OptionSpec(.string),
        "selevel": OptionSpec(.string),
        "unsafe_writes": OptionSpec(.bool, default: false),
        "attributes": OptionSpec(.string, aliases: ["attr"]),
    ]

    /// What must change on an existing path: the mode to set and the owner/group to give.
    struct Change: Sendable, Equatable {
        var mode: UInt16?
        var owner: String?
        var group: String?
        var isEmpty: Bool { mode == nil && owner == nil && group == nil }
    }

    /// Differences between `info` (nil: the path will be created with `defaultMode`) and what is asked.
    func change(from info: FileInfo?, isDirectory: Bool, defaultMode: UInt16 = 0o644) -> Change {
        var change = Change()
        let currentMode = info?.mode ?? defaultMode
        if let mode {
            let wanted = mode.resolve(current: currentMode, isDirectory: isDirectory)
            if info == nil || wanted != currentMode { change.mode = wanted }
        }
        if let owner, info.map({ $0.owner != owner && String($0.uid) != owner }) ?? true { change.owner = owner }
        if let group, info.map({ $0.group != group && String($0.gid) != group }) ?? true { change.group = group }
        return change
    }

    /// Shell commands applying `change` to `path` (`-h` acts on a link itself rather than its target).
    static func commands(for change: Change, path: String, recurse: Bool = false, noDereference: Bool = false) -> [String] {
        var commands: [String] = []
        let flags = (recurse ? "-R " : "") + (noDereference ? "-h " : "")
        if change.owner != nil || change.group != nil {
            let spec = (change.owner ?? "") + (change.group.map { ":" + $0 } ?? "")
            commands.append("chown \(flags)\(Shell.quote(spec)) -- \(Shell.quote(path))")
        }
        if let mode = change.mode, !noDereference {
            commands.append("chmod \(recurse ? "-R " : "")\(FileMode.octal(mode)) -- \(Shell.quote(path))")
        }
        return commands
    }

    /// Ansible's `diff` for attribute changes: `{"path": …, "mode": …}` before and after.
    static func diff(path: String, info: FileInfo?, change: Change, beforeState: String, afterState: String) -> FileDiff {
        var before: [(String, String)] = [("path", path)]
        var after: [(String, String)] = [("path", path)]
        if beforeState != afterState {
            before.append(("state", beforeState))
            after.append(("state", afterState))
        }
        if let mode = change.mode {
            before.append(("mode", info.map { FileMode.octal($0.mode) } ?? ""))
            after.append(("mode", FileMode.octal(mode)))
        }
        if let owner = change.owner {
            before.append(("owner", info?.owner ?? ""))
            after.append(("owner", owner))
        }
        if let group = change.group {
            before.append(("group", info?.group ?? ""))
            after.append(("group", group))
        }
        return FileDiff(before: DiffText.object(before), after: DiffText.object(after))
    }
}

/// Ansible's callback prints dictionary diffs as `json.dumps(diff, sort_keys=True, indent=4)` plus a newline.
enum DiffText {
    static func object(_ pairs: [(String, String)]) -> String {
        let dictionary = ValueDictionary(pairs.map { (Value.string($0.0), Value.string($0.1)) })
        return JSON.text(.dict(dictionary), .results()) + "\n"
    }
}
