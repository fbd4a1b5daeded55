import Crypto
import Foundation
import ModuleAPI

/// `known_hosts` lines as OpenSSH reads them, for the known_hosts module: host matching as
/// `ssh-keygen -F` does it (pattern lists with `*`, `?` and `!` negation, and hashed `|1|salt|hash`
/// names checked with HMAC-SHA1), and the module's normalised `{options, host, type, key}` form.
enum KnownHosts {
    /// The module's `normalize_known_hosts_key`: marker, host field, key type and key; nil for short lines.
    struct NormalizedKey: Sendable, Equatable {
        var options: String?
        var host: String
        var type: String
        var key: String

        init?(_ line: String) {
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            let offset = fields.first?.hasPrefix("@") == true ? 1 : 0
            guard fields.count >= 3 + offset else { return nil }
            options = offset == 1 ? fields[0] : nil
            host = fields[offset]
            type = fields[offset + 1]
            key = fields[offset + 2]
        }
    }

    /// Whether a line's host field matches `host` (already lowercased), as `ssh-keygen -F` decides.
    static func lineMatches(_ line: String, host: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let key = NormalizedKey(trimmed) else { return false }
        return hostFieldMatches(key.host, host: host)
    }

    static func hostFieldMatches(_ field: String, host: String) -> Bool {
        if field.hasPrefix("|1|") { return hashedMatches(field, host: host) }
        var positive = false
        for pattern in field.split(separator: ",") {
            let negated = pattern.hasPrefix("!")
            let text = Array((negated ? pattern.dropFirst() : pattern).lowercased())
            if wildcardMatches(Array(host), text) {
                if negated { return false }
                positive = true
            }
        }
        return positive
    }

    /// `|1|base64(salt)|base64(HMAC-SHA1(salt, host))`.
    static func hashedMatches(_ field: String, host: String) -> Bool {
        let parts = field.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, let salt = Data(base64Encoded: String(parts[2])),
            let hash = Data(base64Encoded: String(parts[3]))
        else { return false }
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(host.utf8), using: SymmetricKey(data: salt))
        return Data(code) == hash
    }

    /// The hashed host field for `host` with a fresh 20-byte salt, as `hash_host_key` makes it.
    static func hashedField(for host: String) -> String {
        let salt = SymmetricKey(size: .init(bitCount: 160))
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(host.utf8), using: salt)
        let saltData = salt.withUnsafeBytes { Data($0) }
        return "|1|\(saltData.base64EncodedString())|\(Data(code).base64EncodedString())"
    }

    /// The key with its host field replaced by a hashed one (markers kept), fields joined by single spaces.
    static func hashHost(_ host: String, in key: String) -> String {
        var parts = key.split(whereSeparator: \.isWhitespace).map(String.init)
        let index = parts.first?.hasPrefix("@") == true ? 1 : 0
        if index < parts.count { parts[index] = hashedField(for: host) }
        return parts.joined(separator: " ")
    }

    /// OpenSSH's `match_pattern`: `*` any run, `?` any one character.
    static func wildcardMatches(_ text: [Character], _ pattern: [Character]) -> Bool {
        var textIndex = 0
        var patternIndex = 0
        var star: (pattern: Int, text: Int)?
        while textIndex < text.count {
            if patternIndex < pattern.count, pattern[patternIndex] == "*" {
                star = (patternIndex, textIndex)
                patternIndex += 1
            } else if patternIndex < pattern.count, pattern[patternIndex] == "?" || pattern[patternIndex] == text[textIndex] {
                patternIndex += 1
                textIndex += 1
            } else if let last = star {
                star = (last.pattern, last.text + 1)
                patternIndex = last.pattern + 1
                textIndex = last.text + 1
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == "*" { patternIndex += 1 }
        return patternIndex == pattern.count
    }

    /// The module's `search_for_host_key` over the file's lines: whether the host is there, whether
    /// the given key must replace or join its entries, and the 1-based line of the entry concerned.
    static func search(lines: [String], host: String, key: String?) -> (found: Bool, replaceOrAdd: Bool, line: Int?) {
        let matching = lines.enumerated().filter { lineMatches($0.element, host: host) }
        guard !matching.isEmpty else { return (false, false, nil) }
        guard let key, var wanted = NormalizedKey(key) else { return (true, false, nil) }
        for (index, text) in matching {
            guard let found = NormalizedKey(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            let number = index + 1
            if let marker = found.options, marker.hasPrefix("@cert-authority") || marker.hasPrefix("@revoke") {
                if wanted == found { return (true, false, number) }
                continue
            }
            // A hashed name never changes only because it was hashed with another salt.
            if wanted.host.hasPrefix("|1|") && found.host.hasPrefix("|1|") { wanted.host = found.host }
            if wanted == found { return (true, false, number) }
            if wanted.type == found.type { return (true, true, number) }
        }
        return (true, true, nil)
    }
}
