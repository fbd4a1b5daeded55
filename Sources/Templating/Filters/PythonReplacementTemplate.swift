import Foundation

/// Python's `match.expand(template)`: `\1`…`\99`, `\g<1>`, `\g<name>`, and the escapes `\n`, `\t`,
/// `\r`, `\\`. Public because the `regex_replace` filter and the file-editing modules (replace,
/// lineinfile backrefs) must expand replacements the same way.
public enum PythonReplacementTemplate {
    /// Expands `template` for one match of a regular expression over `text`.
    public static func expand(_ template: String, match: NSTextCheckingResult, in text: String)
        throws(InvalidGroupReference) -> String
    {
        var output = ""
        let characters = Array(template)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "\\", index + 1 < characters.count else {
                output.append(character)
                index += 1
                continue
            }
            let next = characters[index + 1]
            if next.isNumber {
                var digits = String(next)
                index += 2
                if index < characters.count, characters[index].isNumber { digits.append(characters[index]); index += 1 }
                guard let number = Int(digits), number < match.numberOfRanges else {
                    throw InvalidGroupReference(reference: digits)
                }
                output += match.text(ofGroup: number, in: text) ?? ""
            } else if next == "g", index + 2 < characters.count, characters[index + 2] == "<",
                let close = characters[(index + 3)...].firstIndex(of: ">")
            {
                let reference = String(characters[(index + 3)..<close])
                let value = Int(reference).map { match.text(ofGroup: $0, in: text) }
                    ?? match.text(ofGroup: reference, in: text)
                output += value ?? ""
                index = close + 1
            } else {
                switch next {
                case "n": output += "\n"
                case "t": output += "\t"
                case "r": output += "\r"
                case "\\": output += "\\"
                default: output += "\\" + String(next)
                }
                index += 2
            }
        }
        return output
    }
}

/// A numbered reference (`\5`) past the pattern's groups: Python's `re.error` "invalid group reference".
public struct InvalidGroupReference: Error, Sendable, CustomStringConvertible {
    public var reference: String
    public var description: String { "invalid group reference \(reference)" }
}
