#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where callbacks write text; injected so tests can capture output.
public protocol TextOutput: Sendable {
    func write(_ text: String, toStandardError: Bool)
}

/// Writes straight to file descriptors 1 and 2 (unbuffered, so output interleaves correctly with
/// commands the user runs and nothing is lost on exit).
public struct StandardOutput: TextOutput {
    public init() {}

    public func write(_ text: String, toStandardError: Bool) {
        var bytes = Array(text.utf8)
        let descriptor: Int32 = toStandardError ? 2 : 1
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            // `write` may be partial on pipes; loop until everything is out or an error occurs.
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Whether standard output is a terminal (colours are off otherwise).
    public static var isTerminal: Bool { isatty(1) == 1 }
}

private func systemWrite(_ descriptor: Int32, _ pointer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, pointer, count)
    #else
        Darwin.write(descriptor, pointer, count)
    #endif
}
