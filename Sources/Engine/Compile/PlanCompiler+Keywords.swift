import PlaybookCore
import Templating

extension PlanCompiler {
    /// Sets the task's keyword fields from inherited keywords, then its own (which win).
    func applyKeywords(_ inherited: [String: LocatedValue], _ own: Keywords, to plan: inout TaskPlan) {
        var merged = inherited
        for (name, value) in own.entries {
            if name == "environment" {
                plan.environment.append(LocatedExpression(value.value, at: value.location))
            } else {
                merged[name] = value
            }
        }
        func expression(_ name: String) -> LocatedExpression? {
            merged[name].map { LocatedExpression($0.value, at: $0.location) }
        }
        func conditions(_ name: String) -> [LocatedExpression]? {
            guard let value = merged[name] else { return nil }
            if let list = value.value.array {
                return list.enumerated().map { LocatedExpression($0.element, at: value.location(at: [.int($0.offset)])) }
            }
            return [LocatedExpression(value.value, at: value.location)]
        }
        func flag(_ name: String) -> Bool {
            guard let value = merged[name]?.value else { return false }
            if case .bool(let flag) = value { return flag }
            return ["yes", "true", "on", "1"].contains(PythonRepr.text(value).lowercased())
        }
        func integer(_ name: String) -> Int? {
            guard let value = merged[name]?.value else { return nil }
            if case .int(let number) = value { return number }
            return Int(PythonRepr.text(value))
        }
        plan.changedWhen = conditions("changed_when")
        plan.failedWhen = conditions("failed_when")
        plan.until = conditions("until")
        plan.retries = expression("retries")
        plan.delay = expression("delay")
        plan.ignoreErrors = expression("ignore_errors")
        plan.ignoreUnreachable = expression("ignore_unreachable")
        plan.delegateTo = expression("delegate_to")
        plan.delegateFacts = flag("delegate_facts")
        plan.runOnce = flag("run_once")
        plan.noLog = expression("no_log")
        plan.checkMode = expression("check_mode")
        plan.diff = expression("diff")
        plan.asyncSeconds = expression("async")
        plan.poll = expression("poll")
        plan.timeout = expression("timeout")
        plan.throttle = integer("throttle")
        plan.anyErrorsFatal = merged["any_errors_fatal"] == nil ? nil : flag("any_errors_fatal")
        plan.connection = merged["connection"].map { PythonRepr.text($0.value) }
        plan.become.enabled = expression("become")
        plan.become.user = expression("become_user")
        plan.become.method = expression("become_method")
        plan.become.flags = expression("become_flags")
    }
}
