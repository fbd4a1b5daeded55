import Foundation

/// Runs a command to completion with posix_spawn and waitpid.
///
/// Foundation's `Process.waitUntilExit` can hang inside Swift Testing's cooperative threads when
/// the child daemonizes (nginx), so the fixtures spawn and reap directly.
enum Subprocess {
    @discardableResult
    static func run(_ arguments: [String]) throws -> Int32 {
        var pid: pid_t = 0
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, arguments[0], &fileActions, nil, argv, environ)
        guard spawned == 0 else { throw FixtureError("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WEXITSTATUS: the exit code sits in the second byte of the wait status.
        return (status >> 8) & 0xff
    }
}
