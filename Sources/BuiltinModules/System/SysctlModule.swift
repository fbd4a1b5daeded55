import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.sysctl`: a kernel parameter in a sysctl file and, optionally, in the running kernel.
public struct SysctlModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.sysctl", aliases: ["ansible.posix.sysctl"],
        arguments: ArgumentSpec([
            "name": OptionSpec(.string, required: true, aliases: ["key"]),
            "value": OptionSpec(.string, aliases: ["val"]),
            "state": OptionSpec(.string, default: "present", choices: ["absent", "present"]),
            "sysctl_file": OptionSpec(.path, default: "/etc/sysctl.conf"),
            "reload": OptionSpec(.bool, default: true),
            "sysctl_set": OptionSpec(.bool, default: false),
            "ignoreerrors": OptionSpec(.bool, default: false),
        ]))

    public init() {}

    public struct Observed: Sendable {
        var name: String
        /// The running kernel's value (whitespace normalised), nil when it cannot be read.
        var kernel: String?
        var file: FileWriter.Destination
    }

    public struct Change: Sendable {
        var fileContent: String?
        var writeFile: FileWriter.Change?
        var setKernel: Bool
        var reload: Bool
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let name = try arguments.requiredString("name")
        let shell = TargetShell(invocation)
        let output = try await shell.run("sysctl -n \(Shell.quote(name)) 2>/dev/null")
        let file = try await FileWriter.observe(arguments.string("sysctl_file", default: "/etc/sysctl.conf"), withContent: true, shell: shell)
        return Observed(name: name, kernel: output.exitStatus == 0 ? Self.normalise(output.stdoutText) : nil, file: file)
    }

    /// Tabs and runs of spaces compare as one space, as Ansible's sysctl does.
    static func normalise(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// The file with `name = value` set (or removed when `value` is nil); nil when already so.
    static func editedFile(_ text: String, name: String, value: String?) -> String? {
        var lines = TextLines(text).lines
        var found = false
        var result: [String] = []
        for line in lines {
            let content = TextLines.content(line)
            let parts = content.split(separator: "=", maxSplits: 1)
            let key = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !content.trimmingCharacters(in: .whitespaces).hasPrefix("#"), key == name, parts.count == 2 else {
                result.append(line)
                continue
            }
            guard let value, !found else { continue }
            found = true
            result.append("\(name)=\(value)\n")
        }
        if let value, !found {
            if let last = result.last, !last.hasSuffix("\n") { result[result.count - 1] = last + "\n" }
            result.append("\(name)=\(value)\n")
        }
        lines = result
        let edited = lines.joined()
        return edited == text ? nil : edited
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let present = arguments.string("state", default: "present") == "present"
        let value = arguments.string("value").map(Self.normalise)
        if present, value == nil { throw ModuleFailure("value cannot be None") }
        if present, observed.kernel == nil, !arguments.bool("ignoreerrors") {
            throw ModuleFailure("Invalid sysctl key: \(observed.name)")
        }
        let current = (observed.file.content ?? Data()).utf8Text
        let edited = Self.editedFile(current, name: observed.name, value: present ? value : nil)
        var fileChange: FileWriter.Change?
        var diffs: [FileDiff] = []
        if let edited, let planned = try FileWriter.plan(
            content: Data(edited.utf8), destination: observed.file, attributes: FileAttributes(),
            afterHeader: observed.file.path, diffMode: invocation.diffMode)
        {
            fileChange = planned.change
            diffs = planned.diffs
        }
        let setKernel = present && arguments.bool("sysctl_set") && observed.kernel != value
        let reload = fileChange != nil && arguments.bool("reload", default: true) && present
        guard fileChange != nil || setKernel else { return nil }
        return Planned(Change(fileContent: edited, writeFile: fileChange, setKernel: setKernel, reload: reload), diffs: diffs)
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let shell = TargetShell(invocation)
        if let writeFile = change.writeFile, let text = change.fileContent {
            try await FileWriter.apply(writeFile, content: Data(text.utf8), destination: observed.file, validate: nil, backup: false, shell: shell)
        }
        let name = Shell.quote(observed.name)
        if change.setKernel, let value = arguments.string("value") {
            let output = try await shell.run("sysctl -w \(name)=\(Shell.quote(Self.normalise(value)))")
            if output.exitStatus != 0, !arguments.bool("ignoreerrors") {
                throw ModuleFailure("Failed to set \(observed.name): \(output.stderrText.trimmingTrailingNewlines)")
            }
        } else if change.reload {
            let output = try await shell.run("sysctl -p \(Shell.quote(observed.file.path))")
            if output.exitStatus != 0, !arguments.bool("ignoreerrors") {
                throw ModuleFailure("Failed to reload sysctl: \(output.stderrText.trimmingTrailingNewlines)")
            }
        }
        return ModuleResult(changed: true)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        ModuleResult()
    }
}
