import PlaybookCore

/// The playbook model's task type (named so to stay clear of Swift's concurrency `Task`).
typealias ModelTask = PlaybookCore.PlaybookTask
