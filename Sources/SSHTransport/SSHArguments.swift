import Foundation

/// The OpenSSH client arguments users put in `ansible_ssh_common_args` / `ansible_ssh_extra_args`
/// (`-o Key=Value`, `-i`, `-p`, `-J`, `-l`), reduced to what the libssh transport acts on.
///
/// As in OpenSSH, the first value given for a setting wins.
struct SSHArguments: Equatable {
    var hostName: String?
    var port: Int?
    var user: String?
    var identityFiles: [String] = []
    var jumpHosts: [SSHEndpoint]?
    var knownHostsFile: String?
    var hostKeyPolicy: HostKeyPolicy?
    var connectTimeout: Double?
    var keepaliveInterval: Double?
    var passwordAuthentication: Bool?
    var publicKeyAuthentication: Bool?
    var identitiesOnly: Bool?
    var useAgent: Bool?
    var agentSocket: String?
    /// Options accepted without effect here (ControlMaster, ControlPersist, Compression, …).
    var ignored: [String] = []

    /// Parses `text` (shell-quoted, as Ansible passes it to ssh). Throws a message for the caller to locate.
    mutating func parse(_ text: String) throws(ArgumentFailure) {
        var tokens = try shellWords(text)[...]
        while let token = tokens.popFirst() {
            guard token.hasPrefix("-"), token.count >= 2 else {
                throw ArgumentFailure("unexpected argument '\(token)'; only options are allowed here")
            }
            let letter = token[token.index(after: token.startIndex)]
            let attached = String(token.dropFirst(2))
            if "46AaCfGgKkMNnqsTtVvXxYy".contains(letter)
                && attached.allSatisfy({ "46AaCfGgKkMNnqsTtVvXxYy".contains($0) })
            {
                continue  // Flags without a value (-q, -T, -C, -4, …) change nothing that matters here.
            }
            guard "oipJlBbcDEeFILmOQRSWw".contains(letter) else {
                throw ArgumentFailure("unknown ssh option '\(token)'")
            }
            let value: String
            if !attached.isEmpty {
                value = attached
            } else if let next = tokens.popFirst() {
                value = next
            } else {
                throw ArgumentFailure("ssh option '\(token)' needs a value")
            }
            switch letter {
            case "o": try applyOption(value)
            case "i": identityFiles.append(value)
            case "p": if port == nil { port = try Self.port(value) }
            case "J": try applyOption("ProxyJump=\(value)")
            case "l": user = user ?? value
            default: ignored.append("-\(letter) \(value)")
            }
        }
    }

    /// One `-o` option: `Key=Value` or `Key Value`, key case-insensitive.
    private mutating func applyOption(_ option: String) throws(ArgumentFailure) {
        let separator = option.firstIndex(where: { $0 == "=" || $0 == " " || $0 == "\t" })
        guard let separator else { throw ArgumentFailure("ssh option '-o \(option)' has no value") }
        let key = option[..<separator].lowercased()
        let value = option[option.index(after: separator)...].trimmingCharacters(in: .whitespaces)
        switch key {
        case "hostname": hostName = hostName ?? value
        case "port": if port == nil { port = try Self.port(value) }
        case "user": user = user ?? value
        case "identityfile": identityFiles.append(value)
        case "userknownhostsfile":
            // OpenSSH accepts several files; libssh checks one, so the first is used.
            knownHostsFile = knownHostsFile ?? value.split(separator: " ").first.map(String.init)
        case "stricthostkeychecking": if hostKeyPolicy == nil { hostKeyPolicy = try Self.policy(value) }
        case "proxyjump": if jumpHosts == nil { jumpHosts = try Self.jumps(value) }
        case "proxycommand": if jumpHosts == nil { jumpHosts = try Self.jumps(fromProxyCommand: value) }
        case "connecttimeout":
            if connectTimeout == nil { connectTimeout = try Self.seconds(value, option: "ConnectTimeout") }
        case "serveraliveinterval":
            let seconds = try Self.seconds(value, option: "ServerAliveInterval")
            keepaliveInterval = keepaliveInterval ?? (seconds > 0 ? seconds : nil)
        case "passwordauthentication":
            if passwordAuthentication == nil { passwordAuthentication = try Self.yesNo(value, key) }
        case "pubkeyauthentication":
            if publicKeyAuthentication == nil { publicKeyAuthentication = try Self.yesNo(value, key) }
        case "identitiesonly": if identitiesOnly == nil { identitiesOnly = try Self.yesNo(value, key) }
        case "identityagent":
            guard useAgent == nil else { break }
            useAgent = value.lowercased() != "none"
            // "SSH_AUTH_SOCK" means the environment's agent, which is the default anyway.
            if useAgent == true, value != "SSH_AUTH_SOCK" {
                agentSocket =
                    value.hasPrefix("$") ? ProcessInfo.processInfo.environment[String(value.dropFirst())] : value
            }
        default: ignored.append("-o \(option)")
        }
    }

    private static func port(_ text: String) throws(ArgumentFailure) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw ArgumentFailure("'\(text)' is not a port number")
        }
        return port
    }

    private static func seconds(_ text: String, option: String) throws(ArgumentFailure) -> Double {
        guard let seconds = Double(text), seconds >= 0 else {
            throw ArgumentFailure("\(option) must be a number of seconds, got '\(text)'")
        }
        return seconds
    }

    private static func yesNo(_ text: String, _ option: String) throws(ArgumentFailure) -> Bool {
        switch text.lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        default: throw ArgumentFailure("\(option) must be yes or no, got '\(text)'")
        }
    }

    private static func policy(_ text: String) throws(ArgumentFailure) -> HostKeyPolicy {
        switch text.lowercased() {
        case "yes", "ask", "true": return .strict
        case "accept-new": return .acceptNew
        case "no", "off", "false": return .off
        default: throw ArgumentFailure("StrictHostKeyChecking must be yes, no or accept-new, got '\(text)'")
        }
    }

    private static func jumps(_ text: String) throws(ArgumentFailure) -> [SSHEndpoint] {
        if text.lowercased() == "none" { return [] }
        var hops: [SSHEndpoint] = []
        for hop in text.split(separator: ",") {
            guard let endpoint = SSHEndpoint(proxyJump: String(hop)) else {
                throw ArgumentFailure("ProxyJump hop '\(hop)' is not [user@]host[:port]")
            }
            hops.append(endpoint)
        }
        return hops
    }

    /// The one ProxyCommand shape that is a jump host in disguise: `ssh [-p N] [-l U] -W %h:%p [user@]bastion`.
    private static func jumps(fromProxyCommand text: String) throws(ArgumentFailure) -> [SSHEndpoint] {
        if text.lowercased() == "none" { return [] }
        let unsupported = ArgumentFailure(
            "ProxyCommand '\(text)' is not supported; use ProxyJump=[user@]bastion[:port] (or ssh -W %h:%p bastion)")
        var words = try shellWords(text)[...]
        guard let program = words.popFirst(), program == "ssh" || program.hasSuffix("/ssh") else { throw unsupported }
        var bastion: String?
        var port: Int?
        var user: String?
        var sawForward = false
        while let word = words.popFirst() {
            switch word {
            case "-W":
                guard words.popFirst() == "%h:%p" else { throw unsupported }
                sawForward = true
            case "-p": port = try words.popFirst().map(Self.port)
            case "-l": user = words.popFirst()
            case "-q", "-T", "-C", "-4", "-6", "-A", "-a", "-x", "-N": continue
            case "-o", "-i", "-F", "-J": _ = words.popFirst()  // bastion-only settings; not carried over
            default:
                guard !word.hasPrefix("-"), bastion == nil else { throw unsupported }
                bastion = word
            }
        }
        guard sawForward, let bastion, var endpoint = SSHEndpoint(proxyJump: bastion) else { throw unsupported }
        if let port { endpoint.port = port }
        if let user, endpoint.user == nil { endpoint.user = user }
        return [endpoint]
    }
}

/// A problem with an SSH argument string, located later by the caller (which knows the variable).
struct ArgumentFailure: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Splits a command line into words the way a POSIX shell (and Python's shlex) does: whitespace
/// separates, single quotes are literal, double quotes allow `\"`, `\\`, `\$` and `` \` ``.
func shellWords(_ text: String) throws(ArgumentFailure) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var iterator = text.makeIterator()
    while let character = iterator.next() {
        switch character {
        case " ", "\t", "\n":
            if inWord { words.append(current) }
            current = ""
            inWord = false
        case "'":
            inWord = true
            var closed = false
            while let next = iterator.next() {
                if next == "'" {
                    closed = true
                    break
                }
                current.append(next)
            }
            if !closed { throw ArgumentFailure("unterminated single quote in '\(text)'") }
        case "\"":
            inWord = true
            var closed = false
            while let next = iterator.next() {
                if next == "\"" {
                    closed = true
                    break
                }
                if next == "\\", let escaped = iterator.next() {
                    if !"\"\\$`".contains(escaped) { current.append("\\") }
                    current.append(escaped)
                } else {
                    current.append(next)
                }
            }
            if !closed { throw ArgumentFailure("unterminated double quote in '\(text)'") }
        case "\\":
            inWord = true
            if let escaped = iterator.next() { current.append(escaped) }
        default:
            inWord = true
            current.append(character)
        }
    }
    if inWord { words.append(current) }
    return words
}
