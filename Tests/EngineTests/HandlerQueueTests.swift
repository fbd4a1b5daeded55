import Testing

@testable import Engine

@Suite struct HandlerQueueTests {
    let queue = HandlerQueue(handlers: [
        .init(name: "restart web", listen: ["web changed"]),
        .init(name: "reload lb"),
        .init(name: "log", listen: ["web changed"]),
    ])

    @Test func handlersRunInDefinitionOrderOncePerFlush() {
        var queue = queue
        let notified1 = queue.notify("reload lb", host: "a")
        #expect(notified1)
        let notified2 = queue.notify("restart web", host: "b")
        #expect(notified2)
        let notified3 = queue.notify("restart web", host: "b")
        #expect(notified3)
        #expect(queue.next() == .run(index: 0, hosts: ["b"]))
        #expect(queue.next() == .run(index: 1, hosts: ["a"]))
        #expect(queue.next() == .done)
    }

    @Test func listenTopicsNotifyEveryListener() {
        var queue = queue
        let notified4 = queue.notify("web changed", host: "a")
        #expect(notified4)
        #expect(queue.next() == .run(index: 0, hosts: ["a"]))
        #expect(queue.next() == .run(index: 2, hosts: ["a"]))
        #expect(queue.next() == .done)
    }

    @Test func unknownNamesAreReportedAndDroppedHostsDoNotRun() {
        var queue = queue
        let notified5 = queue.notify("nope", host: "a")
        #expect(!notified5)
        queue.notify("log", host: "a")
        queue.notify("log", host: "b")
        queue.drop(host: "a")
        #expect(queue.next(activeHosts: ["a", "b"]) == .run(index: 2, hosts: ["b"]))
        #expect(queue.isEmpty)
    }

    @Test func aHandlerNotifiedDuringAFlushRunsInTheSameFlush() {
        var queue = queue
        queue.notify("restart web", host: "a")
        #expect(queue.next() == .run(index: 0, hosts: ["a"]))
        queue.notify("reload lb", host: "a")
        #expect(queue.next() == .run(index: 1, hosts: ["a"]))
    }
}
