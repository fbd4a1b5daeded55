import CLibSSH
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension LibSSHSession {
    /// OpenSSH's sftp-server drops the connection on writes of 256 KiB or more; 128 KiB is as fast as
    /// it gets with one synchronous round trip per write (shared/facts/swift-deps.md).
    static let transferChunkSize = 128 * 1024

    /// Writes `data` to a temporary file next to `path`, gives it the mode (and, when replacing a
    /// file, the owner and group) the result should have, then renames it into place, so that a
    /// transfer cut mid-way leaves the old file untouched.
    func upload(_ data: Data, to path: String, mode: UInt16?) throws(SessionFailure) {
        let sftp = try sftpSession()
        let (directory, name) = splitPath(path)
        let temporary = "\(directory)/.\(name).stackplay-\(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff).tmp"
        let existing = existingFile(at: path, sftp: sftp)
        let finalMode = mode.map { mode_t($0) } ?? existing?.mode ?? 0o644

        guard let file = sftp_open(sftp, temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600) else {
            throw transferFailure("cannot create '\(temporary)'", sftp: sftp)
        }
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + Self.transferChunkSize)
            let written = data[offset..<end].withUnsafeBytes { raw in sftp_write(file, raw.baseAddress, raw.count) }
            if written <= 0 {
                let failure = transferFailure("writing '\(temporary)' failed after \(offset) bytes", sftp: sftp)
                sftp_close(file)
                if isConnected { sftp_unlink(sftp, temporary) }
                throw failure
            }
            // sftp_write may accept less than it was given; carry on from where it stopped.
            offset += written
        }
        if sftp_close(file) != SSH_OK {
            throw transferFailure("closing '\(temporary)' failed", sftp: sftp)
        }
        if sftp_chmod(sftp, temporary, finalMode) != SSH_OK {
            let failure = transferFailure(
                "cannot set mode \(String(finalMode, radix: 8)) on '\(temporary)'", sftp: sftp)
            sftp_unlink(sftp, temporary)
            throw failure
        }
        if let existing {
            // As Ansible's atomic_move: the replacement keeps the old file's owner and group. Only
            // root (or the owner, for the group) may do that; otherwise the uploader's ownership stays.
            _ = sftp_chown(sftp, temporary, existing.owner, existing.group)
        }
        try renameIntoPlace(temporary, path, sftp: sftp)
    }

    /// Reads a whole remote file.
    func download(_ path: String) throws(SessionFailure) -> Data {
        let sftp = try sftpSession()
        guard let file = sftp_open(sftp, path, O_RDONLY, 0) else {
            throw transferFailure("cannot open '\(path)'", sftp: sftp)
        }
        defer { sftp_close(file) }
        var contents = Data()
        var buffer = [UInt8](repeating: 0, count: Self.transferChunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in sftp_read(file, raw.baseAddress, raw.count) }
            if count < 0 { throw transferFailure("reading '\(path)' failed after \(contents.count) bytes", sftp: sftp) }
            if count == 0 { return contents }
            contents.append(contentsOf: buffer[0..<count])
        }
    }

    /// The session's SFTP subsystem, started on first use.
    private func sftpSession() throws(SessionFailure) -> sftp_session {
        if let sftp { return sftp }
        guard let created = sftp_new(handle) else {
            throw SessionFailure(.disconnected, "cannot start SFTP: \(libsshError(handle))", safeToRetry: true)
        }
        if sftp_init(created) != SSH_OK {
            let message = libsshError(handle)
            sftp_free(created)
            throw SessionFailure(.disconnected, "cannot start SFTP: \(message)", safeToRetry: !isConnected)
        }
        sftp = created
        return created
    }

    /// SFTPv3 RENAME refuses to replace an existing file and libssh 0.10 cannot send OpenSSH's
    /// posix-rename extension, so the atomic replace is a `mv -f` (rename(2)) in the same directory.
    private func renameIntoPlace(_ temporary: String, _ path: String, sftp: sftp_session) throws(SessionFailure) {
        let move = RemoteCommand(line: "mv -f -- \(shellQuote(temporary)) \(shellQuote(path))", input: Data())
        let output = try execute(move, timeout: nil)
        guard output.exitStatus == 0 else {
            sftp_unlink(sftp, temporary)
            let reason = output.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SessionFailure(.transfer, "cannot move the upload into place at '\(path)': \(reason)")
        }
    }

    /// Mode, owner and group of the regular file at `path`, or nil when there is none.
    private func existingFile(at path: String, sftp: sftp_session) -> (mode: mode_t, owner: uid_t, group: gid_t)? {
        guard let attributes = sftp_stat(sftp, path) else { return nil }
        defer { sftp_attributes_free(attributes) }
        let stat = attributes.pointee
        return (mode_t(stat.permissions & 0o7777), uid_t(stat.uid), gid_t(stat.gid))
    }

    private func transferFailure(_ what: String, sftp: sftp_session) -> SessionFailure {
        guard isConnected else {
            return SessionFailure(.disconnected, "\(what): the connection dropped (\(libsshError(handle)))")
        }
        return SessionFailure(.transfer, "\(what): \(sftpStatusText(sftp_get_error(sftp)))")
    }

    private func splitPath(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
