/// Statement grammar: the template body, `{% … %}` tags and their nested bodies.
extension Parser {
    mutating func parseTemplate() throws(SyntaxError) -> [Node] {
        let body = try parseBody(until: [])
        if case .endOfInput = current.kind { return body }
        throw SyntaxError("unexpected '\(current.jinjaDescription)'", offset: current.offset)
    }

    /// Parses nodes until a block tag whose name is in `endNames` (left unconsumed, positioned on the name).
    mutating func parseBody(until endNames: [String]) throws(SyntaxError) -> [Node] {
        var nodes: [Node] = []
        while true {
            let token = current
            switch token.kind {
            case .text(let text):
                advance()
                nodes.append(.text(text))
            case .variableBegin:
                advance()
                let expression = try parseTuple()
                guard case .variableEnd = current.kind else { throw unexpected(expected: "'end of print statement'") }
                advance()
                nodes.append(.output(expression, offset: token.offset))
            case .blockBegin:
                advance()
                if let name = current.name, endNames.contains(name) { return nodes }
                if let node = try parseStatement() { nodes.append(node) }
            case .endOfInput:
                if !endNames.isEmpty {
                    let expected = endNames.map { "'\($0)'" }.joined(separator: " or ")
                    let innermost = openBlocks.last.map { " The innermost block that needs to be closed is '\($0)'." } ?? ""
                    throw SyntaxError(
                        "Unexpected end of template. Jinja was looking for the following tags: \(expected).\(innermost)",
                        offset: token.offset)
                }
                return nodes
            default:
                throw SyntaxError("unexpected '\(token.jinjaDescription)'", offset: token.offset)
            }
        }
    }

    /// Parses one statement after `{%`; returns nil for statements that produce no node.
    mutating func parseStatement() throws(SyntaxError) -> Node? {
        let token = current
        guard let keyword = token.name else {
            throw SyntaxError("tag name expected", offset: token.offset)
        }
        advance()
        openBlocks.append(keyword)
        defer { openBlocks.removeLast() }
        switch keyword {
        case "if": return try parseIf()
        case "for": return try parseFor(offset: token.offset)
        case "set": return try parseSet(offset: token.offset)
        case "macro": return try parseMacro(offset: token.offset)
        case "call": return try parseCallBlock(offset: token.offset)
        case "filter": return try parseFilterBlock()
        case "include": return try parseInclude(offset: token.offset)
        case "import": return try parseImport(offset: token.offset)
        case "from": return try parseFromImport(offset: token.offset)
        case "block": return try parseBlock()
        case "extends":
            let template = try parseExpression()
            try expectBlockEnd()
            return .extends(template, offset: token.offset)
        case "with": return try parseWith()
        default:
            openBlocks.removeLast()
            defer { openBlocks.append(keyword) }
            if keyword.hasPrefix("end") || ["else", "elif"].contains(keyword) {
                if let innermost = openBlocks.last {
                    throw SyntaxError(
                        "Encountered unknown tag '\(keyword)'. Jinja was looking for the following tags: 'end\(innermost)'. The innermost block that needs to be closed is '\(innermost)'.",
                        offset: token.offset)
                }
                throw SyntaxError("Encountered unknown tag '\(keyword)'.", offset: token.offset)
            }
            throw SyntaxError("Encountered unknown tag '\(keyword)'.", offset: token.offset)
        }
    }

    private mutating func endTag(_ name: String) throws(SyntaxError) {
        guard skipName(name) else { throw unexpected(expected: "'\(name)'") }
        try expectBlockEnd()
    }

    private mutating func parseIf() throws(SyntaxError) -> Node {
        var branches: [(condition: Expression, body: [Node])] = []
        var condition = try parseTuple(allowConditional: true)
        try expectBlockEnd()
        while true {
            let body = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            if skipName("elif") {
                condition = try parseTuple()
                try expectBlockEnd()
                continue
            }
            if skipName("else") {
                try expectBlockEnd()
                let otherwise = try parseBody(until: ["endif"])
                try endTag("endif")
                return .conditional(branches, otherwise: otherwise)
            }
            try endTag("endif")
            return .conditional(branches, otherwise: nil)
        }
    }

    func assignTarget(from expression: Expression, offset: Int) throws(SyntaxError) -> AssignTarget {
        switch expression {
        case .name(let name, _):
            if ["true", "false", "none", "True", "False", "None"].contains(name) {
                throw SyntaxError("Can't assign to \(name)", offset: offset)
            }
            return .name(name)
        case .tuple(let items):
            var targets: [AssignTarget] = []
            for item in items { targets.append(try assignTarget(from: item, offset: offset)) }
            return .tuple(targets)
        case .attribute(.name(let base, _), let attribute, let at):
            return .namespaceAttribute(base, attribute, offset: at)
        default:
            throw SyntaxError("can't assign to \(Self.describeTarget(expression))", offset: offset)
        }
    }

    private static func describeTarget(_ expression: Expression) -> String {
        switch expression {
        case .literal: return "'Const'"
        case .call: return "'Call'"
        case .attribute: return "'Getattr'"
        case .item: return "'Getitem'"
        default: return "expression"
        }
    }

    private mutating func parseAssignTarget(allowNamespace: Bool, endNames: [String] = []) throws(SyntaxError) -> AssignTarget {
        let offset = current.offset
        var items: [Expression] = []
        var sawComma = false
        repeat {
            if !items.isEmpty { sawComma = true }
            if isTupleEnd(endNames: endNames) || current.isSymbol("|") { break }
            if current.isSymbol("(") {
                advance()
                let inner = try parseTuple(explicitParentheses: true, simplified: true)
                try expectSymbol(")")
                items.append(inner)
                continue
            }
            let name = try expectName()
            if allowNamespace, current.isSymbol(".") {
                let attributeOffset = current.offset
                advance()
                items.append(.attribute(.name(name, offset: offset), try expectName(), offset: attributeOffset))
            } else {
                items.append(.name(name, offset: offset))
            }
        } while skipSymbol(",")
        guard !items.isEmpty else { throw unexpected(expected: "name") }
        let expression = items.count == 1 && !sawComma ? items[0] : Expression.tuple(items)
        return try assignTarget(from: expression, offset: offset)
    }

    private mutating func parseFor(offset: Int) throws(SyntaxError) -> Node {
        let target = try parseAssignTarget(allowNamespace: false, endNames: ["in"])
        guard skipName("in") else { throw unexpected(expected: "'in'") }
        let iterable = try parseTuple(allowConditional: false, endNames: ["recursive", "if"])
        var condition: Expression? = nil
        if skipName("if") { condition = try parseExpression() }
        let recursive = skipName("recursive")
        try expectBlockEnd()
        let body = try parseBody(until: ["endfor", "else"])
        var otherwise: [Node]? = nil
        if skipName("else") {
            try expectBlockEnd()
            otherwise = try parseBody(until: ["endfor"])
        }
        try endTag("endfor")
        return .forLoop(
            ForLoop(
                target: target, iterable: iterable, condition: condition, recursive: recursive, body: body,
                otherwise: otherwise, offset: offset))
    }

    private mutating func parseSet(offset: Int) throws(SyntaxError) -> Node {
        let target = try parseAssignTarget(allowNamespace: true)
        if skipSymbol("=") {
            let value = try parseTuple()
            try expectBlockEnd()
            return .assign(target, value, offset: offset)
        }
        var filters: [FilterCall] = []
        while skipSymbol("|") { filters.append(try parseFilterCall()) }
        try expectBlockEnd()
        let body = try parseBody(until: ["endset"])
        try endTag("endset")
        return .assignBlock(target, filters: filters, body: body)
    }

    private mutating func parseParameters() throws(SyntaxError) -> [(name: String, defaultValue: Expression?)] {
        var parameters: [(name: String, defaultValue: Expression?)] = []
        try expectSymbol("(")
        while !current.isSymbol(")") {
            if !parameters.isEmpty { try expectSymbol(",") }
            if current.isSymbol(")") { break }
            let name = try expectName()
            var defaultValue: Expression? = nil
            if skipSymbol("=") {
                defaultValue = try parseExpression()
            } else if parameters.contains(where: { $0.defaultValue != nil }) {
                throw SyntaxError("non-default argument follows default argument", offset: current.offset)
            }
            parameters.append((name, defaultValue))
        }
        try expectSymbol(")")
        return parameters
    }

    private mutating func parseMacro(offset: Int) throws(SyntaxError) -> Node {
        let name = try expectName()
        let parameters = try parseParameters()
        try expectBlockEnd()
        let body = try parseBody(until: ["endmacro"])
        try endTag("endmacro")
        return .macro(Self.makeMacro(name: name, parameters: parameters, body: body, offset: offset))
    }

    static func makeMacro(
        name: String, parameters: [(name: String, defaultValue: Expression?)], body: [Node], offset: Int
    ) -> MacroDefinition {
        var names = Set<String>()
        NameCollector.collect(body, into: &names)
        return MacroDefinition(
            name: name, parameters: parameters, body: body, offset: offset,
            usesCaller: names.contains("caller"), usesVarargs: names.contains("varargs"),
            usesKwargs: names.contains("kwargs"))
    }

    private mutating func parseCallBlock(offset: Int) throws(SyntaxError) -> Node {
        var parameters: [(name: String, defaultValue: Expression?)] = []
        if current.isSymbol("(") { parameters = try parseParameters() }
        let call = try parseExpression()
        guard case .call = call else {
            throw SyntaxError("expected call", offset: offset)
        }
        try expectBlockEnd()
        let body = try parseBody(until: ["endcall"])
        try endTag("endcall")
        let macro = Self.makeMacro(name: "caller", parameters: parameters, body: body, offset: offset)
        return .callBlock(call: call, macro: macro, offset: offset)
    }

    private mutating func parseFilterBlock() throws(SyntaxError) -> Node {
        var filters = [try parseFilterCall()]
        while skipSymbol("|") { filters.append(try parseFilterCall()) }
        try expectBlockEnd()
        let body = try parseBody(until: ["endfilter"])
        try endTag("endfilter")
        return .filterBlock(filters: filters, body: body)
    }

    /// `with context` / `without context`; nil when absent.
    private mutating func parseContextModifier() -> Bool? {
        if (current.isName("with") || current.isName("without")), peek().isName("context") {
            let with = current.isName("with")
            advance()
            advance()
            return with
        }
        return nil
    }

    private mutating func parseInclude(offset: Int) throws(SyntaxError) -> Node {
        let template = try parseExpression()
        var ignoreMissing = false
        if current.isName("ignore"), peek().isName("missing") {
            advance()
            advance()
            ignoreMissing = true
        }
        let withContext = parseContextModifier() ?? true
        try expectBlockEnd()
        return .include(template, ignoreMissing: ignoreMissing, withContext: withContext, offset: offset)
    }

    private mutating func parseImport(offset: Int) throws(SyntaxError) -> Node {
        let template = try parseExpression()
        guard skipName("as") else { throw unexpected(expected: "'as'") }
        let alias = try expectName()
        let withContext = parseContextModifier() ?? false
        try expectBlockEnd()
        return .importAll(template, alias: alias, withContext: withContext, offset: offset)
    }

    private mutating func parseFromImport(offset: Int) throws(SyntaxError) -> Node {
        let template = try parseExpression()
        guard skipName("import") else { throw unexpected(expected: "'import'") }
        var names: [(name: String, alias: String)] = []
        var withContext = false
        while true {
            if !names.isEmpty { guard skipSymbol(",") else { break } }
            if let modifier = parseContextModifier() {
                withContext = modifier
                break
            }
            if case .blockEnd = current.kind { break }
            let name = try expectName()
            if name.hasPrefix("_") {
                throw SyntaxError("names starting with an underline can not be imported", offset: current.offset)
            }
            var alias = name
            if skipName("as") { alias = try expectName() }
            names.append((name, alias))
        }
        try expectBlockEnd()
        return .importNames(template, names: names, withContext: withContext, offset: offset)
    }

    private mutating func parseBlock() throws(SyntaxError) -> Node {
        let name = try expectName()
        var scoped = false
        var required = false
        while true {
            if skipName("scoped") { scoped = true } else if skipName("required") { required = true } else { break }
        }
        try expectBlockEnd()
        let body = try parseBody(until: ["endblock"])
        advance()
        if let endName = current.name {
            if endName != name {
                throw SyntaxError("'\(name)' block ends with 'endblock \(endName)'", offset: current.offset)
            }
            advance()
        }
        try expectBlockEnd()
        return .block(name: name, body: body, scoped: scoped, required: required)
    }

    private mutating func parseWith() throws(SyntaxError) -> Node {
        var assignments: [(AssignTarget, Expression)] = []
        while case .name = current.kind {
            let target = try parseAssignTarget(allowNamespace: false)
            try expectSymbol("=")
            assignments.append((target, try parseExpression()))
            if !current.isSymbol(",") { break }
            advance()
        }
        try expectBlockEnd()
        let body = try parseBody(until: ["endwith"])
        try endTag("endwith")
        return .scope(assignments: assignments, body: body)
    }
}

/// Collects every name an AST refers to (for macro signatures: caller/varargs/kwargs).
enum NameCollector {
    static func collect(_ nodes: [Node], into names: inout Set<String>) {
        for node in nodes { collect(node, into: &names) }
    }

    static func collect(_ node: Node, into names: inout Set<String>) {
        switch node {
        case .text: break
        case .output(let expression, _), .expressionStatement(let expression): collect(expression, into: &names)
        case .conditional(let branches, let otherwise):
            for branch in branches {
                collect(branch.condition, into: &names)
                collect(branch.body, into: &names)
            }
            if let otherwise { collect(otherwise, into: &names) }
        case .forLoop(let loop):
            collect(loop.iterable, into: &names)
            if let condition = loop.condition { collect(condition, into: &names) }
            collect(loop.body, into: &names)
            if let otherwise = loop.otherwise { collect(otherwise, into: &names) }
        case .assign(_, let expression, _): collect(expression, into: &names)
        case .assignBlock(_, _, let body), .filterBlock(_, let body), .block(_, let body, _, _): collect(body, into: &names)
        case .scope(let assignments, let body):
            for (_, expression) in assignments { collect(expression, into: &names) }
            collect(body, into: &names)
        case .callBlock(let call, _, _): collect(call, into: &names)
        case .macro, .include, .importAll, .importNames, .extends: break
        }
    }

    static func collect(_ expression: Expression, into names: inout Set<String>) {
        switch expression {
        case .literal: break
        case .name(let name, _): names.insert(name)
        case .attribute(let base, _, _): collect(base, into: &names)
        case .item(let base, let key, _):
            collect(base, into: &names)
            collect(key, into: &names)
        case .slice(let base, let start, let stop, let step, _):
            for part in [base, start, stop, step].compactMap({ $0 }) { collect(part, into: &names) }
        case .list(let items), .tuple(let items), .concat(let items, _): for item in items { collect(item, into: &names) }
        case .dict(let pairs):
            for pair in pairs {
                collect(pair.key, into: &names)
                collect(pair.value, into: &names)
            }
        case .unary(_, let operand, _), .not(let operand): collect(operand, into: &names)
        case .binary(_, let left, let right, _), .and(let left, let right), .or(let left, let right):
            collect(left, into: &names)
            collect(right, into: &names)
        case .compare(let first, let rest, _):
            collect(first, into: &names)
            for part in rest { collect(part.operand, into: &names) }
        case .conditional(let test, let then, let otherwise):
            collect(test, into: &names)
            collect(then, into: &names)
            if let otherwise { collect(otherwise, into: &names) }
        case .filter(let base, let call):
            collect(base, into: &names)
            collect(call.arguments, into: &names)
        case .test(let base, let call, _):
            collect(base, into: &names)
            collect(call.arguments, into: &names)
        case .call(let callee, let arguments, _):
            collect(callee, into: &names)
            collect(arguments, into: &names)
        }
    }

    static func collect(_ arguments: Arguments, into names: inout Set<String>) {
        for argument in arguments.positional { collect(argument, into: &names) }
        for argument in arguments.keyword { collect(argument.value, into: &names) }
        if let splat = arguments.splat { collect(splat, into: &names) }
        if let splat = arguments.keywordSplat { collect(splat, into: &names) }
    }
}
