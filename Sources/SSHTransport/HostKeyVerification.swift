import CLibSSH
import Foundation

extension LibSSHSession {
    /// Checks the server's host key against known_hosts according to `options.hostKeyPolicy`.
    func verifyHostKey(options: SSHConnectionOptions) throws(SessionFailure) {
        guard options.hostKeyPolicy != .off else { return }
        var serverKey: OpaquePointer?
        guard ssh_get_server_publickey(handle, &serverKey) == SSH_OK, let serverKey else {
            throw SessionFailure(.io, "cannot read the host key of \(endpoint): \(libsshError(handle))")
        }
        defer { ssh_key_free(serverKey) }
        let offered = Self.describe(serverKey)
        let knownHosts = options.resolvedKnownHostsFile
        let hostName = knownHostsName

        switch ssh_session_is_known_server(handle) {
        case SSH_KNOWN_HOSTS_OK:
            return
        case SSH_KNOWN_HOSTS_CHANGED, SSH_KNOWN_HOSTS_OTHER:
            let known = knownKeyDescription(in: knownHosts) ?? "a different key"
            throw SessionFailure(
                .hostKeyMismatch,
                "host key verification failed for '\(hostName)': \(knownHosts) has \(known) but the server "
                    + "offered \(offered); refusing to connect (possible man-in-the-middle). If the host was "
                    + "reinstalled, remove the old entry with: ssh-keygen -f '\(knownHosts)' -R '\(hostName)'")
        case SSH_KNOWN_HOSTS_NOT_FOUND, SSH_KNOWN_HOSTS_UNKNOWN:
            guard options.hostKeyPolicy == .acceptNew else {
                throw SessionFailure(
                    .hostKeyUnknown,
                    "host key verification failed for '\(hostName)': no entry in \(knownHosts) for the offered "
                        + "\(offered); add it to known_hosts, or use StrictHostKeyChecking=accept-new")
            }
            try rememberHostKey(in: knownHosts, offered: offered)
        default:
            throw SessionFailure(
                .io, "cannot check the host key of '\(hostName)' against \(knownHosts): \(libsshError(handle))")
        }
    }

    /// The name known_hosts uses for this endpoint: `host`, or `[host]:port` off port 22.
    var knownHostsName: String {
        endpoint.port == 22 ? endpoint.host : "[\(endpoint.host)]:\(endpoint.port)"
    }

    /// Appends the server's key to known_hosts (accept-new), creating the file and its directory.
    private func rememberHostKey(in knownHosts: String, offered: String) throws(SessionFailure) {
        let directory = (knownHosts as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if ssh_session_update_known_hosts(handle) != SSH_OK {
            throw SessionFailure(
                .io,
                "cannot add the host key \(offered) of '\(knownHostsName)' to \(knownHosts): \(libsshError(handle))")
        }
    }

    /// The type and fingerprint of the keys known_hosts holds for this host. libssh only returns
    /// the entry that matched, so on a mismatch the file is read line by line (hashed names included).
    private func knownKeyDescription(in knownHosts: String) -> String? {
        guard let contents = try? String(contentsOfFile: knownHosts, encoding: .utf8) else { return nil }
        var descriptions: [String] = []
        for line in contents.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var entry: UnsafeMutablePointer<ssh_knownhosts_entry>?
            guard ssh_known_hosts_parse_line(knownHostsName, String(line), &entry) == SSH_OK else {
                if entry != nil { ssh_knownhosts_entry_free(entry) }
                continue
            }
            if let key = stackplay_knownhosts_entry_key(entry) { descriptions.append(Self.describe(key)) }
            ssh_knownhosts_entry_free(entry)
        }
        return descriptions.isEmpty ? nil : descriptions.joined(separator: " and ")
    }

    /// `ssh-ed25519 key SHA256:…`, as OpenSSH prints keys in its warnings.
    static func describe(_ key: OpaquePointer) -> String {
        let type = ssh_key_type_to_char(ssh_key_type(key)).map { String(cString: $0) } ?? "unknown"
        return "\(type) key \(fingerprint(of: key) ?? "(no fingerprint)")"
    }

    /// `SHA256:base64`, the fingerprint format of `ssh-keygen -l`.
    static func fingerprint(of key: OpaquePointer) -> String? {
        var hash: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK else { return nil }
        defer { ssh_clean_pubkey_hash(&hash) }
        guard let text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length) else { return nil }
        defer { ssh_string_free_char(text) }
        return String(cString: text)
    }
}
