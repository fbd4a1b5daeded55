/// An error raised while evaluating a template, before it is located in a file.
///
/// `offset` is the byte offset in `template` (nil until the innermost node that knows its
/// position fills it in); the public boundary turns it into a ``TemplateError`` with a location.
struct RenderFailure: Error, Sendable {
    enum Kind: Sendable { case undefined, type, value, syntax, other }

    var kind: Kind
    var message: String
    var offset: Int?
    var template: CompiledTemplate?

    init(_ message: String, kind: Kind = .other, offset: Int? = nil) {
        self.message = message
        self.kind = kind
        self.offset = offset
    }

    static func undefined(_ undefined: Undefined) -> RenderFailure {
        RenderFailure(undefined.hint, kind: .undefined)
    }

    static func type(_ message: String) -> RenderFailure {
        RenderFailure(message, kind: .type)
    }

    /// Fills in the location of the node being evaluated when no inner node did.
    func located(at offset: Int, in template: CompiledTemplate?) -> RenderFailure {
        var copy = self
        if copy.offset == nil {
            copy.offset = offset
            copy.template = template
        }
        return copy
    }
}
