import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The variables ansible-core adds while rendering a template file (the `template` module and
/// `lookup('template', …)`): `template_host`, `template_path`, `template_fullpath`,
/// `template_destpath`, `template_uid`, `template_mtime`, `template_run_date` and, unless the
/// play defines it, `ansible_managed`.
public enum TemplateFileVariables {
    /// ansible-core's default for `[defaults] ansible_managed`.
    public static let defaultManaged = "Ansible managed"

    /// The variables for the template at `fullPath` (`path` as the task wrote it).
    public static func make(
        path: String, fullPath: String, destination: String?, managedFormat: String, includeManaged: Bool
    ) -> ValueDictionary {
        let attributes = (try? FileManager.default.attributesOfItem(atPath: fullPath)) ?? [:]
        let modified = (attributes[.modificationDate] as? Date ?? Date()).timeIntervalSince1970
        let owner: Value
        if let name = attributes[.ownerAccountName] as? String {
            owner = .string(name)
        } else {
            owner = .int((attributes[.ownerAccountID] as? NSNumber)?.intValue ?? Int(getuid()))
        }
        let host = hostName()
        var variables = ValueDictionary()
        variables["template_host"] = .string(host)
        variables["template_path"] = .string(path)
        variables["template_mtime"] = .string(pythonDateTime(modified))
        variables["template_uid"] = owner
        variables["template_run_date"] = .string(pythonDateTime(Date().timeIntervalSince1970))
        variables["template_destpath"] = destination.map(Value.string) ?? Value.none
        variables["template_fullpath"] = .string(fullPath)
        if includeManaged {
            variables["ansible_managed"] = .string(
                managed(managedFormat, modified: modified, host: host, uid: owner.displayString, file: path))
        }
        return variables
    }

    /// A scope with the template variables over `base`; `ansible_managed` only when `base` lacks it.
    public static func scope(
        over base: any VariableScope, path: String, fullPath: String, destination: String?, managedFormat: String
    ) throws -> any VariableScope {
        let includeManaged = try base.value(of: "ansible_managed") == nil
        let variables = make(
            path: path, fullPath: fullPath, destination: destination, managedFormat: managedFormat,
            includeManaged: includeManaged)
        return TemplateFileScope(base: base, overrides: variables)
    }

    /// ansible-core's `_generate_ansible_managed`: `str.format` with `{host}`, `{uid}` and `{file}`,
    /// then `time.strftime` with the template's modification time.
    static func managed(_ format: String, modified: Double, host: String, uid: String, file: String) -> String {
        // Placeholders strftime leaves alone, so `%` in a path or host name is not a directive.
        let placeholders = ["host": "\u{1}h\u{1}", "uid": "\u{1}u\u{1}", "file": "\u{1}f\u{1}"]
        var formatted = ""
        var characters = Substring(format)
        while let first = characters.first {
            if first == "{" || first == "}", characters.dropFirst().first == first {
                formatted.append(first)
                characters = characters.dropFirst(2)
            } else if first == "{", let close = characters.firstIndex(of: "}"),
                let placeholder = placeholders[String(characters[characters.index(after: characters.startIndex)..<close])]
            {
                formatted += placeholder
                characters = characters[characters.index(after: close)...]
            } else {
                formatted.append(first)
                characters = characters.dropFirst()
            }
        }
        return strftime(formatted, time: modified)
            .replacingOccurrences(of: placeholders["host"]!, with: host)
            .replacingOccurrences(of: placeholders["uid"]!, with: uid)
            .replacingOccurrences(of: placeholders["file"]!, with: file)
    }

    /// `time.strftime(format, time.localtime(seconds))`.
    static func strftime(_ format: String, time seconds: Double) -> String {
        guard format.contains("%") else { return format }
        var clock = time_t(seconds)
        var parts = tm()
        localtime_r(&clock, &parts)
        var size = 256
        while size <= 65536 {
            var buffer = [CChar](repeating: 0, count: size)
            let count = cStrftime(&buffer, size, format, &parts)
            if count > 0 || format.isEmpty {
                return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            size *= 4
        }
        return format
    }

    /// `str(datetime.fromtimestamp(seconds))`: `2026-01-31 12:34:56.789012` in local time.
    static func pythonDateTime(_ seconds: Double) -> String {
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded(.down))
        let base = strftime("%Y-%m-%d %H:%M:%S", time: whole)
        return micros == 0 ? base : base + "." + String(format: "%06d", micros)
    }

    private static func hostName() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.nodename) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

#if canImport(Glibc)
    private let cStrftime = Glibc.strftime
#elseif canImport(Musl)
    private let cStrftime = Musl.strftime
#elseif canImport(Darwin)
    private let cStrftime = Darwin.strftime
#endif

/// Template variables layered over a task's scope, keeping its lookup context.
struct TemplateFileScope: VariableScope, LookupContextProviding {
    let base: any VariableScope
    let overrides: ValueDictionary

    func value(of name: String) throws -> Value? {
        if let value = overrides[name] { return value }
        return try base.value(of: name)
    }

    func variableNames() -> [String] {
        let extra = overrides.keys.compactMap(\.string)
        let known = Set(extra)
        return extra + base.variableNames().filter { !known.contains($0) }
    }

    var lookupContext: LookupContext {
        (base as? any LookupContextProviding)?.lookupContext ?? .current
    }
}
