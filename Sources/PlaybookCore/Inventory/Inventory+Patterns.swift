import Diagnostics
import Foundation
import Templating

/// Host patterns as ansible-core evaluates them (`InventoryManager.get_hosts`): `a:b` / `a,b`
/// (union), `a:&b` (intersection), `a:!b` (exclusion), globs `web*`, regexes `~web\d+`,
/// `all`/`*`, subscripts `g[0]`, `g[1:3]` (inclusive), `g[-1]`, and the implicit localhost.
extension Inventory {
    /// The host names `patterns` select, in Ansible's order, restricted by `limit` patterns when given.
    /// Names of the implicit localhost are returned even though it is not in ``hosts``.
    public func hosts(matching patterns: [String], limit: [String]? = nil, at location: SourceLocation? = nil) throws
        -> [String]
    {
        var result = try evaluate(patterns.flatMap(Self.splitPatterns), at: location)
        if let limit {
            let allowed = Set(try evaluate(limit, at: location))
            result = result.filter(allowed.contains)
        }
        return result
    }

    /// One pattern string (`web:&prod`, `a,b`).
    public func hosts(matching pattern: String, limit: [String]? = nil, at location: SourceLocation? = nil) throws
        -> [String]
    {
        try hosts(matching: [pattern], limit: limit, at: location)
    }

    /// Splits a pattern on ',' (or, without commas, on ':' outside brackets), trimming whitespace.
    public static func splitPatterns(_ pattern: String) -> [String] {
        if pattern.contains(",") {
            return pattern.split(separator: ",").map { $0.trimmingPythonWhitespace() }.filter { !$0.isEmpty }
        }
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in pattern {
            switch character {
            case "[": depth += 1
            case "]": depth -= 1
            case ":" where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts.map { $0.trimmingPythonWhitespace() }.filter { !$0.isEmpty }
    }

    /// `--limit` patterns; `@file` reads one pattern per line from the file.
    public static func limitPatterns(_ limit: String, workingDirectory: String) throws -> [String] {
        var result: [String] = []
        for pattern in splitPatterns(limit) {
            guard pattern.hasPrefix("@") else {
                result.append(pattern)
                continue
            }
            let file = String(pattern.dropFirst())
            let path = file.hasPrefix("/") ? file : workingDirectory + "/" + file
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw LoadError("unable to find limit file '\(file)'", at: nil)
            }
            result.append(contentsOf: text.split(separator: "\n").map { $0.trimmingPythonWhitespace() }.filter { !$0.isEmpty })
        }
        return result
    }

    private func evaluate(_ patterns: [String], at location: SourceLocation?) throws -> [String] {
        let regular = patterns.filter { !$0.hasPrefix("!") && !$0.hasPrefix("&") }
        let ordered = (regular.isEmpty ? ["all"] : regular) + patterns.filter { $0.hasPrefix("&") }
            + patterns.filter { $0.hasPrefix("!") }
        var result: [String] = []
        var present: Set<String> = []
        for pattern in ordered {
            if hosts[pattern] != nil {
                if present.insert(pattern).inserted { result.append(pattern) }
                continue
            }
            let matched = try matchOne(pattern, at: location)
            if pattern.hasPrefix("!") {
                let excluded = Set(matched)
                result.removeAll(where: excluded.contains)
                present.subtract(excluded)
            } else if pattern.hasPrefix("&") {
                let kept = Set(matched)
                result.removeAll { !kept.contains($0) }
                present = Set(result)
            } else {
                for host in matched where present.insert(host).inserted { result.append(host) }
            }
        }
        return result
    }

    private func matchOne(_ rawPattern: String, at location: SourceLocation?) throws -> [String] {
        var pattern = rawPattern
        if pattern.hasPrefix("!") || pattern.hasPrefix("&") { pattern.removeFirst() }
        let (expression, selection) = try splitSubscript(pattern, at: location)
        let matched = try enumerateMatches(expression, at: location)
        guard let selection, !matched.isEmpty else { return matched }
        let count = matched.count
        func index(_ value: Int) -> Int { value < 0 ? count + value : value }
        let start = index(selection.start)
        guard let end = selection.end else {
            guard (0..<count).contains(start) else {
                throw LoadError("no hosts matched the subscripted pattern '\(pattern)'", at: location)
            }
            return [matched[start]]
        }
        let last = end == -1 ? count - 1 : min(index(end), count - 1)
        guard start <= last, start < count else { return [] }
        return Array(matched[start...last])
    }

    /// `name[3]`, `name[1:4]`, `name[2:]`, `name[-1]` (not for `~regex` patterns).
    private func splitSubscript(_ pattern: String, at location: SourceLocation?) throws -> (String, (start: Int, end: Int?)?) {
        guard !pattern.hasPrefix("~"), pattern.hasSuffix("]"), let open = pattern.lastIndex(of: "["),
            open != pattern.startIndex
        else { return (pattern, nil) }
        let body = pattern[pattern.index(after: open)..<pattern.index(before: pattern.endIndex)]
        let base = String(pattern[..<open])
        if let index = Int(body) { return (base, (index, nil)) }
        let separator = body.firstIndex(of: ":") ?? body.firstIndex(of: "-")
        guard let separator else { return (pattern, nil) }
        let startText = body[..<separator]
        let endText = body[body.index(after: separator)...]
        guard startText.allSatisfy(\.isASCIIDigit), endText.allSatisfy(\.isASCIIDigit) else { return (pattern, nil) }
        let start = Int(startText) ?? 0
        let end = endText.isEmpty ? -1 : (Int(endText) ?? -1)
        return (base, (start, end))
    }

    private func enumerateMatches(_ pattern: String, at location: SourceLocation?) throws -> [String] {
        let matcher = try PatternMatcher(pattern, at: location)
        var results: [String] = []
        let matchingGroups = groupOrder.filter(matcher.matches)
        for group in matchingGroups {
            results.append(contentsOf: hostsInAnsibleOrder(of: group))
        }
        if matchingGroups.isEmpty || pattern.hasPrefix("~") || pattern.contains(where: { ".?*[".contains($0) }) {
            results.append(contentsOf: hostOrder.filter(matcher.matches))
        }
        if results.isEmpty && Inventory.localhostNames.contains(pattern) {
            results.append(pattern)
        }
        var seen: Set<String> = []
        return results.filter { seen.insert($0).inserted }
    }

    /// A group's hosts as ansible-core lists them: its own, then its children's, breadth first.
    func hostsInAnsibleOrder(of group: String) -> [String] {
        if group == "all" { return hostOrder }
        var ordered: [String] = []
        var seenGroups: Set<String> = [group]
        var level = [group]
        var groupsInOrder = [group]
        while !level.isEmpty {
            var next: [String] = []
            for name in level {
                for child in groups[name]?.children ?? [] where seenGroups.insert(child).inserted {
                    next.append(child)
                    groupsInOrder.append(child)
                }
            }
            level = next
        }
        var seenHosts: Set<String> = []
        for name in groupsInOrder {
            for host in groups[name]?.hosts ?? [] where seenHosts.insert(host).inserted {
                ordered.append(host)
            }
        }
        return ordered
    }
}

/// A glob (fnmatch) or `~regex` matcher, anchored at the start as Python's `re.match`.
struct PatternMatcher {
    private let regex: NSRegularExpression

    init(_ pattern: String, at location: SourceLocation?) throws {
        let source = pattern.hasPrefix("~") ? String(pattern.dropFirst()) : Self.translateGlob(pattern)
        do {
            regex = try NSRegularExpression(pattern: source, options: [.anchorsMatchLines])
        } catch {
            throw LoadError("invalid host list pattern: \(pattern)", at: location)
        }
    }

    func matches(_ name: String) -> Bool {
        let range = NSRange(name.startIndex..<name.endIndex, in: name)
        return regex.firstMatch(in: name, options: [.anchored], range: range) != nil
    }

    /// Python's `fnmatch.translate`: `*`, `?`, `[seq]`, `[!seq]`, anchored at both ends.
    static func translateGlob(_ glob: String) -> String {
        var out = ""
        let characters = Array(glob)
        var index = 0
        while index < characters.count {
            let c = characters[index]
            index += 1
            switch c {
            case "*": out += ".*"
            case "?": out += "."
            case "[":
                var end = index
                if end < characters.count, characters[end] == "!" { end += 1 }
                if end < characters.count, characters[end] == "]" { end += 1 }
                while end < characters.count, characters[end] != "]" { end += 1 }
                if end >= characters.count {
                    out += "\\["
                } else {
                    var body = String(characters[index..<end]).replacingAll("\\", with: "\\\\")
                    if body.hasPrefix("!") { body = "^" + body.dropFirst() }
                    out += "[" + body + "]"
                    index = end + 1
                }
            default:
                out += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        return "(?s:" + out + ")\\z"
    }
}
