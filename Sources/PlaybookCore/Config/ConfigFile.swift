import Diagnostics
import Templating

/// An INI file as Python's `configparser` (the way ansible-core reads `ansible.cfg`) parses it:
/// `[section]`, `key = value` or `key: value` (keys lowercased), `#`/`;` comment lines, `;`
/// inline comments after whitespace, and indented continuation lines.
public struct ConfigFile: Sendable, Hashable {
    /// One setting as written.
    public struct Entry: Sendable, Hashable {
        public var value: String
        public var location: SourceLocation
    }

    public var path: String
    public private(set) var sections: [String: [String: Entry]] = [:]

    public init(path: String, text: String) throws {
        self.path = path
        var section: String?
        var lastKey: String?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let location = SourceLocation(file: path, line: offset + 1, column: 1)
            let trimmed = line.trimmingPythonWhitespace()
            if trimmed.isEmpty {
                lastKey = nil
                continue
            }
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"
            if indented, let key = lastKey, let current = section {
                sections[current]?[key]?.value += "\n" + Self.stripInlineComment(trimmed)
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw LoadError("invalid section header '\(trimmed)' in config file", at: location)
                }
                let name = String(trimmed.dropFirst().dropLast())
                section = name
                if sections[name] == nil { sections[name] = [:] }
                lastKey = nil
                continue
            }
            guard let current = section else {
                throw LoadError("config file '\(path)' has a setting before any [section]", at: location)
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw LoadError("expected 'key = value' in config file, got '\(trimmed)'", at: location)
            }
            let key = trimmed[..<separator].trimmingPythonWhitespace().lowercased()
            let value = Self.stripInlineComment(trimmed[trimmed.index(after: separator)...].trimmingPythonWhitespace())
            let separatorInLine = line.firstIndex(of: trimmed[separator]) ?? line.startIndex
            let valueStart = line[line.index(after: separatorInLine)...].firstIndex { $0 != " " && $0 != "\t" }
            let valueColumn = line.distance(from: line.startIndex, to: valueStart ?? line.endIndex) + 1
            sections[current]?[key] = Entry(
                value: value, location: SourceLocation(file: path, line: offset + 1, column: valueColumn))
            lastKey = key
        }
    }

    /// The raw value of `key` in `section` (or in `[DEFAULT]`, which configparser shows in every section).
    public func entry(_ section: String, _ key: String) -> Entry? {
        sections[section]?[key] ?? sections["DEFAULT"]?[key]
    }

    private static func stripInlineComment(_ value: String) -> String {
        // configparser with inline_comment_prefixes=(';',) only strips a ';' preceded by whitespace.
        var previous: Character = " "
        for index in value.indices {
            if value[index] == ";" && previous.isWhitespace {
                return value[..<index].trimmingPythonWhitespace()
            }
            previous = value[index]
        }
        return value
    }
}
