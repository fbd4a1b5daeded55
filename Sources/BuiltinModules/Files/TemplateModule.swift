import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.template`: renders a Jinja2 template from the controller (role `templates/`,
/// playbook dir) with the host's variables and writes it through copy's write path.
public struct TemplateModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.template",
        arguments: ArgumentSpec(
            FileAttributes.specOptions.merging([
                "src": OptionSpec(.path, required: true),
                "dest": OptionSpec(.path, required: true),
                "backup": OptionSpec(.bool, default: false),
                "force": OptionSpec(.bool, default: true),
                "validate": OptionSpec(.string),
                "follow": OptionSpec(.bool, default: false),
                "newline_sequence": OptionSpec(.string, default: "\n", choices: ["\n", "\r", "\r\n"]),
                "trim_blocks": OptionSpec(.bool, default: true),
                "lstrip_blocks": OptionSpec(.bool, default: false),
                "block_start_string": OptionSpec(.string, default: "{%"),
                "block_end_string": OptionSpec(.string, default: "%}"),
                "variable_start_string": OptionSpec(.string, default: "{{"),
                "variable_end_string": OptionSpec(.string, default: "}}"),
                "comment_start_string": OptionSpec(.string),
                "comment_end_string": OptionSpec(.string),
                "output_encoding": OptionSpec(.string, default: "utf-8"),
            ]) { _, own in own }))

    public init() {}

    public struct Observed: Sendable {
        var content: Data
        var source: String
        var destination: FileWriter.Destination
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let source = try ControllerFiles.locate(try arguments.requiredString("src"), in: invocation)
        let text = String(decoding: try ControllerFiles.read(source), as: UTF8.self)
        var rendered = try invocation.renderTemplate(text, source)
        let newline = arguments.string("newline_sequence", default: "\n")
        if newline != "\n" { rendered = rendered.replacingOccurrences(of: "\n", with: newline) }
        var dest = try arguments.requiredString("dest")
        let shell = TargetShell(invocation)
        let follow = arguments.bool("follow")
        if dest.hasSuffix("/") { dest = TargetPath.join(dest, Self.outputName(source)) }
        var destination = try await FileWriter.observe(dest, withContent: invocation.diffMode, follow: follow, shell: shell)
        if destination.info?.kind == .directory {
            destination = try await FileWriter.observe(
                TargetPath.join(dest, Self.outputName(source)), withContent: invocation.diffMode, follow: follow,
                shell: shell)
        }
        return Observed(content: Data(rendered.utf8), source: source, destination: destination)
    }

    /// `nginx.conf.j2` is written as `nginx.conf` when `dest` is a directory.
    static func outputName(_ source: String) -> String {
        let name = TargetPath.basename(source)
        return name.hasSuffix(".j2") ? String(name.dropLast(3)) : name
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<FileWriter.Change>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        return try FileWriter.plan(
            content: observed.content, destination: observed.destination, attributes: try FileAttributes(arguments),
            force: arguments.bool("force", default: true), afterHeader: observed.source, diffMode: invocation.diffMode)
    }

    public func apply(_ invocation: ModuleInvocation, change: FileWriter.Change, observed: Observed) async throws
        -> ModuleResult
    {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let shell = TargetShell(invocation)
        let backupFile = try await FileWriter.apply(
            change, content: observed.content, destination: observed.destination,
            validate: arguments.string("validate"), backup: arguments.bool("backup"), shell: shell)
        let now = try await FileProbe.run(FileProbe.Request(path: observed.destination.path, follow: true), on: shell)
        var values = FileWriter.result(
            path: observed.destination.path, info: now.info, checksum: FileWriter.sha1(observed.content),
            source: observed.source)
        values["md5sum"] = .string(FileWriter.md5(observed.content))
        if let backupFile { values["backup_file"] = .string(backupFile) }
        return ModuleResult(changed: true, values: values)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        ModuleResult(
            values: FileWriter.result(
                path: observed.destination.path, info: observed.destination.info,
                checksum: FileWriter.sha1(observed.content), source: observed.source))
    }
}
