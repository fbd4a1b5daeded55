import Foundation
import ModuleAPI

/// An `authorized_keys` file as ansible.posix's authorized_key module models it: an ordered map from
/// key blob (or, for lines that hold no key, the line itself) to the parsed entry, written back sorted
/// by rank. Its quirks are kept on purpose, since playbooks' files must come out byte for byte the
/// same: duplicate blobs and repeated blank or comment lines collapse, a key without a comment is
/// written with a trailing space, and a key whose options or comment change moves to the end.
struct AuthorizedKeys: Sendable {
    /// `key_options`, in order; compared as ansible does, as a map from name to its values.
    struct Options: Sendable, Equatable {
        var items: [(name: String, value: String?)] = []

        static func == (lhs: Options, rhs: Options) -> Bool { lhs.grouped == rhs.grouped }

        private var grouped: [String: [String?]] {
            var map: [String: [String?]] = [:]
            for item in items { map[item.name, default: []].append(item.value) }
            return map
        }

        /// Splits `no-pty,command="a,b"` at commas outside quotes, as the module's `parseoptions`.
        init(_ text: String?) {
            guard let text, !text.isEmpty else { return }
            let pattern = #"((?:[^,"']|"[^"]*"|'[^']*')+)"#
            guard let expression = try? NSRegularExpression(pattern: pattern) else { return }
            let matches = expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
            // re.split(...)[1:-1]: each match, and the separator text between consecutive matches.
            var parts: [String] = []
            var previousEnd: String.Index?
            for match in matches {
                guard let range = Range(match.range, in: text) else { continue }
                if let previousEnd { parts.append(String(text[previousEnd..<range.lowerBound])) }
                parts.append(String(text[range]))
                previousEnd = range.upperBound
            }
            for part in parts {
                if let equals = part.firstIndex(of: "=") {
                    items.append((String(part[..<equals]), String(part[part.index(after: equals)...])))
                } else if part != "," {
                    items.append((part, nil))
                }
            }
        }

        var text: String {
            items.map { item in item.value.map { "\(item.name)=\($0)" } ?? item.name }.joined(separator: ",")
        }
    }

    struct Entry: Sendable {
        /// The key blob, or the raw line for lines that are kept verbatim.
        var blob: String
        /// The key type, or nil for a verbatim line.
        var type: String?
        var options: Options?
        var comment: String
        var rank: Int

        /// `(blob, type, options, comment)`, the part the module compares.
        func sameKey(as other: Entry) -> Bool {
            blob == other.blob && type == other.type && options == other.options && comment == other.comment
        }

        var line: String {
            guard let type else { return blob }
            let prefix = options.map(\.text).flatMap { $0.isEmpty ? nil : $0 + " " } ?? ""
            return "\(prefix)\(type) \(blob) \(comment)\n"
        }
    }

    static let keyTypes: Set<String> = [
        "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "webauthn-sk-ecdsa-sha2-nistp256@openssh.com", "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com",
        "sk-ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "ssh-dss",
        "ssh-rsa", "ssh-xmss@openssh.com", "ssh-xmss-cert-v01@openssh.com", "rsa-sha2-256", "rsa-sha2-512",
        "ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com",
        "ssh-dss-cert-v01@openssh.com",
    ]

    /// Entries in insertion order (a Python dict's order, which breaks ties between equal ranks).
    private(set) var entries: [Entry] = []

    var count: Int { entries.count }

    subscript(blob: String) -> Entry? { entries.first { $0.blob == blob } }

    /// Sets the entry for its blob; an existing one keeps its place, as a dict assignment does.
    mutating func set(_ entry: Entry) {
        if let index = entries.firstIndex(where: { $0.blob == entry.blob }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    mutating func remove(_ blob: String) {
        entries.removeAll { $0.blob == blob }
    }

    init(parsing content: String) {
        for (rank, line) in TextLines(content).lines.enumerated() {
            set(Self.parse(line, rank: rank) ?? Entry(blob: line, type: nil, options: nil, comment: "", rank: rank))
        }
    }

    /// The file's new content.
    var text: String {
        // Swift's sort is not stable; the insertion index breaks ties as Python's stable sort does.
        entries.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
            .map(\.element.line).joined()
    }

    /// One line: options, type, blob and comment; nil when it names no known key type (or no blob follows it).
    static func parse(_ raw: String, rank: Int) -> Entry? {
        let line = raw.replacingOccurrences(of: "\\#", with: "#")
        // shlex splits on space, tab, CR and LF (a literal " \t\r\n" would hold the single character "\r\n").
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
            .map(String.init)
        if parts.first == "#" { return Entry(blob: line, type: nil, options: nil, comment: "", rank: rank) }
        guard let typeIndex = parts.firstIndex(where: keyTypes.contains), typeIndex + 1 < parts.count else {
            return nil
        }
        let options = typeIndex > 0 ? parts[..<typeIndex].joined(separator: " ") : nil
        return Entry(
            blob: parts[typeIndex + 1], type: parts[typeIndex], options: Options(options),
            comment: parts[(typeIndex + 2)...].joined(separator: " "), rank: rank)
    }
}
