import Crypto
import Foundation
import ModuleAPI
import Templating

/// The write path copy and template share (and lineinfile, blockinfile, replace reuse for their
/// results): compare the wanted content with the target's by SHA-1, plan content and attribute
/// changes with a diff, then back up, validate and atomically replace the file.
public struct FileWriter: Sendable {
    /// What the target holds at the destination.
    public struct Destination: Sendable {
        var path: String
        var info: FileInfo?
        /// The current content, read only when a diff is wanted.
        var content: Data?
    }

    /// What to do to the destination.
    public struct Change: Sendable {
        var writeContent: Bool
        var attributes: FileAttributes.Change
    }

    /// Largest file Ansible shows in a diff (`max_diff_size`, 104448 bytes).
    static let maximumDiffSize = 104_448

    static func sha1(_ data: Data) -> String {
        Insecure.SHA1.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func md5(_ data: Data) -> String {
        Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads the destination: its stat, checksum and — for diffs — content.
    static func observe(_ path: String, withContent: Bool, follow: Bool = true, shell: TargetShell) async throws
        -> Destination
    {
        let observation = try await FileProbe.run(
            FileProbe.Request(path: path, follow: follow, checksum: true, content: withContent), on: shell)
        return Destination(path: path, info: observation.info, content: observation.content)
    }

    /// The change that makes `destination` hold `content` with `attributes`, or nil when it already does.
    /// `force: false` leaves an existing file alone altogether, its mode and owner included, as Ansible's
    /// copy module exits with "file already exists" before looking at attributes.
    static func plan(
        content: Data, destination: Destination, attributes: FileAttributes, force: Bool = true,
        afterHeader: String, diffMode: Bool
    ) throws -> Planned<Change>? {
        if let info = destination.info, info.kind == .directory {
            throw ModuleFailure("\(destination.path) is a directory", values: ["dest": .string(destination.path)])
        }
        let exists = destination.info != nil
        if exists && !force { return nil }
        let writeContent = !exists || destination.info?.checksum != sha1(content)
        var attributeChange = attributes.change(from: destination.info, isDirectory: false)
        if !exists, attributes.mode == nil { attributeChange.mode = nil }
        guard writeContent || !attributeChange.isEmpty else { return nil }
        var diffs: [FileDiff] = []
        if diffMode {
            if writeContent, let diff = contentDiff(destination: destination, after: content, afterHeader: afterHeader) {
                diffs.append(diff)
            }
            if !attributeChange.isEmpty {
                diffs.append(
                    FileAttributes.diff(
                        path: destination.path, info: destination.info, change: attributeChange,
                        beforeState: exists ? "file" : "absent", afterState: "file"))
            }
        }
        return Planned(Change(writeContent: writeContent, attributes: attributeChange), diffs: diffs)
    }

    /// A before/after text diff, or nil for binary or oversized content (Ansible shows none either).
    static func contentDiff(destination: Destination, after: Data, afterHeader: String) -> FileDiff? {
        let before = destination.content ?? Data()
        guard before.count <= maximumDiffSize, after.count <= maximumDiffSize,
            !before.contains(0), !after.contains(0)
        else { return nil }
        return FileDiff(
            before: before.utf8Text, after: after.utf8Text, beforeHeader: destination.path, afterHeader: afterHeader)
    }

    /// Applies a planned change. Returns the backup file's path when one was made.
    @discardableResult
    static func apply(
        _ change: Change, content: Data, destination: Destination, validate: String?, backup: Bool,
        shell: TargetShell
    ) async throws -> String? {
        let path = destination.path
        let quotedPath = Shell.quote(path)
        var script: [String] = []
        var backupFile: String?
        if change.writeContent {
            let needsStaging = validate != nil || backup && destination.info != nil
            if needsStaging {
                // Validation must see the new content before it replaces anything: stage it next to the destination.
                let staged = TargetPath.join(
                    TargetPath.directory(of: path), ".\(TargetPath.basename(path)).stackplay-\(UUID().uuidString.prefix(8))")
                try await shell.write(content, to: staged, mode: change.attributes.mode ?? destination.info?.mode)
                let quotedStage = Shell.quote(staged)
                if let validate {
                    guard validate.contains("%s") else {
                        _ = try? await shell.run("rm -f -- \(quotedStage)")
                        throw ModuleFailure("validate must contain %s: \(validate)")
                    }
                    let command = validate.replacingOccurrences(of: "%s", with: quotedStage)
                    let output = try await shell.run(command)
                    if output.exitStatus != 0 {
                        _ = try? await shell.run("rm -f -- \(quotedStage)")
                        var values = TargetShell.outputValues(output)
                        values["exit_status"] = .int(Int(output.exitStatus))
                        throw ModuleFailure("failed to validate", values: values)
                    }
                }
                if backup, destination.info != nil {
                    script.append(
                        "b=\(quotedPath).$$.$(date +%Y-%m-%d@%H:%M:%S)~ && cp -p -- \(quotedPath) \"$b\" && echo \"$b\"")
                }
                if destination.info != nil, change.attributes.mode == nil {
                    script.append("chmod --reference=\(quotedPath) \(quotedStage)")
                }
                script.append("mv -f -- \(quotedStage) \(quotedPath)")
            } else {
                try await shell.write(content, to: path, mode: change.attributes.mode)
            }
        }
        var remaining = change.attributes
        if change.writeContent { remaining.mode = nil }  // set by the upload already
        script += FileAttributes.commands(for: remaining, path: path)
        if !script.isEmpty {
            let output = try await shell.check(script.joined(separator: " && "), failureMessage: "failed to update \(path)")
            let printed = output.stdoutText.trimmingTrailingNewlines
            if !printed.isEmpty { backupFile = printed }
        }
        return backupFile
    }

    /// copy/template's return keys for the file as it now is.
    static func result(path: String, info: FileInfo?, checksum: String?, source: String?) -> ValueDictionary {
        var values = ValueDictionary(["dest": .string(path)])
        if let source { values["src"] = .string(source) }
        if let checksum { values["checksum"] = .string(checksum) }
        if let info {
            values["size"] = .int(info.size)
            values["mode"] = .string(info.modeString)
            values["owner"] = .string(info.owner)
            values["group"] = .string(info.group)
            values["uid"] = .int(info.uid)
            values["gid"] = .int(info.gid)
            values["state"] = "file"
        }
        return values
    }
}

extension FileWriter {
    /// Hex digest with the SHA-2 family, for `get_url`'s `checksum: sha256:…`.
    static func digest(_ data: Data, algorithm: String) -> String {
        let bytes: [UInt8]
        switch algorithm {
        case "sha384": bytes = Array(SHA384.hash(data: data))
        case "sha512": bytes = Array(SHA512.hash(data: data))
        default: bytes = Array(SHA256.hash(data: data))
        }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}
