import Foundation

/// `lookup('password', 'path chars=ascii_letters,digits length=20')`: reads the password stored
/// in the file, or generates one and stores it there (creating directories) as Ansible does.
/// The path `/dev/null` generates without storing.
enum PasswordLookup {
    static let characterSets: [String: String] = [
        "ascii_letters": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ascii_lowercase": "abcdefghijklmnopqrstuvwxyz",
        "ascii_uppercase": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "digits": "0123456789",
        "hexdigits": "0123456789abcdefABCDEF",
        "octdigits": "01234567",
        "punctuation": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ]

    static func run(_ terms: [Value], _ options: CallArguments, renderer: Renderer) throws -> [Value] {
        try terms.map { term in
            var parts = try term.pythonString().split(separator: " ").map(String.init)
            guard !parts.isEmpty else { throw RenderFailure("the password lookup needs a path", kind: .other) }
            let path = parts.removeFirst()
            var settings: [String: String] = [:]
            for part in parts {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { throw RenderFailure("invalid password lookup parameter '\(part)'", kind: .other) }
                settings[pair[0]] = pair[1]
            }
            for argument in options.keyword { settings[argument.name] = argument.value.displayString }
            let length = Int(settings["length"] ?? "20") ?? 20
            let alphabet = alphabet(settings["chars"])
            guard !alphabet.isEmpty else { throw RenderFailure("the password lookup has no characters to choose from", kind: .other) }
            if path == "/dev/null" { return .string(generate(length: length, alphabet: alphabet)) }
            let file = renderer.context.absolutePath(path)
            if let data = FileManager.default.contents(atPath: file) {
                let content = String(decoding: data, as: UTF8.self)
                let firstLine = content.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                // The file may hold `password salt=…`; the password is everything before ` salt=`.
                let password = firstLine.components(separatedBy: " salt=").first ?? firstLine
                return .string(password)
            }
            let password = generate(length: length, alphabet: alphabet)
            let directory = (file as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: file))
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            } catch {
                throw RenderFailure("the password lookup could not store the password in '\(file)': \(error)", kind: .other)
            }
            return .string(password)
        }
    }

    /// The characters named by `chars=` (set names or literal characters; `,,` is a literal comma).
    static func alphabet(_ spec: String?) -> [Character] {
        guard let spec else {
            return Array((characterSets["ascii_letters"] ?? "") + (characterSets["digits"] ?? "") + ".,:-_")
        }
        var characters = ""
        let pieces = spec.replacingOccurrences(",,", "\u{0}").split(separator: ",")
        for piece in pieces {
            let name = String(piece).replacingOccurrences("\u{0}", ",")
            characters += characterSets[name] ?? name
        }
        var seen = Set<Character>()
        return characters.filter { seen.insert($0).inserted }
    }

    static func generate(length: Int, alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<max(0, length)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
