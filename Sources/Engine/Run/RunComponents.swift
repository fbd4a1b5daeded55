import ModuleAPI

/// The pluggable parts of a run: which modules exist, how hosts are reached, how facts are gathered.
public struct RunComponents: Sendable {
    public var registry: ModuleRegistry
    /// Connection factories by `ansible_connection` name (`local`, `ssh`, …).
    public var connections: [String: ConnectionFactory]
    public var facts: any FactSource
    /// Answers `vars_prompt` (the terminal by default).
    public var prompts: any PromptSource

    public init(
        registry: ModuleRegistry, connections: [String: ConnectionFactory], facts: any FactSource,
        prompts: any PromptSource = TerminalPrompt()
    ) {
        self.registry = registry
        self.connections = connections
        self.facts = facts
        self.prompts = prompts
    }
}
