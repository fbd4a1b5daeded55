/// Escapes the characters that are markup in HTML and XML (`&`, `<`, `>` and both quotes). Public
/// so that documents written outside templates (the JUnit report) escape with the same code as the
/// `escape` filter, only spelling the quotes as XML's named entities.
public enum MarkupEscaping {
    /// How the quotes are written; the other three characters always become `&amp;`, `&lt;`, `&gt;`.
    public enum Quotes: Sendable {
        /// `&#34;` and `&#39;`, as markupsafe (Jinja2's `escape` filter) writes them.
        case numeric
        /// `&quot;` and `&apos;`, XML's predefined entities.
        case named
    }

    public static func escape(_ text: String, quotes: Quotes = .numeric) -> String {
        let (double, single) = quotes == .numeric ? ("&#34;", "&#39;") : ("&quot;", "&apos;")
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += double
            case "'": output += single
            default: output.append(character)
            }
        }
        return output
    }
}
