import ArgumentParser
import Balancer
import NIOCore
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `stackplay-balancer`: an HTTP/1.1 load balancer on SwiftNIO.
///
/// A synchronous command on purpose: an `async` main hands the main thread to `dispatch_main()`,
/// which parks it inside `pthread_exit`, and glibc's setuid/setgid skip exiting threads. The main
/// thread (the process's own `/proc/PID/status`) would then stay root after the privilege drop. Here
/// the main thread stays an ordinary live thread, blocked while the async work runs elsewhere.
@main
struct BalancerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stackplay-balancer",
        abstract: "HTTP/1.1 reverse proxy and load balancer with health checks, retries and redispatch.",
        discussion: """
            Quick mode: stackplay-balancer --listen 127.0.0.1:8080 --backend 127.0.0.1:8081 --backend 127.0.0.1:8082
            Config file: stackplay-balancer --config /etc/stackplay-balancer/balancer.yml
            SIGHUP reloads the configuration file (keeping the old one if the new one is invalid);
            SIGTERM stops accepting, finishes in-flight requests and exits.
            """)

    @Option(name: .long, help: "YAML configuration file.")
    var config: String?

    @Flag(name: .long, help: "Only validate the configuration file and exit.")
    var checkConfig = false

    @Option(name: .long, help: "Quick mode: address to listen on (host:port).")
    var listen: String?

    @Option(name: .long, help: "Quick mode: a backend server (host:port); repeat for each.")
    var backend: [String] = []

    @Option(name: .long, help: "Quick mode: roundrobin, leastconn, source or first.")
    var algorithm = "roundrobin"

    @Option(name: .long, help: "Quick mode: active health-check interval (e.g. 1s).")
    var checkInterval: String?

    @Option(name: .long, help: "Quick mode: active health-check path.")
    var checkPath = "/"

    @Flag(name: .long, help: "Quick mode: no active health checks (passive detection still applies).")
    var noChecks = false

    @Option(name: .long, help: "Quick mode: serve statistics at this path.")
    var stats: String?

    @Option(name: .long, help: "Quick mode: upstream connect timeout (default 500ms).")
    var connectTimeout: String?

    @Option(name: .long, help: "Access log: '-' for stdout or a file path (overrides the file's setting).")
    var accessLog: String?

    @Option(name: .long, help: "Event-loop threads (default: one per CPU core).")
    var threads: Int?

    @Option(name: .long, help: "Write the process id to this file.")
    var pidFile: String?

    func validate() throws {
        if config == nil && listen == nil {
            throw ValidationError("give --config FILE, or --listen ADDR with at least one --backend ADDR")
        }
        if config != nil && listen != nil {
            throw ValidationError("--config and --listen exclude each other")
        }
    }

    func run() throws {
        let configuration: BalancerConfiguration
        let source: String
        do {
            (configuration, source) = try loadConfiguration()
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        if checkConfig {
            print("configuration is valid: \(configuration.frontends.count) frontend(s), "
                + "\(configuration.backends.count) backend(s)")
            return
        }
        // Block the signals before any thread starts so only the dispatch sources see them.
        signal(SIGHUP, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)

        let server: BalancerServer
        do {
            server = try runBlocking { try await BalancerServer.start(configuration, source: source) }
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        // The pid file lives in root-owned /run: write it after binding, before giving up root.
        if let pidFile { writePIDFile(pidFile) }
        if let user = configuration.global.user {
            do {
                try PrivilegeDrop.switchTo(user: user, group: configuration.global.group)
            } catch {
                printError("\(error)")
                try? runBlocking { await server.stop() }
                throw ExitCode(1)
            }
        }
        for address in server.localAddresses {
            printError("stackplay-balancer: listening on \(address)")
        }
        let drainTimeout = configuration.global.drainTimeout
        try runBlocking { await serve(server, drainTimeout: drainTimeout) }
        if let pidFile { unlink(pidFile) }
    }

    private func loadConfiguration() throws -> (BalancerConfiguration, String) {
        if let config {
            var configuration = try ConfigurationLoader.load(path: config)
            if let accessLog { configuration.global.accessLog = accessLog }
            if let threads { configuration.global.threads = threads }
            return (configuration, config)
        }
        var options = QuickModeOptions(listen: listen ?? "", backends: backend)
        options.algorithm = algorithm
        options.checkInterval = checkInterval
        options.checkPath = checkPath
        options.noChecks = noChecks
        options.statsPath = stats
        options.accessLog = accessLog
        options.threads = threads
        options.connectTimeout = connectTimeout
        return (try options.makeConfiguration(), "command line")
    }

    /// Waits for SIGHUP (reload) and SIGTERM/SIGINT (drain and exit).
    private func serve(_ server: BalancerServer, drainTimeout: TimeAmount) async {
        let events = AsyncStream<Int32> { continuation in
            let watcher = SignalWatcher(signals: [SIGHUP, SIGTERM, SIGINT]) { continuation.yield($0) }
            continuation.onTermination = { _ in watcher.cancel() }
        }
        for await signalNumber in events {
            if signalNumber == SIGHUP {
                await reload(server)
            } else {
                printError("stackplay-balancer: draining")
                await server.drainAndStop(timeout: drainTimeout)
                return
            }
        }
    }

    private func reload(_ server: BalancerServer) async {
        guard let config else {
            printError("stackplay-balancer: SIGHUP ignored in quick mode (no configuration file)")
            return
        }
        do {
            var configuration = try ConfigurationLoader.load(path: config)
            if let accessLog { configuration.global.accessLog = accessLog }
            try await server.reload(configuration, source: config)
            printError("stackplay-balancer: configuration reloaded from \(config)")
        } catch {
            printError("\(error)")
            printError("stackplay-balancer: reload failed, keeping the previous configuration")
        }
    }

    private func writePIDFile(_ path: String) {
        let text = "\(getpid())\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            printError("stackplay-balancer: cannot write pid file \(path)")
            return
        }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}

/// Runs `operation` on the global concurrent executor and blocks the calling thread until it ends.
///
/// Only for the synchronous main thread, which is not one of the executor's threads.
func runBlocking<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = BlockingOutcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do {
            let value = try await operation()
            outcome.result.withLock { $0 = .success(value) }
        } catch {
            outcome.result.withLock { $0 = .failure(error) }
        }
        done.signal()
    }
    done.wait()
    return try outcome.result.withLock { $0 }!.get()
}

private final class BlockingOutcome<T: Sendable>: Sendable {
    let result = Mutex<Result<T, any Error>?>(nil)
}

/// Writes a line to stderr, unbuffered (stdout may be a pipe or the access log).
func printError(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
}

/// Turns signals into callbacks on a private dispatch queue.
final class SignalWatcher: @unchecked Sendable {
    // Written once in init and only read afterwards (cancel), so sharing it is safe.
    private var sources: [any DispatchSourceSignal] = []

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "stackplay-balancer.signals")
        for signalNumber in signals {
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { handler(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
