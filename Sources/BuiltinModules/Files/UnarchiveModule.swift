import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.unarchive` for tar archives (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`),
/// unpacked by `tar` on the target. `tar --diff` against `dest` decides whether anything changes.
public struct UnarchiveModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.unarchive",
        arguments: ArgumentSpec(
            FileAttributes.specOptions.merging([
                "src": OptionSpec(.path, required: true),
                "dest": OptionSpec(.path, required: true),
                "remote_src": OptionSpec(.bool, default: false),
                "creates": OptionSpec(.path),
                "list_files": OptionSpec(.bool, default: false),
                "exclude": OptionSpec(.list(elements: .string), default: []),
                "include": OptionSpec(.list(elements: .string), default: []),
                "extra_opts": OptionSpec(.list(elements: .string), default: []),
                "keep_newer": OptionSpec(.bool, default: false),
                "copy": OptionSpec(.bool, default: true),
                "validate_certs": OptionSpec(.bool, default: true),
            ]) { _, own in own }))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let source = try arguments.requiredString("src")
            let dest = try arguments.requiredString("dest")
            let shell = TargetShell(invocation)
            let values = ValueDictionary(["dest": .string(dest), "src": .string(source), "handler": "TgzArchive"])
            if let creates = arguments.string("creates") {
                let probe = try await FileProbe.run(FileProbe.Request(path: creates), on: shell)
                if probe.info != nil {
                    return ModuleResult(message: "skipped, since \(creates) exists", values: values)
                }
            }
            let destination = try await FileProbe.run(FileProbe.Request(path: dest, follow: true), on: shell)
            guard destination.info?.kind == .directory else {
                throw ModuleFailure("dest '\(dest)' must be an existing dir", values: values)
            }
            // A controller archive is staged on the target; a remote one is used where it is.
            var archive = source
            var staged: String?
            if !arguments.bool("remote_src") && arguments.bool("copy", default: true) {
                let located = try ControllerFiles.locate(source, in: invocation)
                let data = try ControllerFiles.read(located)
                let temporary = "/tmp/.stackplay-archive-\(UUID().uuidString)"
                try await invocation.connection.upload(data, to: temporary, mode: 0o600)
                archive = temporary
                staged = temporary
            }
            let outcome: Result<ModuleResult, any Error>
            do {
                outcome = .success(try await unpack(archive, invocation: invocation, arguments: arguments, values: values))
            } catch {
                outcome = .failure(error)
            }
            if let staged { _ = try? await shell.run("rm -f -- \(Shell.quote(staged))") }
            return try outcome.get()
        }
    }

    /// Lists, compares and (unless checking) extracts `archive` into `dest`, then applies attributes.
    private func unpack(
        _ archive: String, invocation: ModuleInvocation, arguments: ModuleArguments, values initial: ValueDictionary
    ) async throws -> ModuleResult {
        var values = initial
        let shell = TargetShell(invocation)
        let source = try arguments.requiredString("src")
        let dest = try arguments.requiredString("dest")
        let options = Self.tarOptions(arguments)
        let quotedArchive = Shell.quote(archive)
        let quotedDest = Shell.quote(dest)
        // One command: list the members, compare them with dest, and extract only when they differ.
        var script = "tar -tf \(quotedArchive)\(options) || exit 4; echo '@@diff'; "
        script += "if tar -df \(quotedArchive) -C \(quotedDest)\(options) >/dev/null 2>&1; then echo same; "
        script += invocation.checkMode ? "else echo differs; fi" : "else tar -xf \(quotedArchive) -C \(quotedDest)\(options) && echo extracted || exit 5; fi"
        let output = try await shell.run(script, timeout: 3600)
        switch output.exitStatus {
        case 4: throw ModuleFailure("Failed to find handler for \"\(source)\". Make sure the required command to extract the file is installed.\n\(output.stderrText)", values: values)
        case 5: throw ModuleFailure("failed to unpack \(archive) to \(dest): \(output.stderrText)", values: values)
        default: break
        }
        let lines = output.stdoutText.ansibleLines
        let marker = lines.firstIndex(of: "@@diff") ?? lines.count
        let files = Array(lines[..<marker])
        let verdict = marker + 1 < lines.count ? lines[marker + 1] : "same"
        var changed = verdict != "same"
        if arguments.bool("list_files") { values["files"] = .list(files.map(Value.string)) }
        let attributes = try FileAttributes(arguments)
        if attributes.mode != nil || attributes.owner != nil || attributes.group != nil {
            let topLevel = Set(files.compactMap { $0.split(separator: "/").first.map(String.init) }).sorted()
            for entry in topLevel {
                let path = TargetPath.join(dest, entry)
                let drift = try await FileModule.recursiveDrift(path: path, attributes: attributes, shell: shell)
                let info = try await FileProbe.run(FileProbe.Request(path: path), on: shell).info
                let change = attributes.change(from: info, isDirectory: info?.kind == .directory)
                guard drift || !change.isEmpty else { continue }
                changed = true
                if !invocation.checkMode {
                    let full = FileAttributes.Change(
                        mode: attributes.mode.map { $0.resolve(current: info?.mode ?? 0o644, isDirectory: info?.kind == .directory) },
                        owner: attributes.owner, group: attributes.group)
                    try await shell.check(
                        FileAttributes.commands(for: full, path: path, recurse: info?.kind == .directory).joined(separator: " && "),
                        failureMessage: "failed to set attributes on \(path)")
                }
            }
        }
        return ModuleResult(changed: changed, values: values)
    }

    /// Compression, include/exclude and extra options as tar arguments.
    static func tarOptions(_ arguments: ModuleArguments) -> String {
        var options = ""
        for pattern in arguments.stringList("exclude") ?? [] { options += " --exclude=\(Shell.quote(pattern))" }
        if arguments.bool("keep_newer") { options += " --keep-newer-files" }
        for option in arguments.stringList("extra_opts") ?? [] { options += " \(Shell.quote(option))" }
        for member in arguments.stringList("include") ?? [] { options += " \(Shell.quote(member))" }
        return options
    }
}
