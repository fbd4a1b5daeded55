#if canImport(Glibc)
import Glibc
#endif

/// Switches the process to an unprivileged user after the listening sockets are bound.
public enum PrivilegeDrop {
    /// Sets the group list, group and user to those of `user` (and `group` if given), then checks
    /// that every thread of the process runs with them.
    ///
    /// glibc's setuid/setgid apply to every thread of the process (event loops included) except
    /// threads that are exiting: a main thread parked in `pthread_exit` by `dispatch_main()` (what an
    /// `async` main does) keeps its ids. Call this from a synchronous main thread.
    public static func switchTo(user: String, group: String?) throws(ConfigurationError) {
        guard let account = getpwnam(user) else {
            throw ConfigurationError(file: "global", message: "unknown user '\(user)'")
        }
        var groupID = account.pointee.pw_gid
        if let group {
            guard let entry = getgrnam(group) else {
                throw ConfigurationError(file: "global", message: "unknown group '\(group)'")
            }
            groupID = entry.pointee.gr_gid
        }
        let userID = account.pointee.pw_uid
        // Supplementary groups first (needs root), then the group, then the user (after which
        // neither of the others could be changed any more).
        guard setgroups(0, nil) == 0 || getuid() != 0, setgid(groupID) == 0, setuid(userID) == 0 else {
            throw ConfigurationError(
                file: "global", message: "cannot switch to user '\(user)': \(String(cString: strerror(errno)))")
        }
        // Regaining root must be impossible now.
        if userID != 0, setuid(0) == 0 {
            throw ConfigurationError(file: "global", message: "privileges could be regained after dropping them")
        }
        if let thread = threadWithOtherIDs(user: userID, group: groupID) {
            throw ConfigurationError(
                file: "global", message: "cannot switch to user '\(user)': thread \(thread) kept other ids")
        }
    }

    /// The id of a thread of this process whose user or group ids (real, effective, saved,
    /// filesystem) are not `user` and `group`, read from `/proc/self/task/*/status`; nil when all match
    /// (or when /proc is not mounted).
    static func threadWithOtherIDs(user: uid_t, group: gid_t) -> String? {
        guard let directory = opendir("/proc/self/task") else { return nil }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard !name.hasPrefix("."), let status = readSmallFile("/proc/self/task/\(name)/status") else { continue }
            let expected = [("Uid:", UInt32(user)), ("Gid:", UInt32(group))]
            for (key, id) in expected {
                guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { continue }
                let ids = line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
                if ids.contains(where: { UInt32($0) != id }) { return name }
            }
        }
        return nil
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8192)
        var length = 0
        while length < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + length, $0.count - length) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            length += count
        }
        return String(decoding: bytes[..<length], as: UTF8.self)
    }
}
