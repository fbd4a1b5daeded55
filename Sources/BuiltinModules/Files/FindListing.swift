import Foundation
import ModuleAPI
import Templating

/// One entry below a searched path, with the `lstat` fields ansible-core's find returns.
struct FoundEntry: Sendable {
    /// `find`'s type letter for the entry itself: f d l p s b c.
    var type: Character
    /// Whether `os.walk` files it under `dirs` (a directory, or a link to one).
    var listsAsDirectory: Bool
    var mode: UInt16
    var uid: Int
    var gid: Int
    var owner: String
    var group: String
    var size: Int
    var atime: Double
    var mtime: Double
    var ctime: Double
    var inode: Int
    var device: Int
    var links: Int
    var blocks: Int
    var depth: Int
    var path: String

    /// The entry's own name and its directory's path, split once (`find` prints no trailing slash
    /// below the searched path).
    var name: String { String(path[nameStart...]) }
    var parent: String { String(path[..<path.index(before: nameStart)]) }
    private var nameStart: String.Index {
        guard let slash = path.lastIndex(of: "/") else { return path.startIndex }
        return path.index(after: slash)
    }
    var isRegular: Bool { type == "f" }
    var isDirectory: Bool { type == "d" }
    var isLink: Bool { type == "l" }

    /// ansible-core's `statinfo()` keys plus `path`.
    var values: ValueDictionary {
        var values = ValueDictionary()
        // ansible-core reports os.path.normpath(os.path.join(root, name)).
        values["path"] = .string(FindListing.normalize(path))
        values["mode"] = .string(FileMode.octal(mode))
        values["isdir"] = .bool(type == "d")
        values["ischr"] = .bool(type == "c")
        values["isblk"] = .bool(type == "b")
        values["isreg"] = .bool(type == "f")
        values["isfifo"] = .bool(type == "p")
        values["islnk"] = .bool(type == "l")
        values["issock"] = .bool(type == "s")
        values["uid"] = .int(uid)
        values["gid"] = .int(gid)
        values["size"] = .int(size)
        values["inode"] = .int(inode)
        values["dev"] = .int(device)
        values["nlink"] = .int(links)
        values["atime"] = .float(atime)
        values["mtime"] = .float(mtime)
        values["ctime"] = .float(ctime)
        values["gr_name"] = .string(group)
        values["pw_name"] = .string(owner)
        let bits: [(String, UInt16)] = [
            ("wusr", 0o200), ("rusr", 0o400), ("xusr", 0o100), ("wgrp", 0o020), ("rgrp", 0o040), ("xgrp", 0o010),
            ("woth", 0o002), ("roth", 0o004), ("xoth", 0o001), ("isuid", 0o4000), ("isgid", 0o2000),
        ]
        for (key, bit) in bits { values[key] = .bool(mode & bit != 0) }
        values["blocks"] = .int(blocks)
        values["disk_usage_bytes"] = .int(blocks * 512)
        return values
    }
}

/// Lists every searched path with one command: a GNU `find -printf` per path, so a tree of any size
/// costs one round trip. With `follow`, `find -L` walks through links and the links' own `lstat`
/// comes from a second `find -P … -maxdepth 0` over just the links, in the same script.
enum FindListing {
    /// The walked paths' entries, by the path as given.
    struct Listing: Sendable {
        var entries: [String: [FoundEntry]] = [:]
        /// Paths that are not directories, with `~` expanded as the target's `type='path'` does.
        var notDirectories: [String: String] = [:]
        /// `find`'s complaints about directories it could not read, as ansible-core reports them.
        var unreadable: [String: String] = [:]
        /// The target's clock, for `age`.
        var now: Double = 0
    }

    private static let format =
        "e\\0%y\\0%Y\\0%m\\0%U\\0%G\\0%u\\0%g\\0%s\\0%A@\\0%T@\\0%C@\\0%i\\0%D\\0%n\\0%b\\0%d\\0%p\\0"
    private static let fieldCount = 17

    /// `maxDepth` counts from the searched path (its entries are at depth 1).
    static func script(paths: [String], follow: Bool, maxDepth: Int?) -> String {
        let limit = maxDepth.map { " -maxdepth \($0)" } ?? ""
        var lines = ["export LC_ALL=C", "printf 'now\\0%s\\0' \"$(date +%s.%N)\""]
        for path in paths {
            // `~` expands to the target user's home, as ansible-core's `type='path'` does on the target.
            let quoted = "\"$p\""
            var body = "p=\(Shell.quote(path)); case $p in \"~\") p=$HOME ;; \"~/\"*) p=\"$HOME/${p#\\~/}\" ;; esac; "
            body += "printf 'path\\0%s\\0' \(Shell.quote(path)); if [ -d \(quoted) ]; then "
            if follow {
                body += "find -L \(quoted) -mindepth 1\(limit) -printf '\(format)'; "
                // The links' own lstat, which `find -L` replaces with their targets'.
                body += "find -L \(quoted) -mindepth 1\(limit) -xtype l -print0"
                body += " | xargs -0 -r sh -c 'exec find -P \"$@\" -maxdepth 0 -printf \"l$0\"' '\(format)'; "
            } else {
                body += "find -P \(quoted) -mindepth 1\(limit) -printf '\(format)'; "
            }
            body += "else printf 'missing\\0%s\\0' \(quoted); fi"
            lines.append(body)
        }
        lines.append("exit 0")
        return lines.joined(separator: "\n")
    }

    static func run(paths: [String], follow: Bool, maxDepth: Int?, shell: TargetShell) async throws -> Listing {
        let output = try await shell.run(script(paths: paths, follow: follow, maxDepth: maxDepth))
        guard output.exitStatus == 0 else {
            throw ModuleFailure("could not list \(paths.joined(separator: ", ")): \(output.stderrText)")
        }
        var listing = try parse(output.stdout)
        listing.unreadable = unreadable(output.stderrText)
        return listing
    }

    static func parse(_ output: Data) throws(ModuleFailure) -> Listing {
        let fields = nulSeparatedFields(output)
        var listing = Listing()
        var current: String?
        var entries: [FoundEntry] = []
        var linkStats: [String: FoundEntry] = [:]
        func finish() {
            guard let path = current else { return }
            if listing.entries[path] == nil {
                listing.entries[path] = entries.map { entry in
                    guard let own = linkStats[entry.path] else { return entry }
                    var link = own
                    link.depth = entry.depth
                    link.listsAsDirectory = entry.isDirectory
                    return link
                }
            }
            entries = []
            linkStats = [:]
        }
        var index = 0
        while index < fields.count {
            switch fields[index] {
            case "now":
                guard index + 1 < fields.count else { throw malformed }
                listing.now = Double(fields[index + 1]) ?? 0
                index += 2
            case "path":
                guard index + 1 < fields.count else { throw malformed }
                finish()
                current = fields[index + 1]
                index += 2
            case "missing":
                guard index + 1 < fields.count else { throw malformed }
                if let path = current { listing.notDirectories[path] = fields[index + 1] }
                current = nil
                index += 2
            case "e", "le":
                guard index + fieldCount < fields.count, let entry = entry(fields, from: index + 1) else { throw malformed }
                if fields[index] == "le" { linkStats[entry.path] = entry } else { entries.append(entry) }
                index += fieldCount + 1
            case "":
                index += 1
            default:
                throw malformed
            }
        }
        finish()
        return listing
    }

    private static var malformed: ModuleFailure { ModuleFailure("unexpected output from find on the target") }

    /// The output split at NUL bytes, scanned once (a listing holds 18 fields per entry).
    static func nulSeparatedFields(_ output: Data) -> [String] {
        output.withUnsafeBytes { buffer in
            var fields: [String] = []
            var start = 0
            for index in 0..<buffer.count where buffer[index] == 0 {
                fields.append(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self))
                start = index + 1
            }
            if start < buffer.count {
                fields.append(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start...]), as: UTF8.self))
            }
            return fields
        }
    }

    /// The entry whose `find -printf` fields start at `base`.
    private static func entry(_ fields: [String], from base: Int) -> FoundEntry? {
        guard let type = fields[base].first else { return nil }
        let number = { (index: Int) in Int(fields[base + index]) ?? 0 }
        let time = { (index: Int) in Double(fields[base + index]) ?? 0 }
        // Names of unknown ids print as numbers; ansible-core reports them as empty names.
        let name = { (index: Int, id: Int) in fields[base + index] == String(id) ? "" : fields[base + index] }
        let uid = number(3)
        let gid = number(4)
        return FoundEntry(
            type: type, listsAsDirectory: fields[base + 1] == "d", mode: UInt16(fields[base + 2], radix: 8) ?? 0,
            uid: uid, gid: gid, owner: name(5, uid), group: name(6, gid), size: number(7), atime: time(8),
            mtime: time(9), ctime: time(10), inode: number(11), device: number(12), links: number(13),
            blocks: number(14), depth: number(15), path: fields[base + 16])
    }

    /// `find: '/srv/private': Permission denied` → `[Errno 13] Permission denied: '/srv/private'`.
    static func unreadable(_ stderr: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in stderr.split(separator: "\n") where line.hasPrefix("find: '") {
            let rest = line.dropFirst("find: '".count)
            guard let end = rest.range(of: "': ") else { continue }
            let path = String(rest[..<end.lowerBound])
            let reason = String(rest[end.upperBound...])
            let number = ["Permission denied": 13, "No such file or directory": 2, "Operation not permitted": 1][reason]
            result[path] = number.map { "[Errno \($0)] \(reason): '\(path)'" } ?? reason
        }
        return result
    }

    /// Python's `os.path.normpath` for POSIX paths.
    static func normalize(_ path: String) -> String {
        guard !path.isEmpty else { return "." }
        let absolute = path.hasPrefix("/")
        // POSIX keeps exactly two leading slashes; three or more collapse to one.
        let doubleSlash = path.hasPrefix("//") && !path.hasPrefix("///")
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return (doubleSlash ? "//" : "/") + joined }
        return joined.isEmpty ? "." : joined
    }
}
