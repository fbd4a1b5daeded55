import Foundation

/// Reads the files of a user-supplied ZIP (a prebuilt CSAR) for offline validation, with Info-ZIP's
/// `unzip` (Debian: `unzip`) so that deflated entries are read as well as stored ones.
enum ZipReader {
    static func entries(of archive: Data, path: String) throws -> [String: Data] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stackplay-csar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-qq", "-o", path, "-d", scratch.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw OpenStackModuleError("cannot read '\(path)': /usr/bin/unzip is needed to read a prebuilt CSAR (\(error.localizedDescription))")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw OpenStackModuleError("'\(path)' is not a readable ZIP archive: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        var files: [String: Data] = [:]
        let base = scratch.standardizedFileURL.path
        if let walker = FileManager.default.enumerator(at: scratch, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
            }
        }
        return files
    }
}
