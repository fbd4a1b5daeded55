import Diagnostics
import Foundation
import Templating
import Yams

/// Parses YAML text into located ``YAMLNode`` trees, typing scalars as Ansible's loader does.
///
/// Uses Yams' Node API (libyaml underneath), which keeps marks; its Codable path would drop them.
/// Aliases are expanded, merge keys applied, `!vault` values decrypted with ``vault``, and every
/// syntax error, duplicate key or bad tag becomes a ``LoadError`` at the offending position.
public struct YAMLLoader: Sendable {
    /// Secrets for `!vault` values and vault-encrypted files.
    public var vault: VaultSecrets

    public init(vault: VaultSecrets = VaultSecrets()) {
        self.vault = vault
    }

    /// Yams resolves (and stores, mutating the tag) the tags of mapping keys when it checks for
    /// duplicates. This resolver turns every untagged plain scalar into ``plainTag`` so that the
    /// converter still sees "untagged" and types it with YAML 1.1 rules itself; `^` matches at once.
    static let plainTag = "tag:stackplay,2026:plain"
    static let resolver: Resolver =
        (try? Resolver.Rule(Tag.Name(rawValue: plainTag), "^")).map { Resolver.basic.appending($0) } ?? .basic

    /// Reads and parses a file; a file that is vault-encrypted as a whole is decrypted first.
    /// `displayPath` is the path errors show (as the user wrote it); defaults to `path`.
    public func loadFile(_ path: String, displayPath: String? = nil) throws -> YAMLNode? {
        let shown = displayPath ?? path
        let text = try Self.readText(path, displayPath: shown)
        return try parse(try decryptIfVaulted(text, file: shown), file: shown)
    }

    /// Parses one YAML document. Returns nil for an empty document.
    public func parse(_ text: String, file: String) throws -> YAMLNode? {
        let text = Self.untabbedJSON(text)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, Self.resolver)
        } catch let error as YamlError {
            throw YAMLErrorMapper.map(error, text: text, file: file)
        }
        guard let root else { return nil }
        var converter = NodeConverter(file: file, vault: vault, text: text)
        return try converter.convert(root)
    }

    /// Parses every document of a multi-document stream.
    public func parseAll(_ text: String, file: String) throws -> [YAMLNode] {
        var converter = NodeConverter(file: file, vault: vault, text: text)
        var nodes: [YAMLNode] = []
        do {
            for root in try Yams.compose_all(yaml: text, Self.resolver) {
                nodes.append(try converter.convert(root))
            }
        } catch let error as YamlError {
            throw YAMLErrorMapper.map(error, text: text, file: file)
        }
        return nodes
    }

    /// Ansible reads JSON with a JSON parser first, so tab-indented JSON loads; YAML forbids those
    /// tabs. For text that starts like JSON, tabs outside strings become spaces (one column each,
    /// as libyaml counts them, so locations do not move).
    static func untabbedJSON(_ text: String) -> String {
        guard text.contains("\t"), let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "["
        else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                result.append(character)
            } else {
                if character == "\"" { inString = true }
                result.append(character == "\t" ? " " : character)
            }
        }
        return result
    }

    /// The file's text, with a located error when it is missing or unreadable.
    static func readText(_ path: String, displayPath: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError("could not read file '\(displayPath)'", at: nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError("file '\(displayPath)' is not UTF-8 text", at: SourceLocation(file: displayPath, line: 1, column: 1))
        }
        return text
    }

    func decryptIfVaulted(_ text: String, file: String) throws -> String {
        guard VaultSecrets.isEncrypted(text) else { return text }
        do {
            return try vault.decrypt(text)
        } catch let error as VaultError {
            throw LoadError("\(error) in '\(file)'", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

/// Turns Yams nodes into ``YAMLNode``s.
struct NodeConverter {
    let file: String
    let vault: VaultSecrets
    /// The source, split into lines lazily, to find where block scalars' content starts.
    let text: String
    private var lines: [Substring]?

    init(file: String, vault: VaultSecrets, text: String) {
        self.file = file
        self.vault = vault
        self.text = text
    }

    /// The indentation of a block scalar's first non-blank content line (the indicator is on `line`).
    private mutating func blockIndent(afterLine line: Int) -> Int? {
        if lines == nil { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }
        guard let lines else { return nil }
        var index = line
        while index < lines.count {
            let current = lines[index]
            let indent = current.prefix { $0 == " " }.count
            if indent < current.count { return indent }
            index += 1
        }
        return nil
    }

    mutating func convert(_ node: Node) throws -> YAMLNode {
        let location = self.location(node.mark)
        switch node {
        case .scalar(let scalar):
            return YAMLNode(.scalar(try convertScalar(scalar, at: location)), at: location)
        case .sequence(let sequence):
            return YAMLNode(.sequence(try sequence.map { try convert($0) }), at: location)
        case .mapping(let mapping):
            return YAMLNode(.mapping(try convertMapping(mapping)), at: location)
        case .alias(let alias):
            throw LoadError("found undefined alias '\(alias.anchor.rawValue)'", at: self.location(alias.mark))
        }
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private mutating func convertMapping(_ mapping: Node.Mapping) throws -> [YAMLPair] {
        var merged: [YAMLPair] = []
        var own: [YAMLPair] = []
        for (keyNode, valueNode) in mapping {
            if isMergeKey(keyNode) {
                merged = try mergeSources(convert(valueNode), into: merged)
                continue
            }
            own.append(YAMLPair(key: try convert(keyNode), value: try convert(valueNode)))
        }
        guard !merged.isEmpty else { return own }
        // PyYAML puts merged pairs first; explicit keys override them in place.
        var result = merged
        for pair in own {
            if let index = result.firstIndex(where: { $0.key.scalar?.value == pair.key.scalar?.value }) {
                result[index] = pair
            } else {
                result.append(pair)
            }
        }
        return result
    }

    private func isMergeKey(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.string == "<<" else { return false }
        let tag = scalar.tag.rawValue
        return scalar.style == .plain && (tag.isEmpty || tag == YAMLLoader.plainTag || tag == Tag.Name.merge.rawValue)
    }

    /// Applies a `<<` value: one mapping, or a list of mappings where earlier ones win.
    private func mergeSources(_ source: YAMLNode, into existing: [YAMLPair]) throws -> [YAMLPair] {
        let mappings: [[YAMLPair]]
        if let pairs = source.pairs {
            mappings = [pairs]
        } else if let elements = source.elements {
            mappings = try elements.map { element in
                guard let pairs = element.pairs else {
                    throw LoadError(
                        "expected a mapping for merging, but found \(element.kindDescription)", at: element.location)
                }
                return pairs
            }
        } else {
            throw LoadError(
                "expected a mapping or list of mappings for merging, but found \(source.kindDescription)",
                at: source.location)
        }
        var result = existing
        for pairs in mappings {
            for pair in pairs where !result.contains(where: { $0.key.scalar?.value == pair.key.scalar?.value }) {
                result.append(pair)
            }
        }
        return result
    }

    private mutating func convertScalar(_ scalar: Node.Scalar, at location: SourceLocation) throws -> YAMLScalar {
        var result = try scalarContent(scalar, at: location)
        if result.style == .literal || result.style == .folded {
            result.blockIndent = blockIndent(afterLine: location.line)
        }
        return result
    }

    private func scalarContent(_ scalar: Node.Scalar, at location: SourceLocation) throws -> YAMLScalar {
        let style = Self.style(scalar.style)
        let tagName = scalar.tag.rawValue
        let text = scalar.string
        switch tagName {
        case "", YAMLLoader.plainTag:
            let value = style == .plain ? YAML11Scalars.resolvePlain(text) : .string(text)
            return YAMLScalar(text: text, style: style, tag: nil, value: value)
        case Tag.Name.str.rawValue where style != .plain:
            // libyaml reports quoted and block scalars as implicitly `!!str`; they were written untagged.
            return YAMLScalar(text: text, style: style, tag: nil, value: .string(text))
        case "!":
            return YAMLScalar(text: text, style: style, tag: tagName, value: .string(text))
        case "!unsafe":
            return YAMLScalar(
                text: text, style: style, tag: tagName, value: .string(UnsafeText.protect(text)), isUnsafe: true)
        case "!vault", "!vault-encrypted":
            do {
                let plaintext = try vault.decrypt(text)
                return YAMLScalar(text: plaintext, style: style, tag: tagName, value: .string(plaintext))
            } catch let error as VaultError {
                // As in Ansible, a value that cannot be decrypted fails only when it is used.
                let hint = "cannot decrypt the '!vault' value at \(location): \(error)"
                return YAMLScalar(text: text, style: style, tag: tagName, value: .undefined(Undefined(hint: hint)))
            }
        default:
            return YAMLScalar(text: text, style: style, tag: tagName, value: try Self.typed(text, tag: tagName, at: location))
        }
    }

    /// A scalar with an explicit standard tag (`!!str`, `!!int`, …).
    private static func typed(_ text: String, tag: String, at location: SourceLocation) throws -> Value {
        let failure = LoadError("cannot convert '\(text)' to the type of tag '\(shortTag(tag))'", at: location)
        switch tag {
        case Tag.Name.str.rawValue:
            return .string(text)
        case Tag.Name.null.rawValue:
            return .none
        case Tag.Name.bool.rawValue:
            guard let value = YAML11Scalars.bool(text) else { throw failure }
            return value
        case Tag.Name.int.rawValue:
            guard let value = YAML11Scalars.int(text) else { throw failure }
            return .int(value)
        case Tag.Name.float.rawValue:
            if let value = YAML11Scalars.float(text) { return .float(value) }
            guard let int = YAML11Scalars.int(text) else { throw failure }
            return .float(Double(int))
        case Tag.Name.binary.rawValue, Tag.Name.timestamp.rawValue:
            return .string(text)
        default:
            throw LoadError("could not determine a constructor for the tag '\(shortTag(tag))'", at: location)
        }
    }

    private static func shortTag(_ tag: String) -> String {
        tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
    }

    private static func style(_ style: Node.Scalar.Style) -> YAMLScalar.Style {
        switch style {
        case .singleQuoted: return .singleQuoted
        case .doubleQuoted: return .doubleQuoted
        case .literal: return .literal
        case .folded: return .folded
        default: return .plain
        }
    }
}
