import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One line per request, in the spirit of HAProxy's `option httplog`, written to stdout or a file.
///
/// Lines are batched in memory and written when the batch grows or on a periodic flush, so the
/// request path never waits for the disk.
public final class AccessLog: Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let buffer = Mutex<[UInt8]>([])
    static let flushThreshold = 32 * 1024

    /// Opens `destination`: `-` is stdout, anything else a file opened for appending.
    public init(destination: String) throws(ConfigurationError) {
        if destination == "-" {
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
        } else {
            let fd = open(destination, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw ConfigurationError(
                    file: destination, message: "cannot open access log: \(String(cString: strerror(errno)))")
            }
            descriptor = fd
            ownsDescriptor = true
        }
    }

    deinit {
        flush()
        if ownsDescriptor { close(descriptor) }
    }

    /// Queues one line (a newline is added).
    func log(_ line: String) {
        let pending: [UInt8]? = buffer.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
            bytes.append(UInt8(ascii: "\n"))
            guard bytes.count >= Self.flushThreshold else { return nil }
            defer { bytes.removeAll(keepingCapacity: true) }
            return bytes
        }
        if let pending { write(pending) }
    }

    /// Writes everything queued so far.
    public func flush() {
        let pending = buffer.withLock { bytes -> [UInt8] in
            defer { bytes.removeAll(keepingCapacity: true) }
            return bytes
        }
        if !pending.isEmpty { write(pending) }
    }

    private func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// `25/Nov/2026:22:40:01` in UTC.
    static func timestamp(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(parts.tm_mday))/\(months[Int(parts.tm_mon)])/\(parts.tm_year + 1900):"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
