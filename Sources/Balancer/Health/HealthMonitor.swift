import NIOCore
import Synchronization

/// Runs the active checks of every checked server of a snapshot, one repeating timer per server,
/// spread over the event loops.
final class HealthMonitor: Sendable {
    private let runtime: BalancerRuntime
    private let tasks = Mutex<[RepeatedTask]>([])

    init(runtime: BalancerRuntime) {
        self.runtime = runtime
    }

    /// Starts checking the servers of `snapshot` (stopping the checks of the previous one).
    func start(for snapshot: RuntimeSnapshot, eventLoops: [any EventLoop]) {
        stop()
        var started: [RepeatedTask] = []
        var loopIndex = 0
        for backend in snapshot.configuration.backends {
            guard let settings = backend.healthCheck, let runtimeBackend = snapshot.backends[backend.name],
                !eventLoops.isEmpty
            else { continue }
            for server in runtimeBackend.servers where server.checked {
                let loop = eventLoops[loopIndex % eventLoops.count]
                loopIndex += 1
                started.append(
                    schedule(server: server, settings: settings, timeouts: backend.timeouts, on: loop))
            }
        }
        tasks.withLock { $0 = started }
    }

    /// Stops every check.
    func stop() {
        let running = tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
    }

    private func schedule(
        server: ServerRuntime, settings: HealthCheckSettings, timeouts: TimeoutSettings, on loop: any EventLoop
    ) -> RepeatedTask {
        // HAProxy bounds the connect part of a check by min(timeout connect, inter).
        let connectTimeout = min(timeouts.connect, settings.interval)
        let runtime = self.runtime
        return loop.scheduleRepeatedAsyncTask(initialDelay: .zero, delay: settings.interval) { _ in
            HealthProbe.run(
                server: server, settings: settings, connectTimeout: connectTimeout, readTimeout: timeouts.check,
                on: loop
            ).map { result in
                switch server.recordCheck(
                    success: result.healthy, detail: result.detail, rise: settings.rise, fall: settings.fall)
                {
                case .some(false): runtime.serverWentDown(server)
                case .some(true): runtime.serverCameUp(server)
                case .none: break
                }
            }
        }
    }
}
