import Foundation

/// ansible-core's general filters: type conversion, ternary, mandatory, paths, sizes, math, random.
enum AnsibleFilters {
    static let table: [String: FilterFunction] = [
        "bool": { input, _, _ in
            switch input {
            case .bool(let flag): return .bool(flag)
            case .string(let text):
                let lowered = text.lowercased()
                if ["yes", "on", "true", "1"].contains(lowered) { return .bool(true) }
                return .bool(false)
            case .int(let number): return .bool(number == 1)
            case .float(let number): return .bool(number == 1)
            default: return .bool(false)
            }
        },
        "ternary": { input, arguments, _ in
            guard let whenTrue = arguments.value(0, "true_val"), let whenFalse = arguments.value(1, "false_val") else {
                throw RenderFailure.type("ternary() missing required positional arguments: 'true_val' and 'false_val'")
            }
            if case .none = input, let whenNone = arguments.value(2, "none_val"), whenNone != .none { return whenNone }
            return try input.truthy() ? whenTrue : whenFalse
        },
        "mandatory": { input, arguments, _ in
            guard case .undefined(let undefined) = input else { return input }
            if let message = arguments.value(0, "msg"), message != .none {
                throw RenderFailure(try message.pythonString(), kind: .other)
            }
            let name = undefined.hint.hasSuffix(" is undefined") ? String(undefined.hint.dropLast(13)) + " " : ""
            throw RenderFailure("Mandatory variable \(name)not defined.", kind: .other)
        },
        "type_debug": { input, _, _ in .string(input.pythonTypeName) },
        "basename": { input, _, _ in
            let path = try input.pythonString()
            guard let slash = path.lastIndex(of: "/") else { return .string(path) }
            return .string(String(path[path.index(after: slash)...]))
        },
        "dirname": { input, _, _ in
            let path = try input.pythonString()
            guard let slash = path.lastIndex(of: "/") else { return "" }
            var head = String(path[...slash])
            if !head.allSatisfy({ $0 == "/" }) { while head.hasSuffix("/") { head.removeLast() } }
            return .string(head)
        },
        "expanduser": { input, _, _ in .string((try input.pythonString() as NSString).expandingTildeInPath) },
        "expandvars": { input, _, renderer in
            var text = try input.pythonString()
            for (name, value) in renderer.context.environment.sorted(by: { $0.key.count > $1.key.count }) {
                text = text.replacingOccurrences("${\(name)}", value).replacingOccurrences("$\(name)", value)
            }
            return .string(text)
        },
        "realpath": { input, _, _ in .string((try input.pythonString() as NSString).resolvingSymlinksInPath) },
        "relpath": { input, arguments, _ in
            let path = try input.pythonString().split(separator: "/")
            let start = try arguments.string(0, "start", default: FileManager.default.currentDirectoryPath).split(separator: "/")
            var common = 0
            while common < min(path.count, start.count) && path[common] == start[common] { common += 1 }
            let parts = Array(repeating: "..", count: start.count - common) + path[common...].map(String.init)
            return .string(parts.isEmpty ? "." : parts.joined(separator: "/"))
        },
        "splitext": { input, _, _ in
            let path = try input.pythonString()
            let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
            let name = path[slash...]
            let nameStart = name.firstIndex(where: { $0 != "." }) ?? name.endIndex
            guard let dot = name[nameStart...].lastIndex(of: ".") else { return .list([.string(path), ""]) }
            return .list([.string(String(path[..<dot])), .string(String(path[dot...]))])
        },
        "path_join": { input, _, _ in
            let parts = try (input.array ?? [input]).map { try $0.pythonString() }
            var result = ""
            for part in parts {
                if part.hasPrefix("/") || result.isEmpty { result = part } else if result.hasSuffix("/") { result += part } else { result += "/" + part }
            }
            return .string(result)
        },
        "win_basename": { input, _, _ in
            .string(String(try input.pythonString().split(whereSeparator: { $0 == "\\" || $0 == "/" }).last ?? ""))
        },
        "human_readable": { input, arguments, _ in
            let isBits = try arguments.bool(0, "isbits", default: false)
            let unit = try arguments.value(1, "unit").flatMap { value -> String? in
                if case .none = value { return nil }
                return try value.pythonString()
            }
            return .string(try SizeFormatting.bytesToHuman(input, isBits: isBits, unit: unit))
        },
        "human_to_bytes": { input, arguments, _ in
            let defaultUnit = try arguments.value(0, "default_unit").flatMap { value -> String? in
                if case .none = value { return nil }
                return try value.pythonString()
            }
            return .int(try SizeFormatting.humanToBytes(try input.pythonString(), defaultUnit: defaultUnit, isBits: try arguments.bool(1, "isbits", default: false)))
        },
        "log": { input, arguments, _ in
            guard let number = input.numericValue else { throw RenderFailure("log() can only be used on numbers", kind: .other) }
            if let base = arguments.value(0, "base")?.numericValue { return .float(Foundation.log(number) / Foundation.log(base)) }
            return .float(Foundation.log(number))
        },
        "pow": { input, arguments, _ in
            guard let number = input.numericValue, let exponent = arguments.value(0, "y")?.numericValue else {
                throw RenderFailure("pow() can only be used on numbers", kind: .other)
            }
            return .float(Foundation.pow(number, exponent))
        },
        "root": { input, arguments, _ in
            guard let number = input.numericValue else { throw RenderFailure("root() can only be used on numbers", kind: .other) }
            let base = arguments.value(0, "base")?.numericValue ?? 2
            if base == 2 { return .float(number.squareRoot()) }
            return .float(Foundation.pow(number, 1 / base))
        },
        "random": { input, arguments, _ in
            let seed = arguments.value(2, "seed").flatMap { $0 == .none ? nil : $0 }
            var generator = try MersenneTwister.make(seed: seed)
            switch input {
            case .int(let end):
                let start = arguments.value(0, "start").flatMap(\.integerValue) ?? 0
                let step = arguments.value(1, "step").flatMap(\.integerValue).map { $0 == 0 ? 1 : $0 } ?? 1
                let count = step > 0 ? (end - start + step - 1) / step : (end - start + step + 1) / step
                guard count > 0 else { throw RenderFailure("empty range for randrange()", kind: .value) }
                return .int(start + step * generator.below(count))
            case .list, .string, .dict:
                if arguments.value(0, "start")?.integerValue ?? 0 != 0 || arguments.value(1, "step")?.integerValue ?? 0 != 0 {
                    throw RenderFailure("start and step can only be used with integer values", kind: .other)
                }
                let items = try input.iterated()
                guard !items.isEmpty else { throw RenderFailure("Cannot choose from an empty sequence", kind: .other) }
                return items[generator.below(items.count)]
            default:
                throw RenderFailure("random can only be used on sequences and integers", kind: .other)
            }
        },
        "shuffle": { input, arguments, _ in
            var items = try input.iterated()
            let seed = arguments.value(0, "seed").flatMap { $0 == .none ? nil : $0 }
            var generator = try MersenneTwister.make(seed: seed)
            var index = items.count - 1
            while index > 0 {
                let other = generator.below(index + 1)
                items.swapAt(index, other)
                index -= 1
            }
            return .list(items)
        },
        "urlsplit": { input, arguments, _ in
            let parts = try URLSplitting.split(try input.pythonString())
            guard let query = arguments.value(0, "query"), query != .string("") else { return .dict(parts) }
            let name = try query.pythonString()
            guard let value = parts[name] else { throw RenderFailure("urlsplit: unknown URL component: \(name)", kind: .other) }
            return value
        },
    ]
}

/// Ansible's `bytes_to_human` / `human_to_bytes`.
enum SizeFormatting {
    static let ranges: [(String, Double)] = [
        ("Y", 0x1p80), ("Z", 0x1p70), ("E", 0x1p60), ("P", 0x1p50), ("T", 0x1p40), ("G", 0x1p30), ("M", 0x1p20),
        ("K", 0x1p10), ("B", 1),
    ]

    static func bytesToHuman(_ value: Value, isBits: Bool, unit: String?) throws -> String {
        guard let size = value.numericValue ?? Double(value.string ?? "") else {
            throw RenderFailure("human_readable() failed on bad input", kind: .other)
        }
        let base = isBits ? "bits" : "Bytes"
        var chosen = ranges[ranges.count - 1]
        for range in ranges where (unit == nil && size >= range.1) || (unit.map { $0.uppercased().first == range.0.first } ?? false) {
            chosen = range
            break
        }
        let suffix = chosen.1 != 1 ? chosen.0 + String(base.prefix(1)) : base
        return try PercentFormatter.format("%.2f %s", .list([.float(size / chosen.1), .string(suffix)]))
    }

    static func humanToBytes(_ text: String, defaultUnit: String?, isBits: Bool) throws -> Int {
        let trimmed = StringFunctions.strip(text, characters: nil, leading: true, trailing: true)
        let numberPart = trimmed.prefix { $0.isNumber || $0 == "." }
        let unitPart = StringFunctions.strip(String(trimmed.dropFirst(numberPart.count)), characters: nil, leading: true, trailing: true)
        guard let number = Double(numberPart), unitPart.allSatisfy({ $0.isLetter }) else {
            throw RenderFailure("human_to_bytes() can't interpret following string: \(text)", kind: .other)
        }
        let unit = unitPart.isEmpty ? defaultUnit : unitPart
        guard let unit, let first = unit.uppercased().first else { return Int((number).rounded()) }
        guard let limit = ranges.first(where: { $0.0.first == first })?.1 else {
            throw RenderFailure("human_to_bytes() failed to convert \(text). The suffix must be one of Y, Z, E, P, T, G, M, K, B", kind: .other)
        }
        let unitClass: Character = isBits ? "b" : "B"
        let longName = isBits ? "bit" : "byte"
        if unit.count > 1, !(unit.lowercased() == longName || unit.lowercased() == longName + "s"),
            unit.last != unitClass || (first == "B" && unit.count > 1 && unit != String(unitClass))
        {
            throw RenderFailure("human_to_bytes() failed to convert \(text) (unit = \(unit)). The suffix must be one of Y, Z, E, P, T, G, M, K, B", kind: .other)
        }
        return Int((number * limit).rounded())
    }
}

/// Python's `urllib.parse.urlsplit` as Ansible's `urlsplit` filter exposes it.
enum URLSplitting {
    static func split(_ url: String) throws -> ValueDictionary {
        var rest = Substring(url)
        var scheme = ""
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
            rest[..<colon].first?.isLetter == true
        {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        var netloc = ""
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
            netloc = String(rest[..<end])
            rest = rest[end...]
        }
        var fragment = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        var query = ""
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        var userinfo: Substring = ""
        var hostport = Substring(netloc)
        if let at = netloc.lastIndex(of: "@") {
            userinfo = netloc[..<at]
            hostport = netloc[netloc.index(after: at)...]
        }
        var username: Value = .none
        var password: Value = .none
        if !userinfo.isEmpty || netloc.contains("@") {
            if let colon = userinfo.firstIndex(of: ":") {
                username = .string(String(userinfo[..<colon]))
                password = .string(String(userinfo[userinfo.index(after: colon)...]))
            } else {
                username = .string(String(userinfo))
            }
        }
        var hostname: Value = .none
        var port: Value = .none
        if hostport.hasPrefix("[") , let close = hostport.firstIndex(of: "]") {
            hostname = .string(hostport[hostport.index(after: hostport.startIndex)..<close].lowercased())
            let after = hostport[hostport.index(after: close)...]
            if after.hasPrefix(":"), let number = Int(after.dropFirst()) { port = .int(number) }
        } else if let colon = hostport.lastIndex(of: ":") {
            let host = hostport[..<colon]
            if !host.isEmpty { hostname = .string(host.lowercased()) }
            let portText = hostport[hostport.index(after: colon)...]
            if !portText.isEmpty {
                guard let number = Int(portText), (0...65535).contains(number) else {
                    throw RenderFailure("Port could not be cast to integer value as '\(portText)'", kind: .value)
                }
                port = .int(number)
            }
        } else if !hostport.isEmpty {
            hostname = .string(hostport.lowercased())
        }
        return ValueDictionary([
            ("fragment", .string(fragment)), ("hostname", hostname), ("netloc", .string(netloc)), ("password", password),
            ("path", .string(String(rest))), ("port", port), ("query", .string(query)), ("scheme", .string(scheme)),
            ("username", username),
        ])
    }
}
