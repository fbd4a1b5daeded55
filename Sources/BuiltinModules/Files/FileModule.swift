import ModuleAPI
import Templating

/// `ansible.builtin.file`: files, directories, links and their attributes.
public struct FileModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.file",
        arguments: ArgumentSpec(
            FileAttributes.specOptions.merging([
                "path": OptionSpec(.path, required: true, aliases: ["dest", "name"]),
                "state": OptionSpec(
                    .string, choices: ["absent", "directory", "file", "hard", "link", "touch"]),
                "src": OptionSpec(.path),
                "recurse": OptionSpec(.bool, default: false),
                "force": OptionSpec(.bool, default: false),
                "follow": OptionSpec(.bool, default: true),
                "modification_time": OptionSpec(.string),
                "modification_time_format": OptionSpec(.string, default: "%Y%m%d%H%M.%S"),
                "access_time": OptionSpec(.string),
                "access_time_format": OptionSpec(.string, default: "%Y%m%d%H%M.%S"),
            ]) { _, own in own }))

    public init() {}

    public struct Observed: Sendable {
        var path: String
        /// The path itself, links not followed.
        var info: FileInfo?
        /// The path with links followed (what attributes apply to when `follow` is on).
        var target: FileInfo?
        /// `src` of a hard link.
        var source: FileInfo?
        /// Whether something under a directory differs from the requested attributes (`recurse`).
        var recursiveDrift: Bool
    }

    public struct Change: Sendable {
        var script: [String]
        var finalState: String
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let path = try arguments.requiredString("path")
        var requests = [FileProbe.Request(path: path), FileProbe.Request(path: path, follow: true)]
        if let source = arguments.string("src") {
            let base = TargetPath.directory(of: path)
            let absolute = source.hasPrefix("/") ? source : base + "/" + source
            requests.append(FileProbe.Request(path: absolute, follow: true))
        }
        let shell = TargetShell(invocation)
        let observations = try await FileProbe.run(requests, on: shell)
        var drift = false
        if arguments.bool("recurse"), observations[0].info?.kind == .directory {
            drift = try await Self.recursiveDrift(path: path, attributes: try FileAttributes(arguments), shell: shell)
        }
        return Observed(
            path: path, info: observations[0].info, target: observations[1].info,
            source: observations.count > 2 ? observations[2].info : nil, recursiveDrift: drift)
    }

    /// Asks `find` for the first entry under `path` whose owner, group or mode differs.
    static func recursiveDrift(path: String, attributes: FileAttributes, shell: TargetShell) async throws -> Bool {
        var tests: [String] = []
        if let owner = attributes.owner { tests.append("! -user \(Shell.quote(owner))") }
        if let group = attributes.group { tests.append("! -group \(Shell.quote(group))") }
        switch attributes.mode {
        case .absolute(let mode)?: tests.append("! -perm \(FileMode.octal(mode))")
        case .symbolic(let clauses)?:
            // Symbolic modes (with X, or relative) resolve per entry: list every entry's type and mode.
            let listing = try await shell.run("find \(Shell.quote(path)) -mindepth 1 -printf '%y %m\\n'")
            let mode = FileMode.symbolic(clauses)
            for line in String(decoding: listing.stdout, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count == 2, fields[0] != "l", let current = UInt16(fields[1], radix: 8) else { continue }
                if mode.resolve(current: current, isDirectory: fields[0] == "d") != current { return true }
            }
        case nil: break
        }
        guard !tests.isEmpty else { return false }
        let output = try await shell.run(
            "find \(Shell.quote(path)) -mindepth 1 \\( \(tests.joined(separator: " -o ")) \\) -print -quit")
        return !output.stdout.isEmpty
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let attributes = try FileAttributes(arguments)
        let path = observed.path
        let quoted = Shell.quote(path)
        let follow = arguments.bool("follow", default: true)
        let current = observed.info
        let currentState = Self.stateName(current)
        let state = arguments.string("state")
            ?? (current == nil ? (arguments.bool("recurse") ? "directory" : "file") : currentState)

        func attributeChange(on info: FileInfo?, directory: Bool, create: [String], noDereference: Bool = false)
            -> Planned<Change>?
        {
            var change = attributes.change(from: info, isDirectory: directory, defaultMode: directory ? 0o755 : 0o644)
            if info == nil, attributes.mode == nil { change.mode = nil }
            let recurse = directory && arguments.bool("recurse") && observed.recursiveDrift
            var script = create
            if recurse {
                // The whole tree, the directory included, each entry resolving a symbolic mode for itself.
                script += FileAttributes.commands(
                    for: FileAttributes.Change(owner: attributes.owner, group: attributes.group), path: path, recurse: true)
                if let mode = attributes.mode { script.append("chmod -R \(Shell.quote(mode.chmodArgument)) -- \(quoted)") }
            } else {
                script += FileAttributes.commands(for: change, path: path, noDereference: noDereference)
            }
            guard !script.isEmpty else { return nil }
            let diff = FileAttributes.diff(
                path: path, info: info, change: change, beforeState: currentState, afterState: state)
            return Planned(Change(script: script, finalState: state), diffs: [diff])
        }

        switch state {
        case "absent":
            guard current != nil else { return nil }
            return Planned(
                Change(script: ["rm -rf -- \(quoted)"], finalState: "absent"),
                diffs: [FileDiff(
                    before: DiffText.object([("path", path), ("state", currentState)]),
                    after: DiffText.object([("path", path), ("state", "absent")]))])
        case "directory":
            let info = follow && current?.kind == .link ? observed.target : current
            if let info, info.kind != .directory {
                throw ModuleFailure("\(path) already exists as a \(Self.kindName(info))", values: ["path": .string(path)])
            }
            guard info == nil else { return attributeChange(on: info, directory: true, create: []) }
            // Like Ansible, every directory the task creates on the way gets the requested mode and owner,
            // not just the last one (`mkdir -p` alone would leave the parents at the umask's mode).
            let creation = attributes.change(from: nil, isDirectory: true, defaultMode: 0o755)
            let create = Self.ancestors(of: path).map { directory in
                let apply = FileAttributes.commands(for: creation, path: directory)
                return "[ -e \(Shell.quote(directory)) ] || { mkdir -- \(Shell.quote(directory))"
                    + apply.map { " && " + $0 }.joined() + "; }"
            }
            return attributeChange(on: nil, directory: true, create: create)
        case "file":
            guard let current else {
                throw ModuleFailure("file (\(path)) is absent, cannot continue", values: ["path": .string(path)])
            }
            let info = follow && current.kind == .link ? observed.target : current
            guard let info, info.kind == .file || (info.kind != .directory && info.kind != .link) else {
                throw ModuleFailure(
                    "file (\(path)) is \(Self.kindName(info ?? current)), cannot continue", values: ["path": .string(path)])
            }
            return attributeChange(on: info, directory: false, create: [])
        case "touch":
            let times = Self.touchCommand(arguments, path: quoted, exists: current != nil)
            let planned = attributeChange(on: current, directory: current?.kind == .directory, create: times)
            return planned
        case "link", "hard":
            return try planLink(arguments, observed: observed, attributes: attributes, hard: state == "hard")
        default:
            throw ModuleFailure("value of state must be one of: absent, directory, file, hard, link, touch, got: \(state)")
        }
    }

    private func planLink(_ arguments: ModuleArguments, observed: Observed, attributes: FileAttributes, hard: Bool)
        throws -> Planned<Change>?
    {
        let path = observed.path
        guard let source = arguments.string("src") else {
            throw ModuleFailure("src is required for creating new \(hard ? "hard" : "sym")links")
        }
        let state = hard ? "hard" : "link"
        let current = observed.info
        let force = arguments.bool("force")
        var script: [String] = []
        let alreadyLinked: Bool
        if hard {
            guard let sourceInfo = observed.source else {
                throw ModuleFailure("src does not exist", values: ["dest": .string(path), "src": .string(source)])
            }
            alreadyLinked = current.map { $0.inode == sourceInfo.inode && $0.device == sourceInfo.device } ?? false
        } else {
            alreadyLinked = current?.kind == .link && current?.linkTarget == source
            if observed.source == nil && !force {
                throw ModuleFailure(
                    "src file does not exist, use \"force=yes\" if you really want to create the link: \(source)",
                    values: ["path": .string(path), "src": .string(source)])
            }
        }
        if !alreadyLinked {
            if let current, current.kind == .directory {
                throw ModuleFailure("refusing to convert from directory to \(state) for \(path)", values: ["path": .string(path)])
            }
            if let current, current.kind != .link, !force, !hard {
                throw ModuleFailure("refusing to convert from \(Self.kindName(current)) to symlink for \(path)", values: ["path": .string(path)])
            }
            script.append("ln -\(hard ? "" : "s")fn -- \(Shell.quote(source)) \(Shell.quote(path))")
        }
        // Attributes of a symlink apply to the link itself (lchown); its mode cannot change on Linux.
        let info = alreadyLinked ? current : nil
        var change = attributes.change(from: info, isDirectory: false)
        if !hard { change.mode = nil } else if info == nil, attributes.mode == nil { change.mode = nil }
        script += FileAttributes.commands(for: change, path: path, noDereference: !hard)
        guard !script.isEmpty else { return nil }
        let before = current?.linkTarget ?? ""
        return Planned(
            Change(script: script, finalState: state),
            diffs: [FileDiff(
                before: DiffText.object([("path", path), ("src", before), ("state", Self.stateName(current))]),
                after: DiffText.object([("path", path), ("src", source), ("state", state)]))])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        try await TargetShell(invocation).check(change.script.joined(separator: " && "), failureMessage: "file operation failed on \(observed.path)")
        var result = try await unchangedAfterApply(invocation, path: observed.path, state: change.finalState)
        result.changed = true
        return result
    }

    private func unchangedAfterApply(_ invocation: ModuleInvocation, path: String, state: String) async throws -> ModuleResult {
        guard state != "absent" else { return Self.result(path: path, info: nil, state: "absent") }
        let observation = try await FileProbe.run(FileProbe.Request(path: path), on: TargetShell(invocation))
        return Self.result(path: path, info: observation.info, state: state)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        let arguments = ModuleArguments(invocation, for: Self.self)
        return Self.result(
            path: observed.path, info: observed.info,
            state: arguments.string("state") ?? Self.stateName(observed.info))
    }

    static func result(path: String, info: FileInfo?, state: String) -> ModuleResult {
        var values = ValueDictionary(["path": .string(path), "state": .string(state)])
        if let info {
            values["mode"] = .string(info.modeString)
            values["owner"] = .string(info.owner)
            values["group"] = .string(info.group)
            values["uid"] = .int(info.uid)
            values["gid"] = .int(info.gid)
            values["size"] = .int(info.size)
            if let target = info.linkTarget { values["src"] = .string(target) }
        }
        return ModuleResult(values: values)
    }

    /// `/a/b/c` → `/a`, `/a/b`, `/a/b/c` (relative paths likewise, without the leading slash).
    static func ancestors(of path: String) -> [String] {
        let absolute = path.hasPrefix("/")
        var current = ""
        return path.split(separator: "/").map { component in
            current += (current.isEmpty && !absolute ? "" : "/") + component
            return current
        }
    }

    /// Ansible's state names for what is on disk: file, directory, link, hard (several names), absent.
    static func stateName(_ info: FileInfo?) -> String {
        guard let info else { return "absent" }
        switch info.kind {
        case .directory: return "directory"
        case .link: return "link"
        case .file: return info.links > 1 ? "hard" : "file"
        default: return "file"
        }
    }

    static func kindName(_ info: FileInfo) -> String {
        switch info.kind {
        case .directory: return "directory"
        case .link: return "link"
        case .file: return "file"
        case .fifo: return "fifo"
        case .socket: return "socket"
        case .block, .character: return "device"
        case .other: return "file"
        }
    }

    /// `touch` with Ansible's `modification_time`/`access_time` (`now`, `preserve`, or a timestamp).
    static func touchCommand(_ arguments: ModuleArguments, path: String, exists: Bool) -> [String] {
        let modification = arguments.string("modification_time") ?? "now"
        let access = arguments.string("access_time") ?? "now"
        if exists, modification == "preserve", access == "preserve" { return [] }
        var commands: [String] = []
        if !exists { commands.append("touch -- \(path)") }
        for (flag, value) in [("-m", modification), ("-a", access)] where value != "preserve" {
            if value == "now" {
                if exists { commands.append("touch \(flag) -- \(path)") }
            } else {
                commands.append("touch \(flag) -t \(Shell.quote(value)) -- \(path)")
            }
        }
        return commands
    }
}
