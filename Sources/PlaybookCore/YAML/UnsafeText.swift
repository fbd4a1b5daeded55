import Foundation

/// How `!unsafe` strings reach the engine without a dedicated case in `Templating.Value`:
/// text that contains Jinja2 delimiters is wrapped in `{% raw %}…{% endraw %}`, so templating it
/// (once, as the engine does for every string) yields exactly the original text and nothing in
/// it is ever evaluated. Text without delimiters is left as is.
///
/// ``YAMLScalar/isUnsafe`` still tells which scalars were marked, for code that reads the tree.
public enum UnsafeText {
    /// `text` made inert for the template engine.
    public static func protect(_ text: String) -> String {
        guard text.contains("{{") || text.contains("{%") || text.contains("{#") else { return text }
        // `{% endraw %}` cannot appear inside a raw block; emit it as a string literal between blocks.
        let pieces = text.components(separatedBy: "{% endraw %}")
        return pieces.map { "{% raw %}" + $0 + "{% endraw %}" }.joined(separator: "{{ '{% endraw %}' }}")
    }
}

extension String {
    fileprivate func components(separatedBy separator: String) -> [String] {
        var result: [String] = []
        var rest = Substring(self)
        while let range = rest.range(of: separator) {
            result.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        result.append(String(rest))
        return result
    }
}
