/// Ansible's `#jinja2: trim_blocks: False, lstrip_blocks: True` first line in template files.
enum HeaderOverrides {
    static func apply(to text: String, options: TemplateOptions) throws(RenderFailure) -> (String, TemplateOptions) {
        guard let newline = text.firstIndex(of: "\n") else {
            throw RenderFailure("Missing newline after '#jinja2:' override.", kind: .syntax)
        }
        let line = text[text.index(text.startIndex, offsetBy: 8)..<newline]
        var result = options
        for pair in line.split(separator: ",", omittingEmptySubsequences: false) {
            guard !pair.allSatisfy(\.isWhitespace) else {
                throw RenderFailure("Empty '#jinja2:' override pair not allowed.", kind: .syntax)
            }
            guard let colon = pair.firstIndex(of: ":") else {
                throw RenderFailure("Missing key-value separator `:` in '#jinja2:' override pair '\(pair)'.", kind: .syntax)
            }
            let key = StringFunctions.strip(String(pair[..<colon]), characters: nil, leading: true, trailing: true)
            let rawValue = StringFunctions.strip(String(pair[pair.index(after: colon)...]), characters: nil, leading: true, trailing: true)
            let flag: Bool
            switch rawValue {
            case "True": flag = true
            case "False": flag = false
            default:
                throw RenderFailure("unsupported '#jinja2:' override value \(rawValue) for '\(key)'", kind: .syntax)
            }
            switch key {
            case "trim_blocks": result.trimBlocks = flag
            case "lstrip_blocks": result.lstripBlocks = flag
            case "keep_trailing_newline": result.keepTrailingNewline = flag
            default:
                throw RenderFailure("Invalid '#jinja2:' override key '\(key)'.", kind: .syntax)
            }
        }
        return (String(text[text.index(after: newline)...]), result)
    }
}
