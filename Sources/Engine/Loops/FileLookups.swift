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

    /// Where `name` is: itself when absolute, else the first search path holding it.
    static func resolve(_ name: String, searchPaths: [String]) -> String? {
        if name.hasPrefix("/") { return FileManager.default.fileExists(atPath: name) ? name : nil }
        return searchPaths.map { $0 + "/" + name }.first { FileManager.default.fileExists(atPath: $0) }
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
