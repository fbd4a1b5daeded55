/// Path arithmetic on target paths, which are always POSIX whatever the controller runs.
enum TargetPath {
    /// `/etc/nginx/nginx.conf` → `/etc/nginx`; `file` → `.`; `/file` → `/`.
    static func directory(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `/etc/nginx/nginx.conf` → `nginx.conf`.
    static func basename(_ path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
