import Templating

/// `--list-tasks`, `--list-tags` and `--list-hosts`, in ansible-playbook's layout.
struct PlaybookListing: Sendable {
    let prepared: PreparedRun
    let options: RunOptions

    func text() throws -> String {
        var output = ""
        let tags = TagSelection(only: options.tags, skip: options.skipTags)
        var index = 0
        var currentPlaybook: String?
        let state = RunState(hosts: [], inventory: prepared.inventory)
        for play in prepared.plays {
            if play.playbookPath != currentPlaybook {
                currentPlaybook = play.playbookPath
                output += "\nplaybook: \(play.playbookPath)\n"
                index = 0
            }
            index += 1
            output += "\n  play #\(index) (\(play.hostPattern)): \(play.name)\tTAGS: [\(play.tags.sorted().joined(separator: ", "))]\n"
            switch options.mode {
            case .listHosts:
                let hosts = try prepared.hosts(for: play, state: state)
                let patterns = play.hostPattern.split(separator: ",").map { "'\($0)'" }.joined(separator: ", ")
                output += "    pattern: [\(patterns)]\n    hosts (\(hosts.count)):\n"
                for host in hosts { output += "      \(host)\n" }
            case .listTasks:
                output += "    tasks:\n"
                for task in tasks(of: play) where tags.shouldRun(tags: task.tags) {
                    let name = task.role.map { "\($0.name) : " } ?? ""
                    output += "      \(name)\(task.name ?? task.actionName)\tTAGS: [\(task.tags.sorted().joined(separator: ", "))]\n"
                }
            case .listTags:
                var all = Set<String>()
                for task in tasks(of: play) { all.formUnion(task.tags) }
                output += "      TASK TAGS: [\(all.sorted().joined(separator: ", "))]\n"
            case .run, .syntaxCheck:
                break
            }
        }
        return output
    }

    private func tasks(of play: PlayPlan) -> [TaskPlan] {
        var result: [TaskPlan] = []
        func collect(_ items: [PlanItem]) {
            for item in items {
                switch item {
                case .task(let task): result.append(task)
                case .block(let block): collect(block.block + block.rescue + block.always)
                }
            }
        }
        collect(play.preTasks + play.tasks + play.postTasks)
        return result
    }
}
