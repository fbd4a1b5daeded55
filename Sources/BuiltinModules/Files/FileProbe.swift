import Foundation
import ModuleAPI

/// What the target's `stat` reports about one path.
struct FileInfo: Sendable, Equatable {
    enum Kind: String, Sendable {
        case file, directory, link, fifo, socket, block, character, other
    }

    var kind: Kind
    /// Permission bits including setuid/setgid/sticky.
    var mode: UInt16
    var uid: Int
    var gid: Int
    var owner: String
    var group: String
    var size: Int
    var mtime: Int
    var atime: Int
    var ctime: Int
    var inode: Int
    var links: Int
    var device: Int
    /// The link's target when the probed path is a symbolic link (not followed).
    var linkTarget: String?
    /// SHA-1 of a regular file's content, when asked for.
    var checksum: String?
    var readable = false
    var writable = false
    var executable = false

    /// `0644`, as Ansible prints modes.
    var modeString: String { FileMode.octal(mode) }
}

/// Reads the state of one or more paths on the target in a single command.
///
/// Each path produces four lines — `stat` fields (or `absent`), link target, checksum, access
/// flags — and the last path may append the file's raw content, so copy, template, lineinfile
/// and friends learn everything they need with one round trip.
struct FileProbe: Sendable {
    struct Request: Sendable {
        var path: String
        var follow = false
        var checksum = false
        var content = false
    }

    struct Observation: Sendable {
        var info: FileInfo?
        var content: Data?
    }

    static func script(for requests: [Request]) -> String {
        var lines = [
            """
            probe() {
              if [ -e "$1" ] || [ -L "$1" ]; then
                stat $2 -c '%F|%a|%u|%g|%U|%G|%s|%Y|%X|%Z|%i|%h|%d' -- "$1" 2>/dev/null || echo broken
                if [ -L "$1" ]; then readlink -- "$1"; else echo; fi
                if [ "$3" = 1 ] && [ -f "$1" ] && [ -r "$1" ]; then sha1sum < "$1" | cut -c1-40; else echo; fi
                a=; [ -r "$1" ] && a=r; [ -w "$1" ] && a="${a}w"; [ -x "$1" ] && a="${a}x"; echo "$a."
                [ "$4" = 1 ] && [ -f "$1" ] && cat -- "$1"
              else
                printf 'absent\\n\\n\\n\\n'
              fi
              return 0
            }
            """
        ]
        for (index, request) in requests.enumerated() {
            // Only the last path may carry content: it is read to the end of the output.
            let content = request.content && index == requests.count - 1
            lines.append(
                "probe \(Shell.quote(request.path)) \(request.follow ? "-L" : "''") \(request.checksum ? 1 : 0) \(content ? 1 : 0)")
        }
        return lines.joined(separator: "\n")
    }

    static func run(_ requests: [Request], on shell: TargetShell) async throws -> [Observation] {
        let output = try await shell.run(script(for: requests))
        guard output.exitStatus == 0 else {
            throw ModuleFailure("could not inspect \(requests.map(\.path).joined(separator: ", ")): \(output.stderrText)")
        }
        return try parse(output.stdout, requests: requests)
    }

    static func run(_ request: Request, on shell: TargetShell) async throws -> Observation {
        let observations = try await run([request], on: shell)
        return observations.first ?? Observation()
    }

    static func parse(_ output: Data, requests: [Request]) throws -> [Observation] {
        var cursor = output.startIndex
        func nextLine() throws -> String {
            guard cursor <= output.endIndex, let newline = output[cursor...].firstIndex(of: UInt8(ascii: "\n")) else {
                throw ModuleFailure("unexpected output while inspecting files on the target")
            }
            defer { cursor = output.index(after: newline) }
            return String(decoding: output[cursor..<newline], as: UTF8.self)
        }
        var observations: [Observation] = []
        for (index, request) in requests.enumerated() {
            let statLine = try nextLine()
            let target = try nextLine()
            let checksum = try nextLine()
            let access = try nextLine()
            guard statLine != "absent" else {
                observations.append(Observation())
                continue
            }
            var info = parseStat(statLine)
            info.linkTarget = info.kind == .link ? target : nil
            info.checksum = checksum.isEmpty ? nil : checksum
            info.readable = access.contains("r")
            info.writable = access.contains("w")
            info.executable = access.contains("x")
            var observation = Observation(info: info)
            if request.content && index == requests.count - 1 && info.kind == .file {
                observation.content = Data(output[cursor...])
            }
            observations.append(observation)
        }
        return observations
    }

    /// Parses `%F|%a|%u|%g|%U|%G|%s|%Y|%X|%Z|%i|%h|%d`; a dangling followed link reads as a link.
    static func parseStat(_ line: String) -> FileInfo {
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 13 else {
            return FileInfo(
                kind: .link, mode: 0o777, uid: 0, gid: 0, owner: "", group: "", size: 0, mtime: 0, atime: 0, ctime: 0,
                inode: 0, links: 0, device: 0)
        }
        let kind: FileInfo.Kind
        switch fields[0] {
        case "regular file", "regular empty file": kind = .file
        case "directory": kind = .directory
        case "symbolic link": kind = .link
        case "fifo": kind = .fifo
        case "socket": kind = .socket
        case "block special file": kind = .block
        case "character special file": kind = .character
        default: kind = .other
        }
        let number = { (index: Int) in Int(fields[index]) ?? 0 }
        return FileInfo(
            kind: kind, mode: UInt16(fields[1], radix: 8) ?? 0, uid: number(2), gid: number(3), owner: fields[4],
            group: fields[5], size: number(6), mtime: number(7), atime: number(8), ctime: number(9), inode: number(10),
            links: number(11), device: number(12))
    }
}
