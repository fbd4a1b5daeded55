import Foundation

/// Reading a controller file in a Python codec, as `open(path, encoding=…)` does.
enum FileText {
    static func read(_ path: String, encoding name: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RenderFailure("could not read '\(path)'")
        }
        let normalized = name.lowercased().replacingOccurrences("_", "-")
        let encoding: String.Encoding
        switch normalized {
        case "utf-8", "utf8", "u8": encoding = .utf8
        case "utf-16", "utf16": encoding = .utf16
        case "ascii", "us-ascii": encoding = .ascii
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1": encoding = .isoLatin1
        case "cp1252", "windows-1252": encoding = .windowsCP1252
        default: throw RenderFailure("unknown encoding: \(name)")
        }
        guard let text = String(data: data, encoding: encoding) else {
            throw RenderFailure("'\(normalized)' codec can't decode the file '\(path)'")
        }
        // Python drops a UTF-8 byte order mark only with utf-8-sig; keep the text as decoded.
        return text
    }
}
