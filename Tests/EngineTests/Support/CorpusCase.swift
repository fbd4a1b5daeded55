import Foundation

/// One differential corpus case: a playbook (or a directory with `site.yml`) that ends in
/// asserts, its extra command-line arguments (`#ARGS:`) and the one expectation its twin gets
/// wrong (`#WRONG: old => new`).
struct CorpusCase: Sendable, CustomStringConvertible {
    let name: String
    let source: String
    let isDirectory: Bool

    var description: String { name }

    /// `#OUTPUT: differs …` marks a case whose output is not comparable line for line (async job ids,
    /// timing-dependent retries); its recap still is.
    var outputMayDiffer: Bool {
        let playbook = isDirectory ? source + "/site.yml" : source
        let text = (try? String(contentsOfFile: playbook, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").contains { $0.hasPrefix("#OUTPUT: differs") }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Corpus").path

    static var all: [CorpusCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
            if !isDirectory.boolValue && !name.hasSuffix(".yml") { return nil }
            return CorpusCase(name: name, source: path, isDirectory: isDirectory.boolValue)
        }
    }

    /// Copies the case into a fresh directory; returns it and the playbook's name there.
    func materialize(twin: Bool, interpreter: String) throws -> (directory: String, arguments: [String]) {
        let work = NSTemporaryDirectory() + "stackplay-corpus-" + UUID().uuidString
        if isDirectory {
            try FileManager.default.copyItem(atPath: source, toPath: work)
        } else {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: work + "/site.yml")
        }
        let playbook = work + "/site.yml"
        var text = try String(contentsOfFile: playbook, encoding: .utf8)
        let header = text.split(separator: "\n").filter { $0.hasPrefix("#") }
        let arguments = header.first { $0.hasPrefix("#ARGS: ") }.map { ShellWords.split(String($0.dropFirst(7))) } ?? []
        if twin {
            guard let wrong = header.first(where: { $0.hasPrefix("#WRONG: ") }),
                let arrow = wrong.range(of: " => ")
            else { throw CorpusError("case '\(name)' has no #WRONG line") }
            let old = String(wrong[wrong.index(wrong.startIndex, offsetBy: 8)..<arrow.lowerBound])
            let new = String(wrong[arrow.upperBound...])
            let body = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("#WRONG") }.joined(separator: "\n")
            guard let range = body.range(of: old) else { throw CorpusError("case '\(name)': '\(old)' not found") }
            text = body.replacingCharacters(in: range, with: new)
            try text.write(toFile: playbook, atomically: true, encoding: .utf8)
        }
        let inventory = "localhost ansible_connection=local ansible_python_interpreter=\(interpreter)\n"
        try inventory.write(toFile: work + "/inventory", atomically: true, encoding: .utf8)
        return (work, ["-i", work + "/inventory", playbook] + arguments)
    }
}

struct CorpusError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Splits `#ARGS:` text like a shell: spaces separate words, single and double quotes group.
enum ShellWords {
    static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
