import Foundation
import Templating

/// File-system lookups used by loops: `fileglob` and `first_found`.
enum FileLookups {
    /// Files (not directories) matching a shell pattern; relative patterns are searched in
    /// `searchPaths` (role `files/`, playbook dir) and the first directory with matches wins.
    static func glob(_ pattern: String, searchPaths: [String]) -> [Value] {
        let candidates = pattern.hasPrefix("/") ? [pattern] : searchPaths.map { $0 + "/" + pattern }
        for candidate in candidates {
            let matches = match(candidate)
            if !matches.isEmpty { return matches.map(Value.string) }
        }
        return []
    }

    private static func match(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glob.run(pattern, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            guard let pointer = result.gl_pathv[index] else { continue }
            let path = String(cString: pointer)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(path)
            }
        }
        return paths.sorted()
    }

    /// The first existing file among `terms` (strings, lists, or `{files:, paths:, skip:}` dicts).
    static func firstFound(_ terms: [Value], searchPaths: [String]) -> String? {
        var files: [String] = []
        var paths: [String] = []
        for term in terms {
            if let dictionary = term.dictionary {
                files += strings(dictionary["files"])
                paths += strings(dictionary["paths"])
            } else {
                files += strings(term)
            }
        }
        let directories = paths.isEmpty ? searchPaths : paths
        for file in files {
            if file.hasPrefix("/") {
                if FileManager.default.fileExists(atPath: file) { return file }
                continue
            }
            for directory in directories {
                let path = directory + "/" + file
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Whether a `{files:, skip: true}` term asks for no items instead of an error (the last dict's
    /// `skip` counts, as each dict term sets first_found's options in turn).
    static func skipsWhenNothingIsFound(_ terms: [Value]) -> Bool {
        // The option is a boolean: true, or what Ansible's boolean conversion accepts as true.
        switch terms.compactMap({ $0.dictionary }).last?["skip"] {
        case .some(.bool(let flag)): return flag
        case .some(.int(let number)): return number == 1
        case .some(.string(let text)): return ["yes", "on", "true", "1", "y", "t"].contains(text.lowercased())
        default: return false
        }
    }

    /// A string (split on `,` and `;` as first_found does) or a list of strings.
    private static func strings(_ value: Value?) -> [String] {
        switch value {
        case .some(.string(let text)):
            return text.split(whereSeparator: { $0 == "," || $0 == ";" }).map(String.init)
        case .some(.list(let items)): return items.flatMap { strings($0) }
        default: return []
        }
    }
}

/// `glob(3)` without the Glibc/Darwin signature differences leaking into callers.
private enum Glob {
    static func run(_ pattern: String, _ result: inout glob_t) -> Int32 {
        #if canImport(Glibc)
            return Glibc.glob(pattern, 0, nil, &result)
        #else
            return Darwin.glob(pattern, 0, nil, &result)
        #endif
    }
}
