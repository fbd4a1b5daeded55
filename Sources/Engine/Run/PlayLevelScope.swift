import Templating

extension PlayPlan {
    /// The variables a play's own keywords see before any host is involved (ansible-core's
    /// `get_vars(play=play)`): play vars, prompt answers, `vars_files` (when already read) and extra vars.
    func playLevelScope(extraVars: [String: VariableLayers.Entry], templar: any TemplateEvaluator, withVarsFiles: Bool = true)
        -> TaskScope
    {
        var layers = VariableLayers()
        layers.merge(vars, into: .playVars)
        if !promptedVars.isEmpty { layers.merge(promptedVars, into: .playVarsPrompt) }
        if withVarsFiles { layers.merge(varsFiles, into: .playVarsFiles) }
        layers.merge(extraVars, into: .extraVars)
        return TaskScope(layers: layers, magic: ["playbook_dir": .string(playbookDirectory)], templar: templar)
    }

    /// Reads `vars_files` with the play-level variables known now (again after the prompts).
    mutating func readVarsFiles(extraVars: [String: VariableLayers.Entry], templar: any TemplateEvaluator) throws {
        guard let source = varsFilesSource else { return }
        let reading = try source.read(in: playLevelScope(extraVars: extraVars, templar: templar, withVarsFiles: false))
        varsFiles = reading.variables
        varsFilesUndefined = reading.undefinedEntries
    }
}
