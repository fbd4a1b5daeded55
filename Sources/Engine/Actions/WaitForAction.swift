import Foundation
import Templating

#if canImport(Glibc)
    import Glibc
#endif

/// `wait_for`, run on the controller: waits for a TCP port to accept (or refuse) connections, or
/// for a file to appear (optionally containing `search_regex`) or disappear.
enum WaitForAction {
    static func run(_ arguments: ValueDictionary) async throws -> ActionResult {
        func integer(_ key: String, _ fallback: Int) -> Int {
            if case .int(let number) = arguments[key] { return number }
            return fallback
        }
        let timeout = Double(integer("timeout", 300))
        let delay = integer("delay", 0)
        let sleep = max(integer("sleep", 1), 1)
        let state = arguments["state"].map { PythonRepr.text($0) } ?? "started"
        let host = arguments["host"].map { PythonRepr.text($0) } ?? "127.0.0.1"
        let port: Int? = if case .int(let number) = arguments["port"] { number } else { nil }
        let path = arguments["path"].map { PythonRepr.text($0) }
        let pattern = arguments["search_regex"].map { PythonRepr.text($0) }
        let started = ContinuousClock.now
        if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
        while true {
            let satisfied: Bool
            if let path {
                let contents = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
                switch state {
                case "absent": satisfied = contents == nil && !FileManager.default.fileExists(atPath: path)
                default:
                    if let pattern {
                        satisfied = contents?.range(of: pattern, options: .regularExpression) != nil
                    } else {
                        satisfied = FileManager.default.fileExists(atPath: path)
                    }
                }
            } else if let port {
                let open = TCPProbe.accepts(host: host, port: port)
                satisfied = (state == "stopped" || state == "absent" || state == "drained") ? !open : open
            } else {
                satisfied = true
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if satisfied {
                var values = ValueDictionary()
                values["changed"] = .bool(false)
                values["elapsed"] = .int(Int(seconds))
                if let path { values["path"] = .string(path) }
                if let port { values["port"] = .int(port) }
                values["state"] = .string(state)
                return ActionResult(values: values)
            }
            if seconds >= timeout {
                let target = path ?? "\(host):\(port ?? 0)"
                let message = arguments["msg"].map { PythonRepr.text($0) }
                    ?? "Timeout when waiting for \(target)"
                return .failure(message, extra: .pairs(["elapsed": .int(Int(seconds))]))
            }
            try await Task.sleep(for: .seconds(sleep))
        }
    }
}

/// A TCP connection attempt with a short timeout.
enum TCPProbe {
    static func accepts(host: String, port: Int) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else { return false }
        defer { freeaddrinfo(results) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                var timeout = timeval(tv_sec: 1, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let connected = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0
                close(fd)
                if connected { return true }
            }
            entry = info.pointee.ai_next
        }
        return false
    }
}
