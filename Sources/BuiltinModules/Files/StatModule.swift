import ModuleAPI
import Templating

/// `ansible.builtin.stat`: a path's type, mode, ownership, times and checksum, with Ansible's keys.
public struct StatModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.stat",
        arguments: ArgumentSpec([
            "path": OptionSpec(.path, required: true, aliases: ["dest", "name"]),
            "follow": OptionSpec(.bool, default: false),
            "get_checksum": OptionSpec(.bool, default: true),
            "checksum_algorithm": OptionSpec(
                .string, default: "sha1", choices: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
                aliases: ["checksum", "checksum_algo"]),
            "get_mime": OptionSpec(.bool, default: true, aliases: ["mime", "mime_type", "mime-type"]),
            "get_attributes": OptionSpec(.bool, default: true, aliases: ["attr", "attributes"]),
            "get_selinux_context": OptionSpec(.bool, default: false),
        ]))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let path = try arguments.requiredString("path")
            let algorithm = arguments.string("checksum_algorithm", default: "sha1")
            let wantChecksum = arguments.bool("get_checksum", default: true)
            let shell = TargetShell(invocation)
            let observation = try await FileProbe.run(
                FileProbe.Request(path: path, follow: arguments.bool("follow"), checksum: wantChecksum && algorithm == "sha1"),
                on: shell)
            guard var info = observation.info else {
                return ModuleResult(values: ValueDictionary(["stat": .object(["exists": false])]))
            }
            if wantChecksum, algorithm != "sha1", info.kind == .file, info.readable {
                let output = try await shell.run("\(algorithm)sum < \(Shell.quote(path)) | cut -d' ' -f1")
                info.checksum = output.stdoutText.trimmingTrailingNewlines
            }
            return ModuleResult(values: ValueDictionary(["stat": .dict(Self.statValues(info, path: path, checksum: wantChecksum))]))
        }
    }

    /// The `stat` dictionary as Ansible's stat module returns it.
    static func statValues(_ info: FileInfo, path: String, checksum: Bool) -> ValueDictionary {
        let mode = info.mode
        var values = ValueDictionary()
        values["exists"] = true
        values["path"] = .string(path)
        values["mode"] = .string(info.modeString)
        values["isdir"] = .bool(info.kind == .directory)
        values["ischr"] = .bool(info.kind == .character)
        values["isblk"] = .bool(info.kind == .block)
        values["isreg"] = .bool(info.kind == .file)
        values["isfifo"] = .bool(info.kind == .fifo)
        values["islnk"] = .bool(info.kind == .link)
        values["issock"] = .bool(info.kind == .socket)
        values["uid"] = .int(info.uid)
        values["gid"] = .int(info.gid)
        values["size"] = .int(info.size)
        values["inode"] = .int(info.inode)
        values["dev"] = .int(info.device)
        values["nlink"] = .int(info.links)
        values["atime"] = .float(Double(info.atime))
        values["mtime"] = .float(Double(info.mtime))
        values["ctime"] = .float(Double(info.ctime))
        values["wusr"] = .bool(mode & 0o200 != 0)
        values["rusr"] = .bool(mode & 0o400 != 0)
        values["xusr"] = .bool(mode & 0o100 != 0)
        values["wgrp"] = .bool(mode & 0o020 != 0)
        values["rgrp"] = .bool(mode & 0o040 != 0)
        values["xgrp"] = .bool(mode & 0o010 != 0)
        values["woth"] = .bool(mode & 0o002 != 0)
        values["roth"] = .bool(mode & 0o004 != 0)
        values["xoth"] = .bool(mode & 0o001 != 0)
        values["isuid"] = .bool(mode & 0o4000 != 0)
        values["isgid"] = .bool(mode & 0o2000 != 0)
        values["pw_name"] = .string(info.owner)
        values["gr_name"] = .string(info.group)
        values["readable"] = .bool(info.readable)
        values["writeable"] = .bool(info.writable)
        values["executable"] = .bool(info.executable)
        if let target = info.linkTarget {
            values["lnk_source"] = .string(target.hasPrefix("/") ? target : TargetPath.join(TargetPath.directory(of: path), target))
            values["lnk_target"] = .string(target)
        }
        if checksum, let sum = info.checksum { values["checksum"] = .string(sum) }
        return values
    }
}
