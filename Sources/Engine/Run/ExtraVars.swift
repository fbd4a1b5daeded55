import Diagnostics
import PlaybookCore
import Templating

/// `-e` / `--extra-vars` as ansible-playbook reads them: `@file` (YAML/JSON), inline YAML/JSON
/// (text starting with `{` or `[`), or `key=value` pairs (values stay strings).
enum ExtraVars {
    static func parse(_ arguments: [String], yaml: YAMLLoader, workingDirectory: String) throws
        -> [String: VariableLayers.Entry]
    {
        var result: [String: VariableLayers.Entry] = [:]
        for (index, argument) in arguments.enumerated() {
            let origin = SourceLocation(file: "<extra vars \(index + 1)>", line: 1, column: 1)
            if argument.hasPrefix("@") {
                let file = String(argument.dropFirst())
                let path = file.hasPrefix("/") ? file : workingDirectory + "/" + file
                guard let node = try yaml.loadFile(path, displayPath: file) else { continue }
                try merge(node, from: file, into: &result)
            } else if argument.first == "{" || argument.first == "[" {
                guard let node = try yaml.parse(argument, file: origin.file) else { continue }
                try merge(node, from: origin.file, into: &result)
            } else {
                let pairs: [(String, String)]
                do {
                    pairs = try ParseKV.parse(argument, checkRaw: false)
                } catch {
                    throw SourceError("invalid extra vars '\(argument)': unbalanced quotes", at: origin)
                }
                for (key, value) in pairs {
                    guard key != "_raw_params" else {
                        throw SourceError("invalid extra vars '\(argument)': expected key=value", at: origin)
                    }
                    result[key] = .init(.string(value), origin: origin)
                }
            }
        }
        return result
    }

    private static func merge(_ node: YAMLNode, from file: String, into result: inout [String: VariableLayers.Entry]) throws {
        guard let dictionary = node.value.dictionary else {
            throw SourceError("extra vars from '\(file)' must be a dictionary", at: node.location)
        }
        for (key, value) in dictionary {
            result[PythonRepr.text(key)] = .init(value, origin: node.location(at: [key]))
        }
    }
}
