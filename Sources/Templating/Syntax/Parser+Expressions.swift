/// Expression grammar, highest level first: conditional, or, and, not, comparison, `+ -`, `~`,
/// `* / // %`, `**`, unary, primary with postfix (`.`, `[]`, `()`) and filter/test chains.
extension Parser {
    mutating func parseExpression(allowConditional: Bool = true) throws(SyntaxError) -> Expression {
        allowConditional ? try parseConditional() : try parseOr()
    }

    mutating func parseConditional() throws(SyntaxError) -> Expression {
        var expression = try parseOr()
        while current.isName("if") {
            advance()
            let test = try parseOr()
            var otherwise: Expression? = nil
            if skipName("else") { otherwise = try parseConditional() }
            expression = .conditional(test: test, then: expression, otherwise: otherwise)
        }
        return expression
    }

    mutating func parseOr() throws(SyntaxError) -> Expression {
        var left = try parseAnd()
        while skipName("or") { left = .or(left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws(SyntaxError) -> Expression {
        var left = try parseNot()
        while skipName("and") { left = .and(left, try parseNot()) }
        return left
    }

    mutating func parseNot() throws(SyntaxError) -> Expression {
        if skipName("not") { return .not(try parseNot()) }
        return try parseCompare()
    }

    mutating func parseCompare() throws(SyntaxError) -> Expression {
        let offset = current.offset
        let first = try parseMath1()
        var operations: [(op: ComparisonOperator, operand: Expression)] = []
        while true {
            if case .symbol(let symbol) = current.kind, let op = ComparisonOperator(rawValue: symbol), op != .contains {
                advance()
                operations.append((op, try parseMath1()))
            } else if skipName("in") {
                operations.append((.contains, try parseMath1()))
            } else if current.isName("not"), peek().isName("in") {
                advance()
                advance()
                operations.append((.notContains, try parseMath1()))
            } else {
                break
            }
        }
        return operations.isEmpty ? first : .compare(first, operations, offset: offset)
    }

    mutating func parseMath1() throws(SyntaxError) -> Expression {
        var left = try parseConcat()
        while true {
            let offset = current.offset
            if skipSymbol("+") { left = .binary(.add, left, try parseConcat(), offset: offset) }
            else if skipSymbol("-") { left = .binary(.subtract, left, try parseConcat(), offset: offset) }
            else { return left }
        }
    }

    mutating func parseConcat() throws(SyntaxError) -> Expression {
        let offset = current.offset
        var parts = [try parseMath2()]
        while skipSymbol("~") { parts.append(try parseMath2()) }
        return parts.count == 1 ? parts[0] : .concat(parts, offset: offset)
    }

    mutating func parseMath2() throws(SyntaxError) -> Expression {
        var left = try parsePower()
        while true {
            let offset = current.offset
            let op: BinaryOperator
            if current.isSymbol("*") { op = .multiply }
            else if current.isSymbol("/") { op = .divide }
            else if current.isSymbol("//") { op = .floorDivide }
            else if current.isSymbol("%") { op = .modulo }
            else { return left }
            advance()
            left = .binary(op, left, try parsePower(), offset: offset)
        }
    }

    mutating func parsePower() throws(SyntaxError) -> Expression {
        var left = try parseUnary()
        while current.isSymbol("**") {
            let offset = current.offset
            advance()
            left = .binary(.power, left, try parseUnary(), offset: offset)
        }
        return left
    }

    mutating func parseUnary(withFilters: Bool = true) throws(SyntaxError) -> Expression {
        let offset = current.offset
        var expression: Expression
        if skipSymbol("-") {
            expression = .unary(.negate, try parseUnary(withFilters: false), offset: offset)
        } else if skipSymbol("+") {
            expression = .unary(.plus, try parseUnary(withFilters: false), offset: offset)
        } else {
            expression = try parsePostfix(try parsePrimary())
        }
        if withFilters { expression = try parseFilterChain(expression) }
        return expression
    }

    mutating func parsePrimary() throws(SyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case .name(let name):
            advance()
            switch name {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(name, offset: token.offset)
            }
        case .string(let text):
            advance()
            var combined = text
            while case .string(let more) = current.kind {
                combined += more
                advance()
            }
            return .literal(.string(combined))
        case .integer(let value):
            advance()
            return .literal(.int(value))
        case .float(let value):
            advance()
            return .literal(.float(value))
        case .symbol("("):
            advance()
            let expression = try parseTuple(explicitParentheses: true)
            try expectSymbol(")")
            return expression
        case .symbol("["):
            advance()
            var items: [Expression] = []
            while !current.isSymbol("]") {
                if !items.isEmpty { try expectSymbol(",") }
                if current.isSymbol("]") { break }
                items.append(try parseExpression())
            }
            try expectSymbol("]")
            return .list(items)
        case .symbol("{"):
            advance()
            var pairs: [(key: Expression, value: Expression)] = []
            while !current.isSymbol("}") {
                if !pairs.isEmpty { try expectSymbol(",") }
                if current.isSymbol("}") { break }
                let key = try parseExpression()
                try expectSymbol(":")
                pairs.append((key, try parseExpression()))
            }
            try expectSymbol("}")
            return .dict(pairs)
        default:
            if case .endOfInput = token.kind {
                throw SyntaxError("unexpected end of template", offset: token.offset)
            }
            throw SyntaxError("unexpected '\(token.jinjaDescription)'", offset: token.offset)
        }
    }

    /// A comma-separated expression list; a single expression without a trailing comma is itself.
    mutating func parseTuple(
        explicitParentheses: Bool = false, allowConditional: Bool = true, simplified: Bool = false,
        endNames: [String] = []
    ) throws(SyntaxError) -> Expression {
        var items: [Expression] = []
        var sawComma = false
        while true {
            if !items.isEmpty {
                guard skipSymbol(",") else { break }
                sawComma = true
            }
            if isTupleEnd(endNames: endNames) { break }
            if simplified {
                items.append(try parsePrimary())
            } else {
                items.append(try parseExpression(allowConditional: allowConditional))
            }
        }
        if items.isEmpty {
            if explicitParentheses { return .tuple([]) }
            throw SyntaxError("Expected an expression, got '\(current.jinjaDescription)'", offset: current.offset)
        }
        if items.count == 1 && !sawComma { return items[0] }
        return .tuple(items)
    }

    func isTupleEnd(endNames: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .endOfInput: return true
        case .symbol(let symbol): return symbol == ")" || symbol == "]" || symbol == "}" || symbol == "="
        case .name(let name): return endNames.contains(name)
        default: return false
        }
    }

    mutating func parsePostfix(_ base: Expression) throws(SyntaxError) -> Expression {
        var expression = base
        while true {
            let offset = current.offset
            if skipSymbol(".") {
                switch current.kind {
                case .name(let name):
                    advance()
                    expression = .attribute(expression, name, offset: offset)
                case .integer(let value):
                    advance()
                    expression = .item(expression, .literal(.int(value)), offset: offset)
                default:
                    throw SyntaxError("expected name or number", offset: current.offset)
                }
            } else if skipSymbol("[") {
                var subscripts: [Expression] = []
                while !current.isSymbol("]") {
                    if !subscripts.isEmpty { try expectSymbol(",") }
                    if current.isSymbol("]") { break }
                    subscripts.append(try parseSubscript(base: expression, offset: offset))
                }
                try expectSymbol("]")
                if subscripts.count == 1 {
                    if case .slice = subscripts[0] { expression = subscripts[0] }
                    else { expression = .item(expression, subscripts[0], offset: offset) }
                } else {
                    expression = .item(expression, .tuple(subscripts), offset: offset)
                }
            } else if current.isSymbol("(") {
                advance()
                expression = .call(expression, try parseCallArguments(), offset: offset)
            } else {
                return expression
            }
        }
    }

    /// `expr` or a slice `start:stop:step` inside `[ ]`.
    mutating func parseSubscript(base: Expression, offset: Int) throws(SyntaxError) -> Expression {
        var start: Expression? = nil
        if !current.isSymbol(":") {
            let expression = try parseExpression()
            guard current.isSymbol(":") else { return expression }
            start = expression
        }
        advance()
        var stop: Expression? = nil
        if !current.isSymbol("]") && !current.isSymbol(",") && !current.isSymbol(":") { stop = try parseExpression() }
        var step: Expression? = nil
        if skipSymbol(":") {
            if !current.isSymbol("]") && !current.isSymbol(",") { step = try parseExpression() }
        }
        return .slice(base, start: start, stop: stop, step: step, offset: offset)
    }

    /// Arguments after an opening `(`, through the closing `)`.
    mutating func parseCallArguments() throws(SyntaxError) -> Arguments {
        var arguments = Arguments()
        var first = true
        while !current.isSymbol(")") {
            if !first { try expectSymbol(",") }
            first = false
            if current.isSymbol(")") { break }
            if skipSymbol("**") {
                arguments.keywordSplat = try parseExpression()
            } else if skipSymbol("*") {
                arguments.splat = try parseExpression()
            } else if case .name(let name) = current.kind, peek().isSymbol("=") {
                advance()
                advance()
                arguments.keyword.append((name, try parseExpression()))
            } else {
                if !arguments.keyword.isEmpty {
                    throw SyntaxError("Invalid argument syntax", offset: current.offset)
                }
                arguments.positional.append(try parseExpression())
            }
        }
        try expectSymbol(")")
        return arguments
    }

    mutating func parseFilterChain(_ base: Expression) throws(SyntaxError) -> Expression {
        var expression = base
        while true {
            if current.isSymbol("|") {
                advance()
                expression = .filter(expression, try parseFilterCall())
            } else if current.isName("is") {
                advance()
                expression = try parseTest(expression)
            } else if current.isSymbol("(") {
                let offset = current.offset
                advance()
                expression = .call(expression, try parseCallArguments(), offset: offset)
            } else {
                return expression
            }
        }
    }

    /// A filter or test name, dotted for collection plugins (`ansible.utils.ipaddr`).
    mutating func parseDottedName() throws(SyntaxError) -> String {
        var name = try expectName()
        while current.isSymbol("."), case .name(let part) = peek().kind {
            advance()
            advance()
            name += "." + part
        }
        return name
    }

    /// A filter name (dotted for collection filters such as `ansible.utils.ipaddr`) and its arguments.
    mutating func parseFilterCall() throws(SyntaxError) -> FilterCall {
        let offset = current.offset
        let name = try parseDottedName()
        var arguments = Arguments()
        if skipSymbol("(") { arguments = try parseCallArguments() }
        return FilterCall(name: name, arguments: arguments, offset: offset)
    }

    mutating func parseTest(_ subject: Expression) throws(SyntaxError) -> Expression {
        let negated = skipName("not")
        let offset = current.offset
        let name = try parseDottedName()
        var arguments = Arguments()
        if skipSymbol("(") {
            arguments = try parseCallArguments()
        } else if startsTestArgument() {
            if current.isName("is") {
                throw SyntaxError("You cannot chain multiple tests with is", offset: current.offset)
            }
            arguments.positional = [try parsePostfix(try parsePrimary())]
        }
        return .test(subject, TestCall(name: name, arguments: arguments, offset: offset), negated: negated)
    }

    private func startsTestArgument() -> Bool {
        switch current.kind {
        case .name(let name): return !["else", "or", "and"].contains(name)
        case .string, .integer, .float: return true
        case .symbol(let symbol): return symbol == "[" || symbol == "{"
        default: return false
        }
    }
}
