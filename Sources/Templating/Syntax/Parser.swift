/// Recursive-descent parser from tokens to the template AST, following Jinja2's grammar and
/// operator precedence.
struct Parser {
    var tokens: [Token]
    var index = 0
    /// Names of the enclosing statements, for "unexpected end of template" messages.
    var openBlocks: [String] = []

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    static func parse(_ tokens: [Token]) throws(SyntaxError) -> [Node] {
        var parser = Parser(tokens: tokens)
        return try parser.parseTemplate()
    }

    var current: Token { tokens[index] }

    func peek(_ distance: Int = 1) -> Token {
        tokens[min(index + distance, tokens.count - 1)]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    mutating func skipSymbol(_ symbol: String) -> Bool {
        if current.isSymbol(symbol) {
            advance()
            return true
        }
        return false
    }

    mutating func skipName(_ name: String) -> Bool {
        if current.isName(name) {
            advance()
            return true
        }
        return false
    }

    mutating func expectSymbol(_ symbol: String) throws(SyntaxError) {
        guard skipSymbol(symbol) else { throw unexpected(expected: "'\(symbol)'") }
    }

    mutating func expectName() throws(SyntaxError) -> String {
        guard let name = current.name else { throw unexpected(expected: "name") }
        advance()
        return name
    }

    mutating func expectBlockEnd() throws(SyntaxError) {
        guard case .blockEnd = current.kind else { throw unexpected(expected: "'end of statement block'") }
        advance()
    }

    func unexpected(expected: String) -> SyntaxError {
        if case .endOfInput = current.kind {
            return SyntaxError("unexpected end of template, expected \(expected).", offset: current.offset)
        }
        return SyntaxError("expected token \(expected), got '\(current.jinjaDescription)'", offset: current.offset)
    }
}
