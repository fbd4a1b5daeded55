import Diagnostics
import PlaybookCore
import Templating

/// Every `notify:` must name a handler (or a `listen` topic) of the play. Ansible only finds out
/// when the notification fires; stackplay reports it before anything runs, at the `notify:` line.
enum HandlerCheck {
    static func verify(_ plan: PlayPlan) throws {
        let queue = HandlerQueue(handlers: plan.handlers.map(BatchState.entry))
        for item in plan.preTasks + plan.tasks + plan.postTasks { try verify(item, queue: queue) }
        for handler in plan.handlers { try verify(.task(handler), queue: queue) }
    }

    private static func verify(_ item: PlanItem, queue: HandlerQueue) throws {
        switch item {
        case .task(let task):
            for name in task.notify where !name.contains("{{") && !queue.knows(name) {
                let location = task.model?.notify.first { PythonRepr.text($0.value) == name || $0.value.array != nil }?
                    .location ?? task.location
                throw LoadError.unknown(
                    "the handler '\(name)' notified by this task is not defined in the play",
                    name: name, candidates: queue.handlers.map(\.name), at: location)
            }
        case .block(let block):
            for inner in block.block + block.rescue + block.always { try verify(inner, queue: queue) }
        }
    }
}
