import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.fetch`: copies a file from the target to the controller, by default to
/// `dest/<inventory host>/<full remote path>`; compares SHA-1 so an unchanged file is not rewritten.
public struct FetchModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.fetch",
        arguments: ArgumentSpec([
            "src": OptionSpec(.string, required: true),
            "dest": OptionSpec(.string, required: true),
            "flat": OptionSpec(.bool, default: false),
            "fail_on_missing": OptionSpec(.bool, default: true),
            "validate_checksum": OptionSpec(.bool, default: true),
        ]),
        runsOnController: false)

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let source = try arguments.requiredString("src")
            let dest = try arguments.requiredString("dest")
            let shell = TargetShell(invocation)
            let observation = try await FileProbe.run(
                FileProbe.Request(path: source, follow: true, checksum: true), on: shell)
            guard let info = observation.info, info.kind == .file else {
                let message = observation.info?.kind == .directory
                    ? "remote file is a directory, fetch cannot work on directories"
                    : "the remote file does not exist, not transferring, ignored"
                if arguments.bool("fail_on_missing", default: true) || observation.info != nil {
                    throw ModuleFailure(message, values: ["file": .string(source)])
                }
                return ModuleResult(message: message, values: ValueDictionary(["file": .string(source), "skipped": true]))
            }
            let local = Self.localPath(dest: dest, source: source, host: invocation.hostName, flat: arguments.bool("flat"))
            let existing = FileManager.default.contents(atPath: local)
            var values = ValueDictionary([
                "checksum": .string(info.checksum ?? ""), "dest": .string(local), "remote_checksum": .string(info.checksum ?? ""),
                "file": .string(source),
            ])
            if let existing, FileWriter.sha1(existing) == info.checksum {
                return ModuleResult(values: values)
            }
            if invocation.checkMode { return ModuleResult(changed: true, values: values) }
            let data = try await shell.read(source)
            if arguments.bool("validate_checksum", default: true), FileWriter.sha1(data) != info.checksum {
                throw ModuleFailure("checksum mismatch", values: values)
            }
            try FileManager.default.createDirectory(
                atPath: (local as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: local, contents: data) else {
                throw ModuleFailure("could not write \(local)")
            }
            values["md5sum"] = .string(FileWriter.md5(data))
            return ModuleResult(changed: true, values: values)
        }
    }

    /// `flat`: `dest` itself (or `dest/<basename>` when it ends with `/`); else `dest/<host>/<remote path>`.
    static func localPath(dest: String, source: String, host: String, flat: Bool) -> String {
        if flat {
            return dest.hasSuffix("/") ? dest + TargetPath.basename(source) : dest
        }
        let relative = source.hasPrefix("/") ? String(source.dropFirst()) : source
        return (dest as NSString).appendingPathComponent(host + "/" + relative)
    }
}
