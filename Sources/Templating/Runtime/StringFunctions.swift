/// Python `str` algorithms that Swift's standard library spells differently.
enum StringFunctions {
    /// Python's `str.title()`: a cased character after an uncased one starts a word.
    static func title(_ string: String) -> String {
        var result = ""
        var previousCased = false
        for character in string {
            if character.isCased || character.isLetter {
                result += previousCased ? character.lowercased() : character.uppercased()
                previousCased = true
            } else {
                result.append(character)
                previousCased = false
            }
        }
        return result
    }

    /// Python's `str.capitalize()`: first character upper, the rest lower.
    static func capitalize(_ string: String) -> String {
        guard let first = string.first else { return string }
        return first.uppercased() + string.dropFirst().lowercased()
    }

    static func isPythonWhitespace(_ character: Character) -> Bool {
        character.isWhitespace
    }

    static func strip(_ string: String, characters: String?, leading: Bool, trailing: Bool) -> String {
        let shouldStrip: (Character) -> Bool
        if let characters {
            let set = Set(characters)
            shouldStrip = { set.contains($0) }
        } else {
            shouldStrip = isPythonWhitespace
        }
        var slice = Substring(string)
        if leading { slice = slice.drop(while: shouldStrip) }
        if trailing {
            while let last = slice.last, shouldStrip(last) { slice = slice.dropLast() }
        }
        return String(slice)
    }

    static func split(_ string: String, separator: String?, maxSplit: Int) -> [String] {
        guard let separator else {
            var parts: [String] = []
            var rest = Substring(string).drop(while: isPythonWhitespace)
            while !rest.isEmpty {
                if maxSplit >= 0 && parts.count == maxSplit {
                    parts.append(String(rest))
                    return parts
                }
                let word = rest.prefix(while: { !isPythonWhitespace($0) })
                parts.append(String(word))
                rest = rest[word.endIndex...].drop(while: isPythonWhitespace)
            }
            return parts
        }
        var parts: [String] = []
        var rest = Substring(string)
        while maxSplit < 0 || parts.count < maxSplit, let range = rest.range(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    static func rsplit(_ string: String, separator: String?, maxSplit: Int) -> [String] {
        if maxSplit < 0 { return split(string, separator: separator, maxSplit: -1) }
        let reversedSeparator = separator.map { String($0.reversed()) }
        return split(String(string.reversed()), separator: reversedSeparator, maxSplit: maxSplit)
            .map { String($0.reversed()) }.reversed()
    }

    static func splitLines(_ string: String, keepEnds: Bool) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in string {
            if character == "\n" || character == "\r\n" || character == "\r" || character == "\u{0B}" || character == "\u{0C}"
                || character == "\u{1C}" || character == "\u{1D}" || character == "\u{1E}" || character == "\u{85}"
                || character == "\u{2028}" || character == "\u{2029}"
            {
                if keepEnds { current.append(character) }
                lines.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func replace(_ string: String, _ old: String, _ new: String, count: Int) -> String {
        if old.isEmpty {
            // Python inserts `new` between every character (and at both ends).
            var result = new
            var inserted = 1
            for character in string {
                result.append(character)
                if count < 0 || inserted < count {
                    result += new
                    inserted += 1
                }
            }
            return result
        }
        var result = ""
        var rest = Substring(string)
        var replaced = 0
        while count < 0 || replaced < count, let range = rest.range(of: old) {
            result += rest[..<range.lowerBound]
            result += new
            rest = rest[range.upperBound...]
            replaced += 1
        }
        result += rest
        return result
    }

    static func pad(_ string: String, width: Int, fill: Character, mode: String) -> String {
        let missing = width - string.count
        guard missing > 0 else { return string }
        switch mode {
        case "ljust": return string + String(repeating: fill, count: missing)
        case "rjust": return String(repeating: fill, count: missing) + string
        default:
            // Python's center puts the odd extra character on the left when the width is odd.
            let left = missing / 2 + (missing & width & 1)
            return String(repeating: fill, count: left) + string + String(repeating: fill, count: missing - left)
        }
    }
}

extension Substring {
    func range(of needle: String) -> Range<Index>? {
        firstRange(of: needle)
    }
}
