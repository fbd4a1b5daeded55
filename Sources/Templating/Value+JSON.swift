/// JSON conversion of values, in Python's `json` dialect (the format modules and callbacks exchange).
extension Value {
    /// Parses JSON text, keeping object key order and telling integers from floats.
    public init(json text: String) throws {
        do {
            self = try JSON.parse(text.utf8)
        } catch {
            throw TemplateError(kind: .rendering, message: error.description, location: nil)
        }
    }

    /// Serialises as `json.dumps` would: compact (`", "`, `": "`) or indented, keys in order unless sorted.
    public func jsonString(indent: Int? = nil, sortKeys: Bool = false) throws -> String {
        let style = JSON.Style(
            indent: indent, sortKeys: sortKeys, itemSeparator: indent == nil ? ", " : ",", keySeparator: ": ")
        do {
            return try JSON.dumps(self, style: style)
        } catch let failure as RenderFailure {
            throw TemplateError(kind: .undefinedVariable, message: failure.message, location: nil)
        }
    }

    /// Python's `repr()` of the value (`['a', 1]`, `{'k': True}`, `None`).
    public var reprDescription: String { pythonRepr }

    /// Python's type name (`str`, `int`, `list`, `dict`, `NoneType`, …), as `type_debug` reports it.
    public var typeName: String { pythonTypeName }
}
