import Diagnostics
import Foundation
import PlaybookCore
import Synchronization
import Templating

/// A play's `vars_files`, read the way ansible-core's VariableManager reads them on every
/// `get_vars`: each entry is templated with the variables known at that point (play vars, prompt
/// answers, extra vars, and on a host its inventory variables and facts); a list entry means "the
/// first of these that exists"; a file found nowhere is skipped silently (ansible-core 2.21 no
/// longer fails); an entry using an undefined variable is skipped with a warning.
public struct VarsFiles: Sendable {
    struct Entry: Sendable {
        var candidates: [Value]
        var location: SourceLocation?
    }

    /// One reading of the entries: the merged variables and the entries skipped as undefined.
    struct Reading {
        var variables = ValueDictionary()
        var undefinedEntries: [SourceLocation?] = []
    }

    static let undefinedWarning = "skipping vars_files item due to an undefined variable"

    let entries: [Entry]
    let directory: String
    private let loader: PlaybookLoader
    private let cache: FileCache

    /// Whether an entry is a template, so that what it names can differ by host and over the run.
    let isTemplated: Bool

    init(_ play: Play, loader: PlaybookLoader) {
        entries = play.varsFiles.map { Entry(candidates: $0.value.array ?? [$0.value], location: $0.location) }
        directory = play.directory
        self.loader = loader
        cache = FileCache()
        isTemplated = entries.contains { $0.candidates.contains { Template.containsTemplate($0) } }
    }

    /// Reads every entry with `scope`; a file that exists but does not load is an error.
    func read(in scope: TaskScope) throws -> Reading {
        var reading = Reading()
        for entry in entries {
            do {
                guard let path = try firstExisting(entry, scope: scope) else { continue }
                for (key, value) in try cache.variables(at: path, loader: loader) { reading.variables[key] = value }
            } catch let error as TemplateError where error.isUndefinedVariable {
                reading.undefinedEntries.append(entry.location)
            }
        }
        return reading
    }

    /// The undefined-variable warning for an entry, once per entry and run as ansible-core's
    /// de-duplicated display shows it.
    func warnOnce(about location: SourceLocation?, emit: (String) -> Void) {
        let origin = location.map { "\($0.file):\($0.line):\($0.column)" } ?? ""
        if cache.firstWarning(for: origin) {
            emit(location == nil ? Self.undefinedWarning : "\(Self.undefinedWarning)\nOrigin: \(origin)")
        }
    }

    private func firstExisting(_ entry: Entry, scope: TaskScope) throws -> String? {
        for candidate in entry.candidates {
            let rendered = try scope.template(candidate, at: entry.location)
            guard case .string(let name) = rendered else {
                throw SourceError(
                    "Invalid `vars_files` value of type '\(rendered.typeName)'. "
                        + "A `vars_files` value should either be a string or list of strings.",
                    at: entry.location)
            }
            if let path = search(name) { return path }
        }
        return nil
    }

    /// ansible-core's `path_dwim_relative_stack(…, 'vars', name)`: `<play dir>/vars/<name>`, then
    /// `<play dir>/<name>`; an absolute or `~` path is taken as it is.
    private func search(_ name: String) -> String? {
        let candidates: [String]
        if name.hasPrefix("/") || name.hasPrefix("~") {
            candidates = [(name as NSString).expandingTildeInPath]
        } else if name.split(separator: "/").first == "vars" {
            candidates = [directory + "/" + name]
        } else {
            candidates = [directory + "/vars/" + name, directory + "/" + name]
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}

/// Each vars file is parsed once per run, however many hosts and tasks read it; also remembers
/// which undefined-entry warnings were shown.
private final class FileCache: Sendable {
    private let files = Mutex<[String: ValueDictionary]>([:])
    private let warned = Mutex<Set<String>>([])

    func variables(at path: String, loader: PlaybookLoader) throws -> ValueDictionary {
        if let cached = files.withLock({ $0[path] }) { return cached }
        let loaded = try loader.loadVariablesFile(path).dictionary
        files.withLock { $0[path] = loaded }
        return loaded
    }

    func firstWarning(for origin: String) -> Bool {
        warned.withLock { $0.insert(origin).inserted }
    }
}
