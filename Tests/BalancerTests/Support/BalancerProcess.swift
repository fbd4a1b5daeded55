import Foundation

/// The built `stackplay-balancer` executable, run as a child process (for what only a whole process
/// shows: privilege drop, signals).
final class BalancerProcess {
    /// The build products directory: `$STACKPLAY_BIN_DIR`, else the directory holding the test
    /// bundle (SwiftPM puts the executables beside it; `swift build --build-tests` builds them).
    static let binary: URL? = {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["STACKPLAY_BIN_DIR"] {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        for start in [Bundle.main.bundleURL, Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
            var directory = start?.deletingLastPathComponent()
            for _ in 0..<4 {
                guard let current = directory else { break }
                candidates.append(current)
                directory = current.deletingLastPathComponent()
            }
        }
        return candidates.map { $0.appendingPathComponent("stackplay-balancer") }
            .first { fileManager.isExecutableFile(atPath: $0.path) }
    }()

    let pid: pid_t
    /// Where the child's stdout and stderr go.
    let logFile: URL
    private var exited = false

    /// Starts `binary` with `arguments`, stdout and stderr appended to `logFile`.
    init(binary: URL, arguments: [String], logFile: URL) throws {
        self.logFile = logFile
        var pid: pid_t = 0
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, logFile.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, binary.path, &fileActions, nil, argv, environ)
        guard spawned == 0 else { throw FixtureError("cannot run \(binary.path): \(String(cString: strerror(spawned)))") }
        self.pid = pid
    }

    deinit {
        if !exited {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    /// What the child printed so far.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Polls the log until it contains `text` (at most `seconds`); false if the child exited first.
    func waitForLog(_ text: String, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if log.contains(text) { return true }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                return log.contains(text)
            }
            usleep(20_000)
        }
        return false
    }

    /// Sends `signal` and waits for the exit; returns the exit code (128+n when killed by signal n).
    func stop(signal: Int32 = SIGTERM, seconds: Double = 10) -> Int32 {
        guard !exited else { return -1 }
        kill(pid, signal)
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        exited = true
        let termination = status & 0x7f
        return termination == 0 ? (status >> 8) & 0xff : 128 + termination
    }

    /// The `Uid:`, `Gid:` and `Groups:` lines of the process and of each of its threads, read from
    /// `/proc/PID/status` and `/proc/PID/task/TID/status`, keyed by that path.
    func credentials() throws -> [String: ProcessCredentials] {
        var result: [String: ProcessCredentials] = [:]
        let paths =
            ["/proc/\(pid)/status"]
            + (try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")).sorted()
            .map { "/proc/\(pid)/task/\($0)/status" }
        for path in paths {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            result[path] = try ProcessCredentials(status: text, path: path)
        }
        return result
    }
}

/// Credentials of one task as `/proc/…/status` shows them.
struct ProcessCredentials: Equatable, CustomStringConvertible {
    /// Real, effective, saved and filesystem user ids.
    var uids: [UInt32]
    /// Real, effective, saved and filesystem group ids.
    var gids: [UInt32]
    /// Supplementary groups.
    var groups: [UInt32]

    init(uids: [UInt32], gids: [UInt32], groups: [UInt32]) {
        self.uids = uids
        self.gids = gids
        self.groups = groups
    }

    init(status: String, path: String) throws {
        func numbers(_ key: String) throws -> [UInt32] {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else {
                throw FixtureError("\(path) has no \(key): line")
            }
            return line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
                .compactMap { UInt32($0) }
        }
        uids = try numbers("Uid")
        gids = try numbers("Gid")
        groups = try numbers("Groups")
    }

    var description: String { "uid \(uids) gid \(gids) groups \(groups)" }
}
