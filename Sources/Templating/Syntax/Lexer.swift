/// Splits template source into tokens, the way Jinja2's lexer does: text, `{{ … }}`, `{% … %}`,
/// comments and raw blocks, with whitespace control (`-`/`+` markers, trim_blocks, lstrip_blocks).
///
/// Works on UTF-8 bytes: every delimiter and operator is ASCII, so no character decoding happens
/// outside string literals and text runs.
struct Lexer {
    private let source: [UInt8]
    private let options: TemplateOptions
    private var position = 0
    private(set) var tokens: [Token] = []

    init(source: [UInt8], options: TemplateOptions) {
        self.source = source
        self.options = options
    }

    static func tokenize(_ source: [UInt8], options: TemplateOptions) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(source: source, options: options)
        try lexer.run()
        return lexer.tokens
    }

    /// Tokens for a bare expression (`when:` conditions), framed as one `{{ … }}`.
    static func tokenizeExpression(_ source: [UInt8]) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(source: source, options: .jinjaDefaults)
        lexer.tokens.append(Token(kind: .variableBegin, offset: 0))
        _ = try lexer.lexExpression(until: .variable, end: source.count, toEndOfInput: true)
        if lexer.position < source.count {
            throw SyntaxError("unexpected '}'", offset: lexer.position)
        }
        lexer.tokens.append(Token(kind: .endOfInput, offset: source.count))
        return lexer.tokens
    }

    private enum TagKind { case variable, block, comment }

    private mutating func run() throws(SyntaxError) {
        var end = source.count
        // Jinja2 drops one trailing newline unless keep_trailing_newline is set.
        if !options.keepTrailingNewline, end > 0, source[end - 1] == UInt8(ascii: "\n") {
            end -= 1
            if end > 0, source[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        }
        var stripNextLeadingWhitespace = false
        var trimNextNewline = false
        while position < end {
            // Find the next tag start.
            var scan = position
            var tagStart = -1
            var kind = TagKind.variable
            while scan + 1 < end {
                if source[scan] == UInt8(ascii: "{") {
                    let next = source[scan + 1]
                    if next == UInt8(ascii: "{") { tagStart = scan; kind = .variable; break }
                    if next == UInt8(ascii: "%") { tagStart = scan; kind = .block; break }
                    if next == UInt8(ascii: "#") { tagStart = scan; kind = .comment; break }
                }
                scan += 1
            }
            let textEnd = tagStart < 0 ? end : tagStart
            var textStart = position
            if trimNextNewline, textStart < textEnd {
                if source[textStart] == UInt8(ascii: "\n") {
                    textStart += 1
                } else if source[textStart] == UInt8(ascii: "\r") {
                    textStart += 1
                    if textStart < textEnd, source[textStart] == UInt8(ascii: "\n") { textStart += 1 }
                }
            }
            if stripNextLeadingWhitespace {
                while textStart < textEnd, Self.isWhitespace(source[textStart]) { textStart += 1 }
            }
            trimNextNewline = false
            stripNextLeadingWhitespace = false
            var trimmedEnd = textEnd
            if tagStart >= 0 {
                let marker = tagStart + 2 < end ? source[tagStart + 2] : 0
                if marker == UInt8(ascii: "-") {
                    while trimmedEnd > textStart, Self.isWhitespace(source[trimmedEnd - 1]) { trimmedEnd -= 1 }
                } else if options.lstripBlocks, kind != .variable, marker != UInt8(ascii: "+") {
                    // Only when the tag is preceded on its line by nothing but spaces and tabs.
                    var lineStart = trimmedEnd
                    while lineStart > textStart, source[lineStart - 1] == UInt8(ascii: " ")
                        || source[lineStart - 1] == UInt8(ascii: "\t")
                    {
                        lineStart -= 1
                    }
                    if lineStart == 0 || source[lineStart - 1] == UInt8(ascii: "\n") {
                        trimmedEnd = lineStart
                    }
                }
            }
            if textStart < trimmedEnd {
                tokens.append(Token(kind: .text(String(decoding: source[textStart..<trimmedEnd], as: UTF8.self)), offset: textStart))
            }
            guard tagStart >= 0 else { position = end; break }
            var cursor = tagStart + 2
            if cursor < end, source[cursor] == UInt8(ascii: "-") || source[cursor] == UInt8(ascii: "+") { cursor += 1 }
            switch kind {
            case .comment:
                let (after, stripAfter, trim) = try skipComment(from: cursor, tagStart: tagStart, end: end)
                position = after
                stripNextLeadingWhitespace = stripAfter
                trimNextNewline = trim
            case .variable:
                tokens.append(Token(kind: .variableBegin, offset: tagStart))
                position = cursor
                stripNextLeadingWhitespace = try lexExpression(until: .variable, end: end)
            case .block:
                if let rawEnd = try lexRawBlock(tagStart: tagStart, from: cursor, end: end) {
                    position = rawEnd.position
                    stripNextLeadingWhitespace = rawEnd.strip
                    trimNextNewline = rawEnd.trim
                    continue
                }
                tokens.append(Token(kind: .blockBegin, offset: tagStart))
                position = cursor
                stripNextLeadingWhitespace = try lexExpression(until: .block, end: end)
                if !stripNextLeadingWhitespace, options.trimBlocks, source[position - 3] != UInt8(ascii: "+") {
                    trimNextNewline = true
                }
            }
        }
        tokens.append(Token(kind: .endOfInput, offset: end))
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 11 || byte == 12
    }

    private func skipComment(from start: Int, tagStart: Int, end: Int) throws(SyntaxError) -> (Int, Bool, Bool) {
        var index = start
        while index + 1 < end {
            if source[index] == UInt8(ascii: "#"), source[index + 1] == UInt8(ascii: "}") {
                let strip = index > start && source[index - 1] == UInt8(ascii: "-")
                let keep = index > start && source[index - 1] == UInt8(ascii: "+")
                return (index + 2, strip, !strip && !keep && options.trimBlocks)
            }
            index += 1
        }
        throw SyntaxError("missing end of comment tag", offset: tagStart)
    }

    /// Handles `{% raw %}…{% endraw %}`; returns nil when the block tag is not `raw`.
    private mutating func lexRawBlock(tagStart: Int, from start: Int, end: Int) throws(SyntaxError)
        -> (position: Int, strip: Bool, trim: Bool)?
    {
        var index = start
        while index < end, Self.isWhitespace(source[index]) { index += 1 }
        guard matches("raw", at: index) else { return nil }
        var after = index + 3
        if after < end, Self.isIdentifierByte(source[after]) { return nil }
        while after < end, Self.isWhitespace(source[after]) { after += 1 }
        var stripInside = false
        if after < end, source[after] == UInt8(ascii: "-") { stripInside = true; after += 1 }
        else if after < end, source[after] == UInt8(ascii: "+") { after += 1 }
        guard after + 1 < end, source[after] == UInt8(ascii: "%"), source[after + 1] == UInt8(ascii: "}") else {
            return nil
        }
        var bodyStart = after + 2
        if stripInside {
            while bodyStart < end, Self.isWhitespace(source[bodyStart]) { bodyStart += 1 }
        } else if options.trimBlocks, bodyStart < end, source[bodyStart] == UInt8(ascii: "\n") {
            bodyStart += 1
        }
        // Find `{%[-+]? endraw [-+]?%}`.
        var search = bodyStart
        while search + 1 < end {
            if source[search] == UInt8(ascii: "{"), source[search + 1] == UInt8(ascii: "%") {
                var cursor = search + 2
                let stripBefore = cursor < end && source[cursor] == UInt8(ascii: "-")
                if cursor < end, source[cursor] == UInt8(ascii: "-") || source[cursor] == UInt8(ascii: "+") { cursor += 1 }
                while cursor < end, Self.isWhitespace(source[cursor]) { cursor += 1 }
                if matches("endraw", at: cursor) {
                    cursor += 6
                    while cursor < end, Self.isWhitespace(source[cursor]) { cursor += 1 }
                    var stripAfter = false
                    var keep = false
                    if cursor < end, source[cursor] == UInt8(ascii: "-") { stripAfter = true; cursor += 1 }
                    else if cursor < end, source[cursor] == UInt8(ascii: "+") { keep = true; cursor += 1 }
                    if cursor + 1 < end, source[cursor] == UInt8(ascii: "%"), source[cursor + 1] == UInt8(ascii: "}")
                    {
                        var bodyEnd = search
                        if stripBefore {
                            while bodyEnd > bodyStart, Self.isWhitespace(source[bodyEnd - 1]) { bodyEnd -= 1 }
                        } else if options.lstripBlocks {
                            var lineStart = bodyEnd
                            while lineStart > bodyStart, source[lineStart - 1] == 32 || source[lineStart - 1] == 9 { lineStart -= 1 }
                            if lineStart == 0 || source[lineStart - 1] == 10 { bodyEnd = lineStart }
                        }
                        if bodyStart < bodyEnd {
                            tokens.append(Token(kind: .text(String(decoding: source[bodyStart..<bodyEnd], as: UTF8.self)), offset: bodyStart))
                        }
                        return (min(cursor + 2, end), stripAfter, !stripAfter && !keep && options.trimBlocks)
                    }
                }
            }
            search += 1
        }
        throw SyntaxError("Missing end of raw directive", offset: tagStart)
    }

    private func matches(_ word: StaticString, at index: Int) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= source.count else { return false }
        return word.withUTF8Buffer { buffer in
            for offset in 0..<count where source[index + offset] != buffer[offset] { return false }
            return true
        }
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 95 || byte >= 0x80
    }

    /// Lexes an expression up to its closing delimiter; returns whether the closing delimiter had `-`.
    private mutating func lexExpression(until tag: TagKind, end: Int, toEndOfInput: Bool = false) throws(SyntaxError) -> Bool {
        let closer = tag == .variable ? UInt8(ascii: "}") : UInt8(ascii: "%")
        var balance: [UInt8] = []
        let tagOffset = tokens.last?.offset ?? position
        while true {
            while position < end, Self.isWhitespace(source[position]) { position += 1 }
            guard position < end else {
                if toEndOfInput {
                    tokens.append(Token(kind: .variableEnd, offset: end))
                    return false
                }
                throw SyntaxError(
                    tag == .variable ? "unexpected end of template, expected 'end of print statement'."
                        : "unexpected end of template, expected 'end of statement block'.", offset: tagOffset)
            }
            let byte = source[position]
            if balance.isEmpty {
                // Closing delimiter, optionally preceded by `-` or `+`.
                var probe = position
                var strip = false
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                    strip = byte == UInt8(ascii: "-")
                    probe += 1
                }
                if probe + 1 < end, source[probe] == closer,
                    source[probe + 1] == UInt8(ascii: "}")
                {
                    tokens.append(Token(kind: tag == .variable ? .variableEnd : .blockEnd, offset: position))
                    position = probe + 2
                    return strip
                }
            }
            if Self.isIdentifierByte(byte), !(byte >= 48 && byte <= 57) {
                let start = position
                while position < end, Self.isIdentifierByte(source[position]) { position += 1 }
                tokens.append(Token(kind: .name(String(decoding: source[start..<position], as: UTF8.self)), offset: start))
            } else if byte >= 48 && byte <= 57 {
                try lexNumber(end: end)
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                try lexString(quote: byte, end: end, raw: tag == .variable && options.keepsBackslashesInExpressionStrings)
            } else {
                let start = position
                let symbol = lexSymbol(end: end)
                guard let symbol else {
                    throw SyntaxError("unexpected char \(Self.pythonCharRepr(source, at: start)) at \(start)", offset: start)
                }
                switch symbol {
                case "(", "[", "{": balance.append(source[start])
                case ")", "]", "}":
                    let expected: UInt8 = symbol == ")" ? UInt8(ascii: "(") : symbol == "]" ? UInt8(ascii: "[") : UInt8(ascii: "{")
                    guard let open = balance.popLast() else {
                        throw SyntaxError("unexpected '\(symbol)'", offset: start)
                    }
                    if open != expected {
                        let wanted = open == UInt8(ascii: "(") ? ")" : open == UInt8(ascii: "[") ? "]" : "}"
                        throw SyntaxError("unexpected '\(symbol)', expected '\(wanted)'", offset: start)
                    }
                default: break
                }
                tokens.append(Token(kind: .symbol(symbol), offset: start))
            }
        }
    }

    private static let twoCharSymbols: Set<String> = ["**", "//", "==", "!=", ">=", "<="]
    private static let oneCharSymbols: Set<UInt8> = Set("+-*/%~<>=.:|,()[]{}".utf8)

    private mutating func lexSymbol(end: Int) -> String? {
        if position + 1 < end {
            let pair = String(decoding: source[position..<position + 2], as: UTF8.self)
            if Self.twoCharSymbols.contains(pair) {
                position += 2
                return pair
            }
        }
        let byte = source[position]
        guard Self.oneCharSymbols.contains(byte) else { return nil }
        position += 1
        return String(UnicodeScalar(byte))
    }

    private static func pythonCharRepr(_ source: [UInt8], at index: Int) -> String {
        let character = String(decoding: source[index..<min(source.count, index + 1)], as: UTF8.self)
        return "'\(character)'"
    }

    private mutating func lexNumber(end: Int) throws(SyntaxError) {
        let start = position
        var isFloat = false
        if source[position] == UInt8(ascii: "0"), position + 1 < end {
            let radixByte = source[position + 1] | 0x20
            let radix = radixByte == UInt8(ascii: "x") ? 16 : radixByte == UInt8(ascii: "o") ? 8 : radixByte == UInt8(ascii: "b") ? 2 : 0
            if radix != 0 {
                position += 2
                let digitsStart = position
                while position < end, Self.isIdentifierByte(source[position]) { position += 1 }
                let digits = String(decoding: source[digitsStart..<position], as: UTF8.self).replacingOccurrences("_", "")
                guard let value = Int(digits, radix: radix) else {
                    throw SyntaxError("invalid integer literal", offset: start)
                }
                tokens.append(Token(kind: .integer(value), offset: start))
                return
            }
        }
        func digits() {
            while position < end, (source[position] >= 48 && source[position] <= 57) || source[position] == 95 { position += 1 }
        }
        digits()
        if position + 1 < end, source[position] == UInt8(ascii: "."), source[position + 1] >= 48, source[position + 1] <= 57 {
            isFloat = true
            position += 1
            digits()
        }
        if position < end, source[position] | 0x20 == UInt8(ascii: "e") {
            var probe = position + 1
            if probe < end, source[probe] == UInt8(ascii: "+") || source[probe] == UInt8(ascii: "-") { probe += 1 }
            if probe < end, source[probe] >= 48, source[probe] <= 57 {
                isFloat = true
                position = probe
                digits()
            }
        }
        let text = String(decoding: source[start..<position], as: UTF8.self).replacingOccurrences("_", "")
        if isFloat {
            tokens.append(Token(kind: .float(Double(text) ?? .nan), offset: start))
        } else if let value = Int(text) {
            tokens.append(Token(kind: .integer(value), offset: start))
        } else {
            throw SyntaxError("integer literal '\(text)' does not fit in 64 bits", offset: start)
        }
    }

    private mutating func lexString(quote: UInt8, end: Int, raw: Bool) throws(SyntaxError) {
        let start = position
        position += 1
        var bytes: [UInt8] = []
        while position < end {
            let byte = source[position]
            if raw {
                // Ansible doubles backslashes before Jinja2 unescapes: the literal keeps them verbatim.
                if byte == quote {
                    position += 1
                    tokens.append(Token(kind: .string(String(decoding: bytes, as: UTF8.self)), offset: start))
                    return
                }
                bytes.append(byte)
                position += 1
                if byte == UInt8(ascii: "\\"), position < end {
                    bytes.append(source[position])
                    position += 1
                }
                continue
            }
            if byte == quote {
                position += 1
                tokens.append(Token(kind: .string(String(decoding: bytes, as: UTF8.self)), offset: start))
                return
            }
            if byte == UInt8(ascii: "\\"), position + 1 < end {
                position += 1
                let escaped = source[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): bytes.append(10)
                case UInt8(ascii: "t"): bytes.append(9)
                case UInt8(ascii: "r"): bytes.append(13)
                case UInt8(ascii: "0"): bytes.append(0)
                case UInt8(ascii: "a"): bytes.append(7)
                case UInt8(ascii: "b"): bytes.append(8)
                case UInt8(ascii: "f"): bytes.append(12)
                case UInt8(ascii: "v"): bytes.append(11)
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): bytes.append(escaped)
                case UInt8(ascii: "\n"): break
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let length = escaped == UInt8(ascii: "x") ? 2 : escaped == UInt8(ascii: "u") ? 4 : 8
                    guard position + length <= end,
                        let code = UInt32(String(decoding: source[position..<position + length], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else {
                        throw SyntaxError("truncated \\\(Character(UnicodeScalar(escaped))) escape in string literal", offset: start)
                    }
                    bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
                    position += length
                default:
                    // Python keeps unknown escapes verbatim.
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(escaped)
                }
                continue
            }
            bytes.append(byte)
            position += 1
        }
        throw SyntaxError("unexpected char \(quote == 39 ? "\"'\"" : "'\"'") at \(start)", offset: start)
    }
}

extension String {
    /// Replaces every occurrence of `target` (Foundation-free).
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[rest.startIndex..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
