import Foundation
import ModuleAPI
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a child process with `posix_spawn`, feeding stdin and collecting stdout/stderr with `poll`.
///
/// Foundation's `Process` cannot put the child in its own process group, so a timed-out shell
/// pipeline would leave grandchildren holding the output pipes open; here the child leads its own
/// group and a timeout kills the whole group. The blocking work runs on a dedicated thread, never
/// on Swift's cooperative pool.
enum ProcessRunner {
    struct Outcome: Sendable {
        var exitStatus: Int32
        var stdout: Data
        var stderr: Data
        var timedOut: Bool
    }

    enum Failure: Error {
        case spawn(String)
    }

    /// Ignore SIGPIPE in this process once: writing stdin to a child that already exited must
    /// fail with EPIPE rather than kill the runner. Children get the default disposition back.
    static let ignoreBrokenPipe: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    static func run(
        _ argv: [String], environment: [String: String], stdin: Data?, timeout: Double?
    ) async -> Result<Outcome, Failure> {
        _ = ignoreBrokenPipe
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    returning: runBlocking(argv, environment: environment, stdin: stdin, timeout: timeout))
            }
            thread.start()
        }
    }

    /// Held while pipes are created and marked close-on-exec, and while spawning: otherwise a child
    /// spawned by another thread in between would inherit our pipe ends and keep them open.
    private static let spawnLock = Mutex(())

    private static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    private static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
        strings.map { strdup($0) } + [nil]
    }

    static func runBlocking(
        _ argv: [String], environment: [String: String], stdin: Data?, timeout: Double?
    ) -> Result<Outcome, Failure> {
        guard let executable = argv.first else { return .failure(.spawn("empty command")) }
        return spawnLock.withLock { _ -> Result<(pid_t, Int32, Int32, Int32), Failure> in
            spawn(argv, executable: executable, environment: environment)
        }.map { pid, stdinFD, stdoutFD, stderrFD in
            var collected = Collected(stdinFD: stdinFD, stdin: stdin ?? Data())
            let timedOut = collected.pump(stdoutFD: stdoutFD, stderrFD: stderrFD, pid: pid, timeout: timeout)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // A normal exit carries its code in bits 8-15; death by a signal is reported as -signal, as Python does.
            let signalNumber = status & 0x7f
            let exitStatus = signalNumber == 0 ? (status >> 8) & 0xff : -signalNumber
            return Outcome(
                exitStatus: exitStatus, stdout: collected.stdout, stderr: collected.stderr, timedOut: timedOut)
        }
    }

    /// Starts the child; returns its pid and our ends of its stdin, stdout and stderr.
    private static func spawn(_ argv: [String], executable: String, environment: [String: String])
        -> Result<(pid_t, Int32, Int32, Int32), Failure>
    {
        guard let input = makePipe(), let output = makePipe(), let errors = makePipe() else {
            return .failure(.spawn("pipe: \(String(cString: strerror(errno)))"))
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let arguments = cStrings(argv)
        let environmentStrings = cStrings(environment.map { "\($0.key)=\($0.value)" })
        defer {
            arguments.forEach { free($0) }
            environmentStrings.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawnStatus = posix_spawnp(&pid, executable, &actions, &attributes, arguments, environmentStrings)
        close(input.read)
        close(output.write)
        close(errors.write)
        guard spawnStatus == 0 else {
            close(input.write)
            close(output.read)
            close(errors.read)
            return .failure(.spawn("\(executable): \(String(cString: strerror(spawnStatus)))"))
        }

        return .success((pid, input.write, output.read, errors.read))
    }

    /// The I/O state of one child: stdin still to write, output read so far.
    private struct Collected {
        var stdinFD: Int32
        var stdin: Data
        var written = 0
        var stdout = Data()
        var stderr = Data()

        init(stdinFD: Int32, stdin: Data) {
            self.stdinFD = stdinFD
            self.stdin = stdin
            _ = fcntl(stdinFD, F_SETFL, fcntl(stdinFD, F_GETFL) | O_NONBLOCK)
            if stdin.isEmpty { closeStdin() }
        }

        mutating func closeStdin() {
            if stdinFD >= 0 { close(stdinFD) }
            stdinFD = -1
        }

        /// Feeds stdin and drains both outputs until they close; returns whether the timeout fired.
        mutating func pump(stdoutFD: Int32, stderrFD: Int32, pid: pid_t, timeout: Double?) -> Bool {
            var outFD = stdoutFD
            var errFD = stderrFD
            let deadline = timeout.map { Date().addingTimeInterval($0) }
            var buffer = [UInt8](repeating: 0, count: 65536)
            var timedOut = false
            while outFD >= 0 || errFD >= 0 {
                var waitMilliseconds: Int32 = -1
                if let deadline {
                    let remaining = deadline.timeIntervalSinceNow
                    if remaining <= 0 {
                        kill(-pid, SIGKILL)
                        timedOut = true
                        break
                    }
                    waitMilliseconds = Int32(min(remaining * 1000, 60_000).rounded(.up))
                }
                var fds = [
                    pollfd(fd: outFD, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: errFD, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0),
                ]
                let ready = poll(&fds, nfds_t(fds.count), waitMilliseconds)
                if ready < 0 {
                    if errno == EINTR { continue }
                    break
                }
                if fds[0].revents != 0 { Self.drain(&outFD, into: &stdout, buffer: &buffer) }
                if fds[1].revents != 0 { Self.drain(&errFD, into: &stderr, buffer: &buffer) }
                if fds[2].revents != 0 { feedStdin() }
            }
            for fd in [outFD, errFD] where fd >= 0 { close(fd) }
            closeStdin()
            return timedOut
        }

        private mutating func feedStdin() {
            guard stdinFD >= 0 else { return }
            let count = stdin.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return write(stdinFD, base + written, bytes.count - written)
            }
            if count > 0 {
                written += count
                if written >= stdin.count { closeStdin() }
            } else if count < 0 && errno != EAGAIN && errno != EINTR {
                // EPIPE: the child stopped reading; what it did not read is dropped, as a shell pipe would.
                closeStdin()
            }
        }

        private static func drain(_ fd: inout Int32, into data: inout Data, buffer: inout [UInt8]) {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                close(fd)
                fd = -1
            }
        }
    }
}
