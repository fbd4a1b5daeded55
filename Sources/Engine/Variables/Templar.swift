import Diagnostics
import Templating

/// The engine's ``TemplateEvaluator`` over the real Jinja2-compatible `TemplateEngine`.
public struct Templar: TemplateEvaluator {
    public let engine: TemplateEngine

    public init(engine: TemplateEngine = TemplateEngine()) {
        self.engine = engine
    }

    public func containsTemplate(_ text: String) -> Bool {
        TemplateEngine.containsTemplate(text)
    }

    public func evaluate(_ text: String, at location: SourceLocation?, scope: any VariableScope) throws -> Value {
        try engine.evaluate(text, at: location, scope: scope)
    }

    public func render(_ text: String, name: String, at location: SourceLocation?, scope: any VariableScope) throws
        -> String
    {
        try engine.render(text, name: name, at: location, scope: scope)
    }

    public func evaluateExpression(_ expression: String, at location: SourceLocation?, scope: any VariableScope) throws
        -> Value
    {
        try engine.evaluateExpression(expression, at: location, scope: scope)
    }
}
