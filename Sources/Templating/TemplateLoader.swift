import Foundation

/// A template's source text as a loader found it.
public struct LoadedTemplate: Sendable, Hashable {
    /// The name errors are reported under (usually the file path).
    public var name: String
    public var source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}

/// Finds templates by name for `{% include %}`, `{% import %}`, `{% extends %}` and
/// `lookup('template', …)`.
public protocol TemplateLoader: Sendable {
    /// The template called `name`, or nil when there is none. `referrer` is the name of the
    /// template asking (so relative names can be resolved next to it), nil at the top level.
    func loadTemplate(named name: String, referrer: String?) throws -> LoadedTemplate?
}

/// Loads templates from files: absolute paths as given, relative names from each search path in
/// order (a role's `templates/`, then the playbook directory, as Ansible searches), then next to
/// the referring template.
public struct FileSystemTemplateLoader: TemplateLoader {
    public var searchPaths: [String]

    public init(searchPaths: [String]) {
        self.searchPaths = searchPaths
    }

    public func loadTemplate(named name: String, referrer: String?) throws -> LoadedTemplate? {
        var candidates: [String] = []
        if name.hasPrefix("/") {
            candidates = [name]
        } else {
            candidates = searchPaths.map { ($0 as NSString).appendingPathComponent(name) }
            if let referrer, referrer.contains("/") {
                candidates.append(((referrer as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name))
            }
        }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            return LoadedTemplate(name: path, source: String(decoding: data, as: UTF8.self))
        }
        return nil
    }
}

/// Templates held in memory; for tests and for templates that come from strings.
public struct InMemoryTemplateLoader: TemplateLoader {
    public var templates: [String: String]

    public init(_ templates: [String: String]) {
        self.templates = templates
    }

    public func loadTemplate(named name: String, referrer: String?) throws -> LoadedTemplate? {
        templates[name].map { LoadedTemplate(name: name, source: $0) }
    }
}
