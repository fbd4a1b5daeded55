import ArgumentParser

/// How to reach hosts and escalate privileges.
struct ConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("u"), .customLong("user")], help: ArgumentHelp("Connect as this user.", valueName: "REMOTE_USER"))
    var user: String?

    @Option(
        name: [.customLong("private-key"), .customLong("key-file")],
        help: ArgumentHelp("Use this file to authenticate the connection.", valueName: "PRIVATE_KEY_FILE"))
    var privateKey: String?

    @Option(
        name: [.customShort("c"), .customLong("connection")],
        help: ArgumentHelp("Connection type to use (ssh, local).", valueName: "CONNECTION"))
    var connection: String?

    @Option(
        name: [.customShort("T"), .customLong("timeout")],
        help: ArgumentHelp("Connection timeout in seconds.", valueName: "TIMEOUT"))
    var timeout: Int?

    @Flag(name: [.customShort("b"), .customLong("become")], help: "Run operations with become.")
    var become = false

    @Option(name: .customLong("become-user"), help: ArgumentHelp("Run operations as this user.", valueName: "BECOME_USER"))
    var becomeUser: String?

    @Option(
        name: .customLong("become-method"),
        help: ArgumentHelp("Privilege escalation method (sudo, su).", valueName: "BECOME_METHOD"))
    var becomeMethod: String?

    @Flag(name: [.customShort("k"), .customLong("ask-pass")], help: "Ask for the connection password.")
    var askPass = false

    @Flag(
        name: [.customShort("K"), .customLong("ask-become-pass")],
        help: "Ask for the privilege escalation password.")
    var askBecomePass = false

    @Option(
        name: [.customLong("connection-password-file"), .customLong("conn-pass-file")],
        help: ArgumentHelp("Connection password file (a script is run; '-' reads stdin).", valueName: "FILE"))
    var connectionPasswordFile: String?

    @Option(
        name: [.customLong("become-password-file"), .customLong("become-pass-file")],
        help: ArgumentHelp("Privilege escalation password file (a script is run; '-' reads stdin).", valueName: "FILE"))
    var becomePasswordFile: String?
}
