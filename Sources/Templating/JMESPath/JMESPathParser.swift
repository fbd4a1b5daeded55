extension JMESPath {
    /// A top-down operator precedence (Pratt) parser with the binding powers of Python's
    /// `jmespath.parser`, so that projections, pipes and comparisons group exactly as there.
    struct Parser {
        private let expression: String
        private let tokens: [Token]
        private var index = 0
        /// How many expressions are being parsed inside one another.
        private var nesting = 0
        /// Python gives up with a RecursionError on absurdly nested expressions; the limit keeps
        /// such input from overflowing the stack here (parsing and evaluation both recurse).
        private static let maximumNesting = 256

        static func parse(_ expression: String) throws(QueryError) -> Node {
            var parser = Parser(expression: expression, tokens: try Lexer.tokenize(expression))
            let node = try parser.expression(bindingPower: 0)
            guard parser.current.kind == .eof else {
                throw parser.error("Unexpected token: \(parser.current.text)", at: parser.current)
            }
            return node
        }

        private init(expression: String, tokens: [Token]) {
            self.expression = expression
            self.tokens = tokens
        }

        /// How strongly each token binds to the expression on its left. Tokens below
        /// `projectionStop` end a projection's right-hand side.
        private static func bindingPower(_ kind: Token.Kind) -> Int {
            switch kind {
            case .pipe: 1
            case .or: 2
            case .and: 3
            case .eq, .ne, .lt, .lte, .gt, .gte: 5
            case .flatten: 9
            case .star: 20
            case .filter: 21
            case .dot: 40
            case .not: 45
            case .lbrace: 50
            case .lbracket: 55
            case .lparen: 60
            default: 0
            }
        }

        private static let projectionStop = 10

        private var current: Token { tokens[index] }

        private func lookahead(_ distance: Int) -> Token.Kind {
            tokens[min(index + distance, tokens.count - 1)].kind
        }

        private mutating func advance() { index += 1 }

        private mutating func expression(bindingPower: Int) throws(QueryError) -> Node {
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= Self.maximumNesting else { throw error("expression nested too deeply", at: current) }
            let token = current
            advance()
            var left = try prefix(token)
            while bindingPower < Self.bindingPower(current.kind) {
                let token = current
                advance()
                left = try infix(token, left: left)
            }
            return left
        }

        // MARK: Prefix positions ("nud")

        private mutating func prefix(_ token: Token) throws(QueryError) -> Node {
            switch token.kind {
            case .literal: return .literal(token.value)
            case .unquotedIdentifier: return .field(token.value.string ?? "")
            case .quotedIdentifier:
                if current.kind == .lparen {
                    throw error("Quoted identifier not allowed for function names.", at: current)
                }
                return .field(token.value.string ?? "")
            case .star:
                let each = current.kind == .rbracket ? Node.identity : try projectionRightSide(Self.bindingPower(.star))
                return .valueProjection(base: .identity, each: each)
            case .filter: return try filter(left: .identity)
            case .lbrace: return try multiSelectHash()
            case .lparen:
                let inner = try expression(bindingPower: 0)
                try match(.rparen)
                return inner
            case .flatten:
                return .projection(base: .flatten(.identity), each: try projectionRightSide(Self.bindingPower(.flatten)))
            case .not: return .not(try expression(bindingPower: Self.bindingPower(.not)))
            case .lbracket:
                if current.kind == .number || current.kind == .colon {
                    return try projectingSlice(left: .identity, right: try indexOrSlice())
                }
                if current.kind == .star && lookahead(1) == .rbracket {
                    advance()
                    advance()
                    return .projection(base: .identity, each: try projectionRightSide(Self.bindingPower(.star)))
                }
                return try multiSelectList()
            case .current: return .current
            case .expref: return .expressionReference(try expression(bindingPower: Self.bindingPower(.expref)))
            case .eof: throw incomplete()
            default: throw error("invalid token", at: token)
            }
        }

        // MARK: Infix positions ("led")

        private mutating func infix(_ token: Token, left: Node) throws(QueryError) -> Node {
            switch token.kind {
            case .dot:
                if current.kind == .star {
                    advance()
                    return .valueProjection(base: left, each: try projectionRightSide(Self.bindingPower(.dot)))
                }
                let right = try dotRightSide(Self.bindingPower(.dot))
                if case .subexpression(let children) = left { return .subexpression(children + [right]) }
                return .subexpression([left, right])
            case .pipe: return .pipe(left, try expression(bindingPower: Self.bindingPower(.pipe)))
            case .or: return .or(left, try expression(bindingPower: Self.bindingPower(.or)))
            case .and: return .and(left, try expression(bindingPower: Self.bindingPower(.and)))
            case .lparen: return try functionCall(callee: left, parenthesis: token)
            case .filter: return try filter(left: left)
            case .eq, .ne, .lt, .lte, .gt, .gte:
                let comparator = Comparator(rawValue: token.text) ?? .equal
                return .comparison(comparator, left, try expression(bindingPower: Self.bindingPower(token.kind)))
            case .flatten:
                return .projection(base: .flatten(left), each: try projectionRightSide(Self.bindingPower(.flatten)))
            case .lbracket:
                if current.kind == .number || current.kind == .colon {
                    let right = try indexOrSlice()
                    if case .indexExpression(let children) = left { return .indexExpression(children + [right]) }
                    return try projectingSlice(left: left, right: right)
                }
                try match(.star)
                try match(.rbracket)
                return .projection(base: left, each: try projectionRightSide(Self.bindingPower(.star)))
            default:
                throw error("invalid token", at: token)
            }
        }

        /// `[n]` or `[start:stop:step]`, after the `[`.
        private mutating func indexOrSlice() throws(QueryError) -> Node {
            guard current.kind == .colon || lookahead(1) == .colon else {
                let number = current.value.integerValue ?? 0
                advance()
                try match(.rbracket)
                return .index(number)
            }
            var parts: [Int?] = [nil, nil, nil]
            var part = 0
            while current.kind != .rbracket && part < 3 {
                switch current.kind {
                case .colon:
                    part += 1
                    if part == 3 { throw error("syntax error", at: current) }
                    advance()
                case .number:
                    parts[part] = current.value.integerValue
                    advance()
                default:
                    throw error("syntax error", at: current)
                }
            }
            try match(.rbracket)
            return .slice(start: parts[0], stop: parts[1], step: parts[2])
        }

        /// A slice projects what follows it (`a[1:].b`); a plain index does not.
        private mutating func projectingSlice(left: Node, right: Node) throws(QueryError) -> Node {
            let indexed = Node.indexExpression([left, right])
            guard case .slice = right else { return indexed }
            return .projection(base: indexed, each: try projectionRightSide(Self.bindingPower(.star)))
        }

        private mutating func filter(left: Node) throws(QueryError) -> Node {
            let condition = try expression(bindingPower: 0)
            try match(.rbracket)
            let each = current.kind == .flatten ? Node.identity : try projectionRightSide(Self.bindingPower(.filter))
            return .filterProjection(base: left, each: each, condition: condition)
        }

        private mutating func functionCall(callee: Node, parenthesis: Token) throws(QueryError) -> Node {
            guard case .field(let name) = callee else {
                let nameToken = tokens[max(index - 2, 0)]
                throw error("Invalid function name '\(nameToken.text)'", at: nameToken)
            }
            let nameStart = tokens[max(index - 2, 0)].start
            var arguments: [Node] = []
            // Python's parser takes arguments until `)`, commas being optional between them.
            while current.kind != .rparen {
                let argument = try expression(bindingPower: 0)
                if current.kind == .comma { try match(.comma) }
                arguments.append(argument)
            }
            try match(.rparen)
            return .function(name: name, arguments: arguments, offset: nameStart)
        }

        private mutating func multiSelectList() throws(QueryError) -> Node {
            var elements: [Node] = []
            while true {
                elements.append(try expression(bindingPower: 0))
                if current.kind == .rbracket { break }
                try match(.comma)
            }
            try match(.rbracket)
            return .multiSelectList(elements)
        }

        private mutating func multiSelectHash() throws(QueryError) -> Node {
            var entries: [KeyedNode] = []
            while true {
                let keyToken = current
                guard keyToken.kind == .quotedIdentifier || keyToken.kind == .unquotedIdentifier else {
                    throw unexpected(keyToken, expected: "['quoted_identifier', 'unquoted_identifier']")
                }
                advance()
                try match(.colon)
                entries.append(KeyedNode(key: keyToken.value.string ?? "", value: try expression(bindingPower: 0)))
                if current.kind == .comma {
                    try match(.comma)
                } else if current.kind == .rbrace {
                    try match(.rbrace)
                    break
                }
            }
            return .multiSelectHash(entries)
        }

        /// What a projection applies to each element: nothing more (identity) when the next
        /// token ends the projection, else the chain of `[…]`, `[?…]` or `.name` that follows.
        private mutating func projectionRightSide(_ bindingPower: Int) throws(QueryError) -> Node {
            if Self.bindingPower(current.kind) < Self.projectionStop { return .identity }
            switch current.kind {
            case .lbracket, .filter: return try expression(bindingPower: bindingPower)
            case .dot:
                try match(.dot)
                return try dotRightSide(bindingPower)
            default: throw error("syntax error", at: current)
            }
        }

        /// After a `.`: an identifier, `*`, a multi-select list or hash, or a function call.
        private mutating func dotRightSide(_ bindingPower: Int) throws(QueryError) -> Node {
            switch current.kind {
            case .quotedIdentifier, .unquotedIdentifier, .star:
                return try expression(bindingPower: bindingPower)
            case .lbracket:
                try match(.lbracket)
                return try multiSelectList()
            case .lbrace:
                try match(.lbrace)
                return try multiSelectHash()
            default:
                throw error(
                    "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: \(current.kind.rawValue)",
                    at: current)
            }
        }

        private mutating func match(_ kind: Token.Kind) throws(QueryError) {
            guard current.kind == kind else { throw unexpected(current, expected: kind.rawValue) }
            advance()
        }

        private func unexpected(_ token: Token, expected: String) -> QueryError {
            if token.kind == .eof { return incomplete() }
            return error("Expecting: \(expected), got: \(token.kind.rawValue)", at: token)
        }

        private func incomplete() -> QueryError {
            let caret = String(repeating: " ", count: expression.unicodeScalars.count + 1) + "^"
            return QueryError(
                kind: .syntax, message: "Invalid jmespath expression: Incomplete expression:\n\"\(expression)\"\n\(caret)")
        }

        private func error(_ reason: String, at token: Token) -> QueryError {
            let shown = token.kind == .eof ? "" : " (token \"\(token.text)\")"
            return QueryError.syntax("\(reason)\(shown)", at: token.start, in: expression)
        }
    }
}
