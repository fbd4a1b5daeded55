/// Python's `shlex.split(line, comments=True)` (POSIX mode), which Ansible's INI inventory uses
/// to split host lines: single quotes are literal, double quotes allow `\"` and `\\`, a backslash
/// outside quotes escapes the next character, and `#` outside quotes starts a comment.
enum ShellWords {
    enum SplitError: Error, Equatable {
        case noClosingQuotation
        case noEscapedCharacter

        var message: String {
            switch self {
            case .noClosingQuotation: return "No closing quotation"
            case .noEscapedCharacter: return "No escaped character"
            }
        }
    }

    static func split(_ line: String) throws(SplitError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var characters = line.makeIterator()
        while let c = characters.next() {
            if let open = quote {
                if c == open {
                    quote = nil
                } else if open == "\"" && c == "\\" {
                    guard let next = characters.next() else { throw .noClosingQuotation }
                    if next != "\"" && next != "\\" { word.append("\\") }
                    word.append(next)
                } else {
                    word.append(c)
                }
                continue
            }
            switch c {
            case " ", "\t", "\n", "\r":
                if inWord {
                    words.append(word)
                    word = ""
                    inWord = false
                }
            case "#":
                if inWord { words.append(word) }
                return words
            case "'", "\"":
                quote = c
                inWord = true
            case "\\":
                guard let next = characters.next() else { throw .noEscapedCharacter }
                word.append(next)
                inWord = true
            default:
                word.append(c)
                inWord = true
            }
        }
        if quote != nil { throw .noClosingQuotation }
        if inWord { words.append(word) }
        return words
    }
}
