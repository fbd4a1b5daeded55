import CLibSSH
import ModuleAPI

/// A failure inside the session thread, before it is tagged with the host's name.
struct SessionFailure: Error, Sendable {
    var kind: ConnectionError.Kind
    var message: String
    /// True when nothing reached the remote side yet (a channel could not even be opened), so the
    /// operation may be retried on a fresh session without running anything twice.
    var safeToRetry: Bool

    init(_ kind: ConnectionError.Kind, _ message: String, safeToRetry: Bool = false) {
        self.kind = kind
        self.message = message
        self.safeToRetry = safeToRetry
    }

    func connectionError(host: String) -> ConnectionError {
        ConnectionError(kind, host: host, message: message)
    }
}

/// libssh's last error message for a session (or an sftp/channel handle whose first field is one).
func libsshError(_ session: OpaquePointer?) -> String {
    guard let session, let text = ssh_get_error(UnsafeMutableRawPointer(session)) else { return "unknown libssh error" }
    let message = String(cString: text)
    return message.isEmpty ? "unknown libssh error" : message
}

/// sftp status codes (draft-ietf-secsh-filexfer-02) as words, for messages.
func sftpStatusText(_ code: Int32) -> String {
    switch code {
    case 2: return "no such file"
    case 3: return "permission denied"
    case 4: return "failure"
    case 5: return "bad message"
    case 6: return "no connection"
    case 7: return "connection lost"
    case 8: return "operation unsupported"
    default: return "sftp error \(code)"
    }
}
