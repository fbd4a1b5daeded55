import Diagnostics
import PlaybookCore
import Templating

/// Finds Jinja2 syntax errors in a task's templates when the playbook loads, so a typo in a
/// template stops the run before anything happens (Ansible only notices when the task runs).
///
/// Each template is parsed by evaluating it against a scope that refuses every name: parsing
/// completes first, then evaluation stops at the first variable, global function or lookup, so
/// nothing with side effects runs. Only syntax errors are reported; everything else waits for
/// the real run.
struct TemplateSyntaxCheck: Sendable {
    let templar: Templar

    /// A scope whose every lookup fails, stopping evaluation right after parsing.
    private struct RefusingScope: VariableScope {
        struct Refused: Error {}
        func value(of name: String) throws -> Value? { throw Refused() }
    }

    func check(_ task: ModelTask) throws {
        if let name = task.name { try checkTemplate(name.value, at: name.location) }
        for argument in task.action.arguments.arguments {
            try checkTemplate(argument.value.value, at: argument.value.location)
        }
        for condition in task.when { try checkExpression(condition) }
        for keyword in ["changed_when", "failed_when", "until"] {
            guard let value = task.keywords[keyword] else { continue }
            if let list = value.value.array {
                for (index, element) in list.enumerated() {
                    try checkExpression(LocatedValue(element, at: value.node.node(at: [.int(index)])))
                }
            } else {
                try checkExpression(value)
            }
        }
        if let loop = task.loop { try checkTemplate(loop.items.value, at: loop.items.location) }
        if let that = task.action.arguments["that"], task.action.isControllerAction {
            let conditions = that.value.value.array ?? [that.value.value]
            for condition in conditions { try checkExpression(LocatedValue(condition, at: that.value.node)) }
        }
    }

    private func checkTemplate(_ value: Value, at location: SourceLocation) throws {
        switch value {
        case .string(let text) where templar.containsTemplate(text):
            try probe { _ = try templar.engine.evaluate(text, at: location, scope: RefusingScope()) }
        case .list(let elements):
            for element in elements { try checkTemplate(element, at: location) }
        case .dict(let dictionary):
            for (key, element) in dictionary {
                try checkTemplate(key, at: location)
                try checkTemplate(element, at: location)
            }
        default:
            break
        }
    }

    private func checkExpression(_ condition: LocatedValue) throws {
        guard case .string(let text) = condition.value else { return }
        try probe { _ = try templar.engine.evaluateExpression(text, at: condition.location, scope: RefusingScope()) }
    }

    private func probe(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as TemplateError where error.kind == .syntax {
            throw error
        } catch {
            // Not a syntax error: the template parsed; evaluation stopped on purpose.
        }
    }
}
