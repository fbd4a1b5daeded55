#if canImport(Glibc)
import Glibc
#endif

/// Switches the process to an unprivileged user after the listening sockets are bound.
public enum PrivilegeDrop {
    /// Sets the group list, group and user to those of `user` (and `group` if given).
    ///
    /// glibc applies setuid/setgid to every thread of the process, event loops included.
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
        guard setgroups(0, nil) == 0 || getuid() != 0, setgid(groupID) == 0, setuid(userID) == 0 else {
            throw ConfigurationError(
                file: "global", message: "cannot switch to user '\(user)': \(String(cString: strerror(errno)))")
        }
        // Regaining root must be impossible now.
        if userID != 0, setuid(0) == 0 {
            throw ConfigurationError(file: "global", message: "privileges could be regained after dropping them")
        }
    }
}
