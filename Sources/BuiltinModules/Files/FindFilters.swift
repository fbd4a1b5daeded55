import Foundation
import ModuleAPI

/// The find module's filters, as ansible-core's `find` applies them to each entry's name and `lstat`.
enum FindFilters {
    /// `age: 2d` → seconds (negative means "younger than"); nil when the text is not `^-?\d+[smhdw]?$`.
    static func seconds(_ text: String) -> Int? {
        scaled(text.lowercased(), units: ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800])
    }

    /// `size: 10k` → bytes (negative means "at most"); nil when the text is not `^-?\d+[bkmgt]?$`.
    static func bytes(_ text: String) -> Int? {
        scaled(text.lowercased(), units: ["b": 1, "k": 1024, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40])
    }

    private static func scaled(_ text: String, units: [Character: Int]) -> Int? {
        var digits = Substring(text)
        var factor = 1
        if let last = digits.last, let unit = units[last] {
            factor = unit
            digits = digits.dropLast()
        }
        let magnitude = digits.hasPrefix("-") ? digits.dropFirst() : digits
        guard !magnitude.isEmpty, magnitude.allSatisfy(\.isASCII), magnitude.allSatisfy(\.isNumber),
            let number = Int(digits)
        else { return nil }
        return number * factor
    }

    /// Files at least `age` seconds old by `stamp`, or — for a negative age — at most that old.
    static func age(_ age: Int?, stamp: Double, now: Double) -> Bool {
        guard let age else { return true }
        return age >= 0 ? now - stamp >= Double(age) : now - stamp <= Double(-age)
    }

    /// Files of at least `size` bytes, or — for a negative size — at most that many.
    static func size(_ size: Int?, actual: Int) -> Bool {
        guard let size else { return true }
        return size >= 0 ? actual >= size : actual <= -size
    }

    /// `mode` as permission bits; symbolic modes apply to 0000, as ansible-core resolves them for find.
    static func modeBits(_ text: String) throws(ModuleFailure) -> UInt16 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy({ ("0"..."7").contains($0) }), let octal = UInt16(trimmed, radix: 8) {
            return octal & 0o7777
        }
        return try FileMode.parse(.string(trimmed)).resolve(current: 0, isDirectory: false) & 0o7777
    }

    static func mode(_ wanted: UInt16?, exact: Bool, actual: UInt16) -> Bool {
        guard let wanted, wanted != 0 else { return true }
        return exact ? actual & 0o7777 == wanted : actual & wanted != 0
    }
}

/// Name patterns: shell globs as Python's `fnmatch`, or regular expressions matched at the start of
/// the name as `re.match` does (`use_regex`).
struct FindPatterns: Sendable {
    private enum Matcher: Sendable {
        case glob([Character])
        case regex(PythonRegex)

        func matches(_ name: String) -> Bool {
            switch self {
            case .glob(let pattern): return NameGlob.matches(Array(name), pattern)
            case .regex(let regex):
                return regex.expression.firstMatch(
                    in: name, options: [.anchored], range: NSRange(name.startIndex..., in: name)) != nil
            }
        }
    }

    private let patterns: [Matcher]
    private let excludes: [Matcher]

    init(patterns: [String], excludes: [String], useRegex: Bool) throws(ModuleFailure) {
        func compile(_ texts: [String]) throws(ModuleFailure) -> [Matcher] {
            var matchers: [Matcher] = []
            for text in texts { matchers.append(useRegex ? .regex(try PythonRegex(text)) : .glob(Array(text))) }
            return matchers
        }
        self.patterns = try compile(patterns)
        self.excludes = try compile(excludes)
    }

    /// A name is selected when a pattern matches it and no exclude does.
    func selects(_ name: String) -> Bool {
        guard patterns.contains(where: { $0.matches(name) }) else { return false }
        return !excludes.contains { $0.matches(name) }
    }
}

/// `fnmatch` globs: `*`, `?`, `[seq]`, `[!seq]`; a `[` without its `]` is literal.
enum NameGlob {
    static func matches(_ name: [Character], _ pattern: [Character]) -> Bool {
        var nameIndex = 0
        var patternIndex = 0
        // The last `*` seen and the name position it currently absorbs up to, for backtracking.
        var star: (pattern: Int, name: Int)?
        while nameIndex < name.count {
            if patternIndex < pattern.count {
                switch pattern[patternIndex] {
                case "*":
                    star = (patternIndex, nameIndex)
                    patternIndex += 1
                    continue
                case "?":
                    patternIndex += 1
                    nameIndex += 1
                    continue
                case "[":
                    if let (matched, next) = matchClass(pattern, from: patternIndex, character: name[nameIndex]) {
                        if matched {
                            patternIndex = next
                            nameIndex += 1
                            continue
                        }
                    } else if name[nameIndex] == "[" {
                        patternIndex += 1
                        nameIndex += 1
                        continue
                    }
                case let literal where literal == name[nameIndex]:
                    patternIndex += 1
                    nameIndex += 1
                    continue
                default: break
                }
            }
            guard let last = star else { return false }
            star = (last.pattern, last.name + 1)
            patternIndex = last.pattern + 1
            nameIndex = last.name + 1
        }
        while patternIndex < pattern.count, pattern[patternIndex] == "*" { patternIndex += 1 }
        return patternIndex == pattern.count
    }

    /// Matches `character` against the class starting at `start` (`[`); nil when the class is unterminated.
    private static func matchClass(_ pattern: [Character], from start: Int, character: Character) -> (Bool, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.count, pattern[index] == "!" {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.count {
            let current = pattern[index]
            if current == "]" && !first { return (matched != negated, index + 1) }
            first = false
            if index + 2 < pattern.count, pattern[index + 1] == "-", pattern[index + 2] != "]" {
                if current <= character && character <= pattern[index + 2] { matched = true }
                index += 3
            } else {
                if current == character { matched = true }
                index += 1
            }
        }
        return nil
    }
}
