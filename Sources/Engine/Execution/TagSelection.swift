/// `--tags` / `--skip-tags` selection with Ansible's special tags `always`, `never`, `all`,
/// `tagged` and `untagged` (ansible-core's `Taggable.evaluate_tags`).
public struct TagSelection: Sendable, Equatable {
    /// `--tags`; `["all"]` when none were given.
    public var only: Set<String>
    /// `--skip-tags`.
    public var skip: Set<String>

    public init(only: [String] = [], skip: [String] = []) {
        self.only = only.isEmpty ? ["all"] : Set(only)
        self.skip = Set(skip)
    }

    /// Whether a task (or play/block/role) with these effective tags runs.
    public func shouldRun(tags declared: Set<String>) -> Bool {
        let tags: Set<String> = declared.isEmpty ? ["untagged"] : declared
        let isUntagged = tags == ["untagged"]
        var run: Bool
        if tags.contains("always") {
            run = true
        } else if only.contains("all") && !tags.contains("never") {
            run = true
        } else if !tags.isDisjoint(with: only) {
            run = true
        } else if only.contains("tagged") && !isUntagged && !tags.contains("never") {
            run = true
        } else {
            run = false
        }
        guard run, !skip.isEmpty else { return run }
        if skip.contains("all") {
            if !tags.contains("always") || skip.contains("always") { run = false }
        } else if !tags.isDisjoint(with: skip) {
            run = false
        } else if skip.contains("tagged") && !isUntagged {
            run = false
        }
        return run
    }

    /// The names `ansible_run_tags` reports.
    public var runTags: [String] { only.sorted() }
    /// The names `ansible_skip_tags` reports.
    public var skipTags: [String] { skip.sorted() }
}
