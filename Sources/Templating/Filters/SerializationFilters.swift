import Yams

/// JSON and YAML serialisation filters.
enum SerializationFilters {
    static let table: [String: FilterFunction] = [
        "to_json": { input, arguments, _ in
            var style = JSON.Style()
            try applyJSONOptions(arguments, to: &style)
            return .string(try JSON.dumps(input, style: style))
        },
        "to_nice_json": { input, arguments, _ in
            var style = JSON.Style(indent: 4, sortKeys: true, itemSeparator: ",", keySeparator: ": ")
            try applyJSONOptions(arguments, to: &style)
            style.itemSeparator = ","
            return .string(try JSON.dumps(input, style: style))
        },
        "tojson": { input, arguments, _ in
            let indent = arguments.value(0, "indent").flatMap(\.integerValue)
            let style = JSON.Style(
                indent: indent, sortKeys: true, ensureASCII: true, itemSeparator: indent == nil ? ", " : ",",
                keySeparator: ": ", htmlSafe: true)
            return .string(try JSON.dumps(input, style: style))
        },
        "from_json": { input, _, _ in
            do {
                return try JSON.parse(try input.pythonString().utf8)
            } catch let error as JSONSyntaxError {
                throw RenderFailure(error.description, kind: .value)
            }
        },
        "to_yaml": { input, arguments, _ in
            var emitter = YAMLEmitter()
            try applyYAMLOptions(arguments, to: &emitter)
            return .string(try emitter.dump(input))
        },
        "to_nice_yaml": { input, arguments, _ in
            var emitter = YAMLEmitter(indent: 4, flowStyle: false)
            if let indent = arguments.value(0, "indent")?.integerValue { emitter.indent = indent }
            try applyYAMLOptions(arguments, to: &emitter)
            return .string(try emitter.dump(input))
        },
        "from_yaml": { input, _, _ in
            guard case .string(let text) = input else { return input }
            do {
                guard let node = try Yams.compose(yaml: text) else { return .none }
                return try value(of: node)
            } catch let failure as RenderFailure {
                throw failure
            } catch {
                throw RenderFailure("failed to parse YAML: \(error)", kind: .value)
            }
        },
        "from_yaml_all": { input, _, _ in
            guard case .string(let text) = input else { return input }
            do {
                var documents: [Value] = []
                for node in try Yams.compose_all(yaml: text) { documents.append(try value(of: node)) }
                return .list(documents)
            } catch let failure as RenderFailure {
                throw failure
            } catch {
                throw RenderFailure("failed to parse YAML: \(error)", kind: .value)
            }
        },
    ]

    private static func applyJSONOptions(_ arguments: CallArguments, to style: inout JSON.Style) throws {
        for argument in arguments.keyword {
            switch argument.name {
            case "indent":
                style.indent = argument.value.integerValue
                if style.indent != nil { style.itemSeparator = "," }
            case "sort_keys": style.sortKeys = try argument.value.truthy()
            case "ensure_ascii": style.ensureASCII = try argument.value.truthy()
            case "separators":
                let parts = try argument.value.iterated()
                guard parts.count == 2 else { throw RenderFailure("separators must be a pair", kind: .value) }
                style.itemSeparator = try parts[0].pythonString()
                style.keySeparator = try parts[1].pythonString()
            case "profile", "vault_to_text", "preprocess_unsafe", "allow_nan", "skipkeys", "check_circular": break
            default:
                throw RenderFailure.type("JSONEncoder.__init__() got an unexpected keyword argument '\(argument.name)'")
            }
        }
    }

    private static func applyYAMLOptions(_ arguments: CallArguments, to emitter: inout YAMLEmitter) throws {
        for argument in arguments.keyword {
            switch argument.name {
            case "indent": emitter.indent = argument.value.integerValue ?? emitter.indent
            case "default_flow_style":
                if case .none = argument.value { emitter.flowStyle = nil } else { emitter.flowStyle = try argument.value.truthy() }
            case "sort_keys": emitter.sortKeys = try argument.value.truthy()
            case "width", "allow_unicode", "explicit_start", "explicit_end", "vault_behavior": break
            default:
                throw RenderFailure.type("dump() got an unexpected keyword argument '\(argument.name)'")
            }
        }
    }

    /// A YAML node as a value, with YAML 1.1 implicit typing as PyYAML resolves it.
    static func value(of node: Yams.Node) throws -> Value {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .none
            case .bool: return node.bool.map(Value.bool) ?? .string(scalar.string)
            case .int: return node.int.map(Value.int) ?? .string(scalar.string)
            case .float: return node.float.map(Value.float) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var dictionary = ValueDictionary()
            for (key, value) in mapping { dictionary[try self.value(of: key)] = try self.value(of: value) }
            return .dict(dictionary)
        case .sequence(let sequence):
            return .list(try sequence.map { try value(of: $0) })
        case .alias:
            throw RenderFailure("YAML aliases are not supported here", kind: .value)
        }
    }
}
