import Diagnostics

/// An error raised while parsing or rendering a template, located in the template file or, for a
/// template inside a YAML string, in the YAML file.
public struct TemplateError: LocatedError, Equatable {
    /// What went wrong, in the categories Ansible distinguishes.
    public enum Kind: Sendable, Hashable {
        /// The template cannot be parsed (Jinja2 `TemplateSyntaxError`).
        case syntax
        /// An undefined variable or attribute was used (`AnsibleUndefinedVariable`).
        case undefinedVariable
        /// Any other failure while rendering (type errors, filter errors, missing templates, …).
        case rendering
    }

    public var kind: Kind
    public var location: SourceLocation?
    public var message: String
    public var notes: [String]

    public init(kind: Kind, message: String, location: SourceLocation?, notes: [String] = []) {
        self.kind = kind
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// Whether the failure is an undefined variable (Ansible treats these specially in conditionals).
    public var isUndefinedVariable: Bool { kind == .undefinedVariable }
}

extension TemplateError {
    /// Maps a byte offset in `template` to a location: in the template file, or shifted onto the
    /// YAML scalar that holds the template when `origin` is given.
    static func location(
        of offset: Int?, in template: CompiledTemplate?, fallbackName: String, origin: SourceLocation?
    ) -> SourceLocation? {
        guard let offset, let template else {
            return origin ?? (fallbackName.isEmpty ? nil : SourceLocation(file: fallbackName, line: 1, column: 1))
        }
        let (line, column) = template.lineAndColumn(of: offset)
        if let origin, template.name == fallbackName {
            return origin.advanced(lines: line - 1, column: column)
        }
        return SourceLocation(file: template.name.isEmpty ? fallbackName : template.name, line: line, column: column)
    }
}
