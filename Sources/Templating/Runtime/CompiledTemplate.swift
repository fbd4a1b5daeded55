import Synchronization

/// A parsed template: its AST plus what is needed to locate errors in its source.
///
/// Immutable and shared: the engine caches one per distinct source text and renders it from
/// many hosts' tasks at once.
final class CompiledTemplate: Sendable {
    let name: String
    let source: [UInt8]
    let nodes: [Node]
    /// Every `{% block %}` in the template by name (for template inheritance).
    let blocks: [String: [Node]]
    /// The expression when the whole template is a single `{{ expr }}` (Ansible's native mode).
    let singleExpression: Expression?
    /// The size of the last rendering, reserved up front by the next one so the output buffer
    /// is not regrown a dozen times per render. Only a hint: races between renders are harmless.
    let outputSizeHint = Atomic<Int>(0)

    init(name: String, source: [UInt8], nodes: [Node]) {
        self.name = name
        self.source = source
        self.nodes = nodes
        var blocks: [String: [Node]] = [:]
        Self.collectBlocks(nodes, into: &blocks)
        self.blocks = blocks
        if nodes.count == 1, case .output(let expression, _) = nodes[0] {
            singleExpression = expression
        } else {
            singleExpression = nil
        }
    }

    static func compile(_ text: String, name: String, options: TemplateOptions) throws(SyntaxError) -> CompiledTemplate {
        let source = Array(text.utf8)
        let tokens = try Lexer.tokenize(source, options: options)
        let nodes = try Parser.parse(tokens)
        return CompiledTemplate(name: name, source: source, nodes: nodes)
    }

    /// A bare expression (no `{{ }}`), as conditionals hold it.
    static func compileExpression(_ text: String, name: String) throws(SyntaxError) -> CompiledTemplate {
        let source = Array(text.utf8)
        let tokens = try Lexer.tokenizeExpression(source)
        let nodes = try Parser.parse(tokens)
        return CompiledTemplate(name: name, source: source, nodes: nodes)
    }

    private static func collectBlocks(_ nodes: [Node], into blocks: inout [String: [Node]]) {
        for node in nodes {
            switch node {
            case .block(let name, let body, _, _):
                if blocks[name] == nil { blocks[name] = body }
                collectBlocks(body, into: &blocks)
            case .conditional(let branches, let otherwise):
                for branch in branches { collectBlocks(branch.body, into: &blocks) }
                if let otherwise { collectBlocks(otherwise, into: &blocks) }
            case .forLoop(let loop):
                collectBlocks(loop.body, into: &blocks)
            case .scope(_, let body), .filterBlock(_, let body):
                collectBlocks(body, into: &blocks)
            default: break
            }
        }
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, source.count)
        while index < end {
            let byte = source[index]
            if byte == 10 {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }
}
