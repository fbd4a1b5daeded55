import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// File operations of the local connection, with POSIX error messages (`No such file or directory`).
enum LocalFiles {
    struct Failure: Error {
        var message: String
        static var current: Failure { Failure(message: String(cString: strerror(errno))) }
    }

    /// Writes a temporary file next to `path` and renames it over `path`. A replaced file keeps its
    /// permissions and ownership unless `mode` is given, as Ansible's `atomic_move` does.
    static func writeAtomically(_ data: Data, to path: String, mode: UInt16?) -> Result<Void, Failure> {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\(name).stackplay-\(UUID().uuidString.prefix(8))"
        var existing = stat()
        let replacing = stat(path, &existing) == 0
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return .failure(.current) }
        var failure: Failure?
        let written = data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                guard let base = bytes.baseAddress else { break }
                let count = write(fd, base + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
        if !written { failure = .current }
        if failure == nil, let mode {
            if fchmod(fd, mode_t(mode)) != 0 { failure = .current }
        } else if failure == nil, replacing {
            _ = fchmod(fd, existing.st_mode & 0o7777)
            // Only root can give a file away; elsewhere the new file simply belongs to us.
            _ = fchown(fd, existing.st_uid, existing.st_gid)
        }
        if failure == nil, fsync(fd) != 0 { failure = .current }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = .current }
        if let failure {
            unlink(temporary)
            return .failure(failure)
        }
        return .success(())
    }

    static func readAll(_ path: String) -> Result<Data, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.current) }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.current)
            }
            if count == 0 { return .success(data) }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}
