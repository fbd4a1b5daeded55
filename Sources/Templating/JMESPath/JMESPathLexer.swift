extension JMESPath {
    /// One token of an expression.
    struct Token: Sendable {
        /// Token kinds, with the names Python's `jmespath` uses in its error messages.
        enum Kind: String, Sendable {
            case dot, star, rbracket, comma, colon, current, lparen, rparen, lbrace, rbrace, lbracket
            case flatten, filter, pipe, or, and, expref, not, eq, ne, lt, lte, gt, gte, number, literal, eof
            case unquotedIdentifier = "unquoted_identifier"
            case quotedIdentifier = "quoted_identifier"
        }

        var kind: Kind
        /// The token as written (for error messages).
        var text: String
        /// An identifier's name, a number, or a literal's value; `.none` for punctuation.
        var value: Value = .none
        /// Position of the token's first character, counted in Unicode scalars as Python counts
        /// string indices.
        var start: Int
    }

    /// Splits an expression into tokens, with the rules of Python's `jmespath.lexer`, including its
    /// leniency for literals that are not JSON (`` `foo` `` is the string "foo").
    struct Lexer {
        private let expression: String
        private let characters: [Unicode.Scalar]
        private var position = 0

        init(_ expression: String) {
            self.expression = expression
            self.characters = Array(expression.unicodeScalars)
        }

        static func tokenize(_ expression: String) throws(QueryError) -> [Token] {
            var lexer = Lexer(expression)
            return try lexer.tokens()
        }

        private static let simpleTokens: [Unicode.Scalar: Token.Kind] = [
            ".": .dot, "*": .star, "]": .rbracket, ",": .comma, ":": .colon, "@": .current,
            "(": .lparen, ")": .rparen, "{": .lbrace, "}": .rbrace,
        ]

        private var current: Unicode.Scalar? { position < characters.count ? characters[position] : nil }

        private static func startsIdentifier(_ character: Unicode.Scalar) -> Bool {
            character == "_" || ("a"..."z").contains(character) || ("A"..."Z").contains(character)
        }

        private static func continuesIdentifier(_ character: Unicode.Scalar) -> Bool {
            startsIdentifier(character) || isDigit(character)
        }

        private static func isDigit(_ character: Unicode.Scalar) -> Bool { ("0"..."9").contains(character) }

        private mutating func tokens() throws(QueryError) -> [Token] {
            guard !characters.isEmpty else {
                throw QueryError(kind: .syntax, message: "Invalid JMESPath expression: cannot be empty.")
            }
            var tokens: [Token] = []
            while let character = current {
                let start = position
                if let kind = Self.simpleTokens[character] {
                    position += 1
                    tokens.append(Token(kind: kind, text: String(character), start: start))
                } else if Self.startsIdentifier(character) {
                    while let next = current, Self.continuesIdentifier(next) { position += 1 }
                    let name = text(from: start)
                    tokens.append(Token(kind: .unquotedIdentifier, text: name, value: .string(name), start: start))
                } else if [" ", "\t", "\n", "\r"].contains(character) {
                    position += 1
                } else if character == "[" {
                    position += 1
                    switch current {
                    case "]": position += 1; tokens.append(Token(kind: .flatten, text: "[]", start: start))
                    case "?": position += 1; tokens.append(Token(kind: .filter, text: "[?", start: start))
                    default: tokens.append(Token(kind: .lbracket, text: "[", start: start))
                    }
                } else if character == "'" {
                    let raw = try delimited(by: "'").replacingOccurrences("\\'", "'")
                    tokens.append(Token(kind: .literal, text: text(from: start), value: .string(raw), start: start))
                } else if character == "`" {
                    tokens.append(try literal(from: start))
                } else if character == "\"" {
                    tokens.append(try quotedIdentifier(from: start))
                } else if Self.isDigit(character) || character == "-" {
                    position += 1
                    while let next = current, Self.isDigit(next) { position += 1 }
                    let digits = text(from: start)
                    guard digits != "-" else { throw lexerError("Unknown token '-'", at: start) }
                    // Python's integers are unbounded; an index past Int's range selects nothing either way.
                    let number = Int(digits) ?? (character == "-" ? Int.min : Int.max)
                    tokens.append(Token(kind: .number, text: digits, value: .int(number), start: start))
                } else if let (single, double) = Self.operatorPairs[character] {
                    position += 1
                    if current == "=" {
                        position += 1
                        tokens.append(Token(kind: double, text: text(from: start), start: start))
                    } else if let single {
                        tokens.append(Token(kind: single, text: String(character), start: start))
                    } else {
                        throw lexerError("Unknown token '='", at: start)
                    }
                } else if character == "|" || character == "&" {
                    position += 1
                    let doubled: Token.Kind = character == "|" ? .or : .and
                    if current == character {
                        position += 1
                        tokens.append(Token(kind: doubled, text: text(from: start), start: start))
                    } else {
                        tokens.append(Token(kind: character == "|" ? .pipe : .expref, text: String(character), start: start))
                    }
                } else {
                    throw lexerError("Unknown token \(character)", at: start)
                }
            }
            tokens.append(Token(kind: .eof, text: "", start: characters.count))
            return tokens
        }

        /// Characters that form a comparator alone or followed by `=` (`=` alone is no token).
        private static let operatorPairs: [Unicode.Scalar: (single: Token.Kind?, double: Token.Kind)] = [
            "<": (.lt, .lte), ">": (.gt, .gte), "!": (.not, .ne), "=": (nil, .eq),
        ]

        private func text(from start: Int) -> String {
            var result = ""
            result.unicodeScalars.append(contentsOf: characters[start..<position])
            return result
        }

        private func lexerError(_ reason: String, at position: Int) -> QueryError {
            let caret = String(repeating: " ", count: position) + "^"
            return QueryError(kind: .syntax, message: "Bad jmespath expression: \(reason):\n\(expression)\n\(caret)")
        }

        /// The text up to the closing `delimiter`, which a backslash escapes. Backslashes are kept,
        /// as Python's lexer keeps them: each kind of token decides what they mean.
        private mutating func delimited(by delimiter: Unicode.Scalar) throws(QueryError) -> String {
            let start = position
            position += 1
            var content = String.UnicodeScalarView()
            while current != delimiter {
                if current == "\\" {
                    content.append("\\")
                    position += 1
                }
                guard let character = current else {
                    throw lexerError("Unclosed \(delimiter) delimiter", at: start)
                }
                content.append(character)
                position += 1
            }
            position += 1
            return String(content)
        }

        /// `` `json` ``. Text that is not JSON is read as a string, the deprecated JEP-12 form that
        /// Python's `jmespath` still accepts (`` `foo` `` is "foo").
        private mutating func literal(from start: Int) throws(QueryError) -> Token {
            let lexeme = try delimited(by: "`").replacingOccurrences("\\`", "`")
            if let value = try? JSON.parse(lexeme.utf8) {
                return Token(kind: .literal, text: text(from: start), value: value, start: start)
            }
            let unquoted = String(lexeme.unicodeScalars.drop { [" ", "\t", "\n", "\r"].contains($0) })
            guard let value = try? JSON.parse("\"\(unquoted)\"".utf8) else {
                throw lexerError("Bad token \(lexeme)", at: start)
            }
            return Token(kind: .literal, text: text(from: start), value: value, start: start)
        }

        /// `"name"`: a JSON string, escapes and all.
        private mutating func quotedIdentifier(from start: Int) throws(QueryError) -> Token {
            let lexeme = "\"" + (try delimited(by: "\"")) + "\""
            do {
                let name = try JSON.parse(lexeme.utf8)
                return Token(kind: .quotedIdentifier, text: lexeme, value: name, start: start)
            } catch {
                throw lexerError(error.reason, at: start)
            }
        }
    }
}
