import Diagnostics
import Foundation
import PlaybookCore
import Templating

/// A play's `vars_files`, loaded in order; a list entry means "the first of these that exists".
enum VarsFiles {
    static func load(
        _ play: Play, loader: PlaybookLoader, extraVars: [String: VariableLayers.Entry], templar: Templar
    ) throws -> ValueDictionary {
        var result = ValueDictionary()
        var layers = VariableLayers()
        layers.merge(play.vars.dictionary, into: .playVars)
        layers.merge(extraVars, into: .extraVars)
        let scope = TaskScope(layers: layers, templar: templar)
        for entry in play.varsFiles {
            let candidates = entry.value.array ?? [entry.value]
            var loaded = false
            for candidate in candidates {
                let name = PythonRepr.text(try templar.evaluate(candidate, at: entry.location, scope: scope))
                let path = name.hasPrefix("/") ? name : play.directory + "/" + name
                guard FileManager.default.fileExists(atPath: path) else { continue }
                for (key, value) in try loader.loadVariablesFile(path).dictionary { result[key] = value }
                loaded = true
                break
            }
            if !loaded {
                let names = candidates.map { PythonRepr.text($0) }.joined(separator: "', '")
                throw LoadError("vars file '\(names)' was not found", at: entry.location)
            }
        }
        return result
    }
}

/// `--vault-password-file` / `ANSIBLE_VAULT_PASSWORD_FILE`: each file's first line is a password.
enum VaultPasswords {
    static func load(_ files: [String], workingDirectory: String) throws -> VaultSecrets {
        var secrets: [VaultSecrets.Secret] = []
        for file in files {
            let path = file.hasPrefix("/") ? file : workingDirectory + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LoadError("the vault password file '\(file)' was not found", at: nil)
            }
            let text = String(decoding: data, as: UTF8.self)
            let password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            secrets.append(VaultSecrets.Secret(password: password.trimmingSpaces))
        }
        return VaultSecrets(secrets)
    }
}
