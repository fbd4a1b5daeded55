import Foundation

/// Every test (`x is name`) the engine knows: Jinja2's built-ins and Ansible's.
enum TestLibrary {
    static let all: [String: TestFunction] = {
        var table = core
        table.merge(AnsibleTests.table) { _, new in new }
        for (name, test) in table { table["ansible.builtin.\(name)"] = test }
        return table
    }()

    /// Whether the test receives an undefined input itself (only `defined` / `undefined` do).
    static func acceptsUndefined(_ name: String) -> Bool {
        let short = name.contains(".") ? Renderer.shortName(name) : name
        return short == "defined" || short == "undefined"
    }

    static let core: [String: TestFunction] = [
        "defined": { input, _, _ in !input.isUndefined },
        "undefined": { input, _, _ in input.isUndefined },
        "none": { input, _, _ in if case .none = input { return true } else { return false } },
        "boolean": { input, _, _ in if case .bool = input { return true } else { return false } },
        "false": { input, _, _ in if case .bool(false) = input { return true } else { return false } },
        "true": { input, _, _ in if case .bool(true) = input { return true } else { return false } },
        "integer": { input, _, _ in if case .int = input { return true } else { return false } },
        "float": { input, _, _ in if case .float = input { return true } else { return false } },
        "number": { input, _, _ in input.isNumber },
        "string": { input, _, _ in input.string != nil },
        "mapping": { input, _, _ in input.dictionary != nil },
        "sequence": { input, _, _ in
            switch input {
            case .string, .list, .dict: return true
            default: return false
            }
        },
        "iterable": { input, _, _ in
            switch input {
            case .string, .list, .dict: return true
            default: return false
            }
        },
        "callable": { _, _, _ in false },
        "odd": { input, _, _ in try integer(input, "odd") % 2 != 0 },
        "even": { input, _, _ in try integer(input, "even") % 2 == 0 },
        "divisibleby": { input, arguments, _ in
            let divisor = try arguments.integer(0, "num", default: 1)
            guard divisor != 0 else { throw RenderFailure("integer division or modulo by zero", kind: .value) }
            return try integer(input, "divisibleby") % divisor == 0
        },
        "lower": { input, _, _ in
            let text = try input.pythonString()
            return text.contains { $0.isCased } && text == text.lowercased()
        },
        "upper": { input, _, _ in
            let text = try input.pythonString()
            return text.contains { $0.isCased } && text == text.uppercased()
        },
        "escaped": { _, _, _ in false },
        "sameas": { input, arguments, _ in
            guard let other = arguments.value(0, "other") else { return false }
            switch (input, other) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.int(let a), .int(let b)): return a == b && a >= -5 && a <= 256
            default: return false
            }
        },
        "in": { input, arguments, _ in
            guard let container = arguments.value(0, "seq") else { throw RenderFailure.type("test_in() missing 1 required positional argument: 'seq'") }
            return try container.pythonContains(input)
        },
        "eq": equal, "equalto": equal, "==": equal,
        "ne": { input, arguments, renderer in !(try equal(input, arguments, renderer)) },
        "!=": { input, arguments, renderer in !(try equal(input, arguments, renderer)) },
        "lt": ordering(.less), "<": ordering(.less),
        "le": ordering(.lessOrEqual), "<=": ordering(.lessOrEqual),
        "gt": ordering(.greater), "greaterthan": ordering(.greater), ">": ordering(.greater),
        "ge": ordering(.greaterOrEqual), ">=": ordering(.greaterOrEqual),
        "lessthan": ordering(.less),
        "filter": { input, _, renderer in renderer.engine.filters[try input.pythonString()] != nil },
        "test": { input, _, renderer in renderer.engine.tests[try input.pythonString()] != nil },
    ]

    private static func integer(_ value: Value, _ test: String) throws(RenderFailure) -> Int {
        if let number = value.integerValue { return number }
        if case .float(let number) = value, number == number.rounded() { return Int(number) }
        throw .type("unsupported operand type(s) for %: '\(value.pythonTypeName)' and 'int'")
    }

    private static let equal: TestFunction = { input, arguments, _ in
        guard let other = arguments.value(0) else { throw RenderFailure.type("test_eq() missing 1 required positional argument") }
        return input.pythonEquals(other)
    }

    private static func ordering(_ op: ComparisonOperator) -> TestFunction {
        { input, arguments, renderer in
            guard let other = arguments.value(0) else { throw RenderFailure.type("missing 1 required positional argument") }
            return try renderer.compare(input, op, other)
        }
    }
}
