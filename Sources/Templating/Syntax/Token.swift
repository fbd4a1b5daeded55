/// One lexical token of a template, with the byte offset where it starts in the source.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        /// Literal template text between tags (whitespace control already applied).
        case text(String)
        case variableBegin
        case variableEnd
        case blockBegin
        case blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        /// An operator or punctuation: `+`, `//`, `==`, `(`, `|`, …
        case symbol(String)
        case endOfInput
    }

    var kind: Kind
    /// UTF-8 byte offset of the token's first character in the template source.
    var offset: Int

    /// The identifier, when this token is a name.
    var name: String? {
        if case .name(let name) = kind { return name }
        return nil
    }

    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let own) = kind { return own == symbol }
        return false
    }

    func isName(_ expected: String) -> Bool {
        if case .name(let own) = kind { return own == expected }
        return false
    }

    /// How Jinja2 names the token in "expected token X, got Y" messages.
    var jinjaDescription: String {
        switch kind {
        case .text: return "template data"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name(let name): return name
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .symbol(let symbol): return symbol
        case .endOfInput: return "end of template"
        }
    }
}

/// Lexer and renderer settings that Jinja2 exposes as environment options.
public struct TemplateOptions: Sendable, Hashable {
    /// Remove the first newline after a block or comment tag.
    public var trimBlocks: Bool
    /// Strip spaces and tabs from the start of a line up to a block or comment tag.
    public var lstripBlocks: Bool
    /// Keep a single trailing newline at the end of the template.
    public var keepTrailingNewline: Bool
    /// Honour a first line `#jinja2: trim_blocks: False, …` as Ansible's template module does.
    public var honoursHeaderOverrides: Bool
    /// Ansible's `escape_backslashes` for templates that come from YAML strings: a string literal
    /// inside `{{ }}` keeps its backslashes verbatim (YAML already processed escapes), so
    /// `regex_replace('\\d', …)` sees `\\d`.
    public var keepsBackslashesInExpressionStrings: Bool
    /// Ansible's finalize: `{{ none }}` prints nothing instead of Jinja2's `None`.
    public var printsNoneAsEmpty: Bool
    /// Ansible re-appends the trailing newlines Jinja2 drops from the source.
    public var preservesTrailingNewlines: Bool

    public init(
        trimBlocks: Bool = false, lstripBlocks: Bool = false, keepTrailingNewline: Bool = false,
        honoursHeaderOverrides: Bool = false, keepsBackslashesInExpressionStrings: Bool = false,
        printsNoneAsEmpty: Bool = true, preservesTrailingNewlines: Bool = true
    ) {
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.keepTrailingNewline = keepTrailingNewline
        self.honoursHeaderOverrides = honoursHeaderOverrides
        self.keepsBackslashesInExpressionStrings = keepsBackslashesInExpressionStrings
        self.printsNoneAsEmpty = printsNoneAsEmpty
        self.preservesTrailingNewlines = preservesTrailingNewlines
    }

    /// Plain Jinja2 environment defaults (no trimming, `None` printed as `None`).
    public static let jinjaDefaults = TemplateOptions(printsNoneAsEmpty: false, preservesTrailingNewlines: false)

    /// Ansible's `template` module: `trim_blocks` on, and the `#jinja2:` header honoured.
    public static let templateModule = TemplateOptions(trimBlocks: true, honoursHeaderOverrides: true)
}
