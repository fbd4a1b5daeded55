/// A template that cannot be parsed; `offset` is the UTF-8 byte offset into the template source.
struct SyntaxError: Error, Sendable {
    var message: String
    var offset: Int

    init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
}
