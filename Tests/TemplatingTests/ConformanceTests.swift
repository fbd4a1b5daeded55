import Foundation
import Templating
import Testing

/// Runs every case of the differential conformance suite (expectations produced by real Jinja2
/// and ansible-core, see Scripts/conformance/generate.py) and requires full agreement.
@Suite struct ConformanceTests {
    static let directory = Bundle.module.url(forResource: "Conformance", withExtension: nil)

    static let groupFiles: [String] = {
        guard let directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test func suiteHasAtLeastFourHundredCases() throws {
        var total = 0
        for file in Self.groupFiles {
            total += try Self.load(file).cases.count
        }
        #expect(total >= 400)
    }

    @Test(arguments: groupFiles) func group(_ file: String) throws {
        let group = try Self.load(file)
        var failures: [String] = []
        for testCase in group.cases {
            if let failure = Self.run(testCase, in: group) { failures.append(failure) }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(group.cases.count) cases differ:\n\(failures.joined(separator: "\n"))")
    }

    struct Group {
        var engine: String
        var mode: String
        var variables: ValueDictionary
        var cases: [ValueDictionary]
    }

    static func load(_ file: String) throws -> Group {
        let url = try #require(directory).appendingPathComponent(file)
        let document = try Value(json: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        let dictionary = try #require(document.dictionary)
        return Group(
            engine: dictionary["engine"]?.string ?? "", mode: dictionary["mode"]?.string ?? "",
            variables: dictionary["vars"]?.dictionary ?? ValueDictionary(),
            cases: (dictionary["cases"]?.array ?? []).compactMap(\.dictionary))
    }

    /// Runs one case; returns a description of the disagreement, or nil when it agrees.
    static func run(_ testCase: ValueDictionary, in group: Group) -> String? {
        let identifier = testCase["id"]?.string ?? "?"
        let template = testCase["template"]?.string ?? ""
        var variables: [String: Value] = [:]
        for (key, value) in group.variables { variables[key.string ?? ""] = value }
        for (key, value) in testCase["vars"]?.dictionary ?? ValueDictionary() { variables[key.string ?? ""] = value }
        var files: [String: String] = [:]
        for (key, value) in testCase["files"]?.dictionary ?? ValueDictionary() { files[key.string ?? ""] = value.string ?? "" }
        let caseOptions = testCase["options"]?.dictionary ?? ValueDictionary()
        let engine = TemplateEngine(loader: InMemoryTemplateLoader(files))
        let scope = DictionaryScope(variables)
        let expected = testCase["expected"]?.dictionary ?? ValueDictionary()
        do {
            let actual: Value
            switch (group.engine, group.mode) {
            case ("jinja", _):
                var options = TemplateOptions.jinjaDefaults
                apply(caseOptions, to: &options)
                actual = .string(try engine.render(template, name: identifier, scope: scope, options: options))
            case (_, "expression"):
                actual = try engine.evaluateExpression(template, at: nil, scope: scope)
            case (_, "file"):
                var options = TemplateOptions.templateModule
                apply(caseOptions, to: &options)
                actual = .string(try engine.render(template, name: identifier, scope: scope, options: options))
            default:
                actual = try engine.evaluate(template, at: nil, scope: scope)
            }
            if let error = expected["error"]?.string {
                return "\(identifier): expected error \(error), got \(actual.reprDescription)  template: \(template)"
            }
            if let output = expected["output"]?.string {
                return actual.string == output
                    ? nil : "\(identifier): expected \(Value.string(output).reprDescription), got \(actual.reprDescription)  template: \(template)"
            }
            let type = expected["type"]?.string ?? ""
            let repr = expected["repr"]?.string ?? ""
            if actual.typeName == type && actual.reprDescription == repr { return nil }
            return "\(identifier): expected \(type) \(repr), got \(actual.typeName) \(actual.reprDescription)  template: \(template)"
        } catch {
            if expected["error"] != nil { return nil }
            return "\(identifier): unexpected error \(error)  template: \(template)"
        }
    }

    static func apply(_ caseOptions: ValueDictionary, to options: inout TemplateOptions) {
        for (key, value) in caseOptions {
            let flag = value == .bool(true)
            switch key.string {
            case "trim_blocks": options.trimBlocks = flag
            case "lstrip_blocks": options.lstripBlocks = flag
            case "keep_trailing_newline": options.keepTrailingNewline = flag
            default: break
            }
        }
    }
}
