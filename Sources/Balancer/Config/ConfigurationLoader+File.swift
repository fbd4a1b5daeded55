#if canImport(Glibc)
import Glibc
#endif

extension ConfigurationLoader {
    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> BalancerConfiguration {
        guard let file = fopen(path, "r") else {
            throw ConfigurationError(file: path, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return try parse(String(decoding: bytes, as: UTF8.self), file: path)
    }
}
