import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.copy`: puts content, a controller file or a controller directory on the target.
///
/// Files are compared by SHA-1 (computed here for the source, by `sha1sum` on the target), so an
/// unchanged file costs one command and no transfer.
public struct CopyModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.copy",
        arguments: ArgumentSpec(
            FileAttributes.specOptions.merging([
                "src": OptionSpec(.path),
                "content": OptionSpec(.raw),
                "dest": OptionSpec(.path, required: true),
                "backup": OptionSpec(.bool, default: false),
                "force": OptionSpec(.bool, default: true, aliases: ["thirsty"]),
                "validate": OptionSpec(.string),
                "directory_mode": OptionSpec(.raw),
                "remote_src": OptionSpec(.bool, default: false),
                "follow": OptionSpec(.bool, default: false),
                "local_follow": OptionSpec(.bool, default: true),
                "checksum": OptionSpec(.string),
                "decrypt": OptionSpec(.bool, default: true),
            ]) { _, own in own },
            mutuallyExclusive: [["content", "src"]], requiredOneOf: [["content", "src"]]))

    public init() {}

    /// One file to put in place, with where its content comes from.
    struct Item: Sendable {
        var content: Data
        var destination: FileWriter.Destination
        var source: String?
    }

    public struct Observed: Sendable {
        var items: [Item]
        /// Directories (for directory copies) that do not exist yet.
        var missingDirectories: [String]
    }

    public struct Change: Sendable {
        var items: [(Item, FileWriter.Change)]
        var missingDirectories: [String]
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let shell = TargetShell(invocation)
        var dest = try arguments.requiredString("dest")
        if let content = arguments.value("content") {
            if dest.hasSuffix("/") { throw ModuleFailure("can not use content with a dir as dest") }
            let data = Data(Self.contentText(content).utf8)
            return Observed(items: [try await Self.observeFile(data, dest: dest, source: nil, invocation, shell)], missingDirectories: [])
        }
        let source = try arguments.requiredString("src")
        if arguments.bool("remote_src") {
            let data = try await shell.read(source)
            if dest.hasSuffix("/") { dest = TargetPath.join(dest, TargetPath.basename(source)) }
            return Observed(items: [try await Self.observeFile(data, dest: dest, source: source, invocation, shell)], missingDirectories: [])
        }
        let located = try ControllerFiles.locate(source, in: invocation)
        guard ControllerFiles.isDirectory(located) else {
            let data = try ControllerFiles.read(located)
            return Observed(items: [try await Self.observeFile(data, dest: dest, source: located, invocation, shell)], missingDirectories: [])
        }
        // `src: dir/` copies the directory's contents; `src: dir` copies the directory itself.
        let root = source.hasSuffix("/") ? dest : TargetPath.join(dest, TargetPath.basename(located))
        let tree = ControllerFiles.tree(located)
        let directories = [root] + tree.directories.map { TargetPath.join(root, $0) }
        let files = tree.files.map { (TargetPath.join(root, $0), (located as NSString).appendingPathComponent($0)) }
        let requests =
            directories.map { FileProbe.Request(path: $0, follow: true) }
            + files.map { FileProbe.Request(path: $0.0, follow: true, checksum: true) }
        let observations = try await FileProbe.run(requests, on: shell)
        let missing = zip(directories, observations).filter { $0.1.info == nil }.map(\.0)
        var items: [Item] = []
        for (index, file) in files.enumerated() {
            let info = observations[directories.count + index].info
            items.append(
                Item(
                    content: try ControllerFiles.read(file.1),
                    destination: FileWriter.Destination(path: file.0, info: info), source: file.1))
        }
        return Observed(items: items, missingDirectories: missing)
    }

    /// Observes a single destination; when `dest` is a directory the file goes inside it, as with `cp`.
    private static func observeFile(
        _ data: Data, dest: String, source: String?, _ invocation: ModuleInvocation, _ shell: TargetShell
    ) async throws -> Item {
        let name = source.map(TargetPath.basename) ?? ""
        let arguments = ModuleArguments(invocation, for: Self.self)
        let follow = arguments.bool("follow")
        if dest.hasSuffix("/"), !name.isEmpty {
            let path = TargetPath.join(dest, name)
            let destination = try await FileWriter.observe(path, withContent: invocation.diffMode, follow: follow, shell: shell)
            return Item(content: data, destination: destination, source: source)
        }
        var destination = try await FileWriter.observe(dest, withContent: invocation.diffMode, follow: follow, shell: shell)
        if destination.info?.kind == .directory, !name.isEmpty {
            destination = try await FileWriter.observe(
                TargetPath.join(dest, name), withContent: invocation.diffMode, follow: follow, shell: shell)
        }
        return Item(content: data, destination: destination, source: source)
    }

    /// `content:` as Ansible writes it: strings as they are, other values as JSON.
    static func contentText(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return JSON.text(value, .python)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let attributes = try FileAttributes(arguments)
        let force = arguments.bool("force", default: true)
        var changes: [(Item, FileWriter.Change)] = []
        var diffs: [FileDiff] = []
        for item in observed.items {
            let header = item.source ?? "dynamically generated"
            guard
                let planned = try FileWriter.plan(
                    content: item.content, destination: item.destination, attributes: attributes, force: force,
                    afterHeader: header, diffMode: invocation.diffMode)
            else { continue }
            changes.append((item, planned.change))
            diffs += planned.diffs
        }
        guard !changes.isEmpty || !observed.missingDirectories.isEmpty else { return nil }
        return Planned(Change(items: changes, missingDirectories: observed.missingDirectories), diffs: diffs)
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let shell = TargetShell(invocation)
        if !change.missingDirectories.isEmpty {
            var script = "mkdir -p -- " + change.missingDirectories.map(Shell.quote).joined(separator: " ")
            if let mode = arguments.value("directory_mode") {
                let octal = FileMode.octal(try FileMode.parse(mode).resolve(current: 0o755, isDirectory: true))
                script += " && chmod \(octal) -- " + change.missingDirectories.map(Shell.quote).joined(separator: " ")
            }
            try await shell.check(script, failureMessage: "could not create directories")
        }
        var backupFile: String?
        for (item, fileChange) in change.items {
            let made = try await FileWriter.apply(
                fileChange, content: item.content, destination: item.destination, validate: arguments.string("validate"),
                backup: arguments.bool("backup"), shell: shell)
            backupFile = backupFile ?? made
        }
        var result = try await finalResult(invocation, observed: observed)
        result.changed = true
        if let backupFile { result.values["backup_file"] = .string(backupFile) }
        return result
    }

    /// Re-reads a single copied file so the result reports its real owner, mode and size.
    private func finalResult(_ invocation: ModuleInvocation, observed: Observed) async throws -> ModuleResult {
        guard observed.items.count == 1, let item = observed.items.first else {
            return unchanged(invocation, observed: observed)
        }
        let now = try await FileProbe.run(FileProbe.Request(path: item.destination.path, follow: true), on: TargetShell(invocation))
        var values = FileWriter.result(
            path: item.destination.path, info: now.info, checksum: FileWriter.sha1(item.content), source: item.source)
        values["md5sum"] = .string(FileWriter.md5(item.content))
        return ModuleResult(values: values)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.items.count == 1, let item = observed.items.first else {
            let arguments = ModuleArguments(invocation, for: Self.self)
            return ModuleResult(
                values: ValueDictionary([
                    "dest": .string(arguments.string("dest") ?? ""), "src": .string(arguments.string("src") ?? ""),
                ]))
        }
        return ModuleResult(
            values: FileWriter.result(
                path: item.destination.path, info: item.destination.info, checksum: FileWriter.sha1(item.content),
                source: item.source))
    }
}
