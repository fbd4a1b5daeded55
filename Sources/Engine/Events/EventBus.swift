import Synchronization

/// Delivers run events to the output callbacks, one event at a time, in emission order.
///
/// Hosts run concurrently, so emission happens from many tasks; the mutex serialises delivery so a
/// host's result line is never interleaved with another's. Callbacks only format and write text,
/// so the critical section stays short.
public final class EventBus: Sendable {
    private let callbacks: Mutex<[any OutputCallback]>

    public init(_ callbacks: [any OutputCallback]) {
        self.callbacks = Mutex(callbacks)
    }

    public func emit(_ event: RunEvent) {
        callbacks.withLock { callbacks in
            for index in callbacks.indices { callbacks[index].handle(event) }
        }
    }
}
