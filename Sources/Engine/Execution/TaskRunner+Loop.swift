import Diagnostics
import Templating

extension TaskRunner {
    /// Runs the task once per loop item; items are reported as they finish and the host's
    /// result aggregates them under `results`, as ansible-core does.
    func runLoop(_ task: TaskPlan, loop: LoopPlan, host: String, scope initialScope: TaskScope, noLog: Bool) async
        -> (TaskOutcome, [ActionEffect])
    {
        var scope = initialScope
        let items: [Value]
        do {
            let templated = try scope.template(loop.items.value, at: loop.items.location)
            if case .undefined(let undefined) = templated { throw SourceError(undefined.hint, at: loop.items.location) }
            if LoopItems.templateLookups.contains(loop.keyword) {
                items = try LoopItems.query(loop.keyword, value: templated, scope: scope, at: loop.items.location)
            } else {
                items = try LoopItems.expand(
                    loop.keyword, value: templated, at: loop.items.location, searchPaths: loopSearchPaths(task))
            }
        } catch {
            let attempt = Attempt.failed(error, task: task, scope: scope)
            let result = HostTaskResult(host: host, status: attempt.status, values: attempt.action.values, noLog: noLog)
            return (TaskOutcome(result: result), [])
        }
        var results: [Value] = []
        var effects: [ActionEffect] = []
        var anyChanged = false
        var anyFailed = false
        var anyUnreachable = false
        var allSkipped = true
        var delegatedTo: String?
        for (index, item) in items.enumerated() {
            if index > 0, loop.pause > 0 { try? await Task.sleep(for: .milliseconds(Int(loop.pause * 1000))) }
            var bound: [String: Value] = [loop.loopVar: item, "ansible_loop_var": .string(loop.loopVar)]
            if let indexVar = loop.indexVar {
                bound[indexVar] = .int(index)
                bound["ansible_index_var"] = .string(indexVar)
            }
            if loop.extended { bound["ansible_loop"] = Self.loopInfo(items: items, index: index, all: loop.extendedAllItems) }
            let itemScope = scope.adding(bound)
            var attempt: Attempt
            do {
                let (holds, failedCondition) = try Conditions.allHold(task.conditions, scope: itemScope)
                if holds {
                    attempt = await AttemptRunner(context: context, play: play, info: info)
                        .run(task, host: host, scope: itemScope)
                } else {
                    attempt = Attempt(
                        action: .skipped(
                            reason: "Conditional result was False",
                            extra: .pairs(["false_condition": .string(failedCondition ?? "")])),
                        status: .skipped)
                }
            } catch {
                attempt = Attempt.failed(error, task: task, scope: itemScope)
            }
            var values = attempt.action.values
            values[.string(loop.loopVar)] = item
            values["ansible_loop_var"] = .string(loop.loopVar)
            if let indexVar = loop.indexVar {
                values[.string(indexVar)] = .int(index)
                values["ansible_index_var"] = .string(indexVar)
            }
            if loop.extended, let info = bound["ansible_loop"] { values["ansible_loop"] = info }
            if values["failed"] == nil { values["failed"] = .bool(attempt.status.stopsHost || attempt.action.isFailed) }
            let label = (try? loop.label.map { try itemScope.template($0.value, at: $0.location) }) ?? item
            let itemResult = HostTaskResult(
                host: host, status: attempt.status, values: values, itemLabel: label, delegatedTo: attempt.delegatedTo,
                verboseAlways: attempt.action.verboseAlways, noLog: noLog)
            context.bus.emit(.itemResult(info, itemResult))
            if context.diffMode, !attempt.action.diffs.isEmpty, !noLog {
                context.bus.emit(.diff(info, host: host, diffs: attempt.action.diffs))
            }
            results.append(.dict(values))
            // set_fact and include_vars take effect for the next item already, as in ansible-core.
            let immediate = attempt.action.effects.filter(\.changesVariables)
            if !immediate.isEmpty {
                var ignored = TaskOutcome(result: itemResult)
                apply(immediate, task: task, host: host, outcome: &ignored)
                scope = builder.scope(for: task, host: host, snapshot: context.state.snapshot())
            }
            effects.append(contentsOf: attempt.action.effects.filter { !$0.changesVariables })
            delegatedTo = attempt.delegatedTo ?? delegatedTo
            switch attempt.status {
            case .ok(let changed):
                allSkipped = false
                anyChanged = anyChanged || changed
            case .skipped: break
            case .failed:
                // An item failure fails the loop; `ignore_errors` applies to the loop as a whole. A failed
                // item that changed something (a command that ran and exited non-zero) still makes the
                // loop changed, as ansible-core's `any(changed)` over the item results does.
                allSkipped = false
                anyFailed = true
                anyChanged = anyChanged || values["changed"] == .bool(true)
            case .unreachable:
                allSkipped = false
                anyUnreachable = true
            }
        }
        return (
            aggregate(
                results, host: host, task: task, scope: scope, changed: anyChanged, failed: anyFailed,
                unreachable: anyUnreachable, allSkipped: allSkipped, delegatedTo: delegatedTo, noLog: noLog),
            effects
        )
    }

    private func aggregate(
        _ results: [Value], host: String, task: TaskPlan, scope: TaskScope, changed: Bool, failed: Bool,
        unreachable: Bool, allSkipped: Bool, delegatedTo: String?, noLog: Bool
    ) -> TaskOutcome {
        var values = ValueDictionary()
        values["results"] = .list(results)
        values["changed"] = .bool(changed)
        let status: TaskStatus
        if unreachable {
            values["unreachable"] = .bool(true)
            let ignored = (try? Conditions.flag(task.ignoreUnreachable, scope: scope, default: false)) ?? false
            status = .unreachable(ignored: ignored)
        } else if failed {
            values["msg"] = "One or more items failed"
            values["failed"] = .bool(true)
            let ignored = (try? Conditions.flag(task.ignoreErrors, scope: scope, default: false)) ?? false
            status = .failed(ignored: ignored)
        } else if allSkipped {
            values["skipped"] = .bool(true)
            values["msg"] = results.isEmpty ? "No items in the list" : "All items skipped"
            if results.isEmpty { values["skipped_reason"] = "No items in the list" }
            status = .skipped
        } else {
            values["msg"] = "All items completed"
            status = .ok(changed: changed)
        }
        let result = HostTaskResult(
            host: host, status: status, values: values, delegatedTo: delegatedTo, noLog: noLog)
        return TaskOutcome(result: result)
    }

    /// `ansible_loop` for `loop_control.extended`.
    static func loopInfo(items: [Value], index: Int, all: Bool) -> Value {
        var info = ValueDictionary()
        if all { info["allitems"] = .list(items) }
        info["index"] = .int(index + 1)
        info["index0"] = .int(index)
        info["revindex"] = .int(items.count - index)
        info["revindex0"] = .int(items.count - index - 1)
        info["first"] = .bool(index == 0)
        info["last"] = .bool(index == items.count - 1)
        info["length"] = .int(items.count)
        info["previtem"] = index > 0 ? items[index - 1] : .undefined(Undefined(hint: "'previtem' is undefined"))
        info["nextitem"] =
            index < items.count - 1 ? items[index + 1] : .undefined(Undefined(hint: "'nextitem' is undefined"))
        if index == 0 { info["previtem"] = nil }
        if index == items.count - 1 { info["nextitem"] = nil }
        return .dict(info)
    }

    /// Where `with_first_found`/`with_fileglob` look: ansible-core picks the subdirectory from the
    /// task's action (`include_vars` → `vars/`, `template` → `templates/`, anything else `files/`).
    private func loopSearchPaths(_ task: TaskPlan) -> [String] {
        let subdirectory = ["template", "var", "file"].first { task.actionName.contains($0) }.map { $0 + "s" } ?? "files"
        var paths: [String] = []
        if let role = task.role { paths += [role.path + "/" + subdirectory, role.path] }
        paths.append(play.plan.playbookDirectory + "/" + subdirectory)
        paths.append(play.plan.playbookDirectory)
        return paths
    }
}
