import Foundation
import Templating
import Testing

/// `ansible_managed` and the `template_*` variables, as ansible-core 2.21 renders them
/// (checked against ansible-playbook with the template module and `lookup('template', …)`).
@Suite struct TemplateFileVariablesTests {
    let engine = TemplateEngine()

    func makeTemplate(_ text: String) throws -> (root: String, path: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stackplay-tfv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/templates", withIntermediateDirectories: true)
        let path = root + "/templates/motd.j2"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (root, path)
    }

    @Test func theDefaultIsAnsibleManaged() throws {
        let (root, path) = try makeTemplate("x")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let variables = TemplateFileVariables.make(
            path: "motd.j2", fullPath: path, destination: "/etc/motd", managedFormat: TemplateFileVariables.defaultManaged,
            includeManaged: true)
        #expect(variables["ansible_managed"] == "Ansible managed")
        #expect(variables["template_path"] == "motd.j2")
        #expect(variables["template_fullpath"] == .string(path))
        #expect(variables["template_destpath"] == "/etc/motd")
        #expect(variables["template_uid"] == .string(NSUserName()))
        #expect(variables["template_host"]?.string?.isEmpty == false)
        // str(datetime): date, time and microseconds.
        let mtime = try #require(variables["template_mtime"]?.string)
        #expect(mtime.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?/) != nil)
    }

    @Test func theConfiguredFormatTakesHostUidFileAndStrftime() throws {
        let (root, path) = try makeTemplate("x")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let year = Calendar.current.component(.year, from: Date())
        // As ansible-core: str.format ({{ → {), then time.strftime with the template's mtime; the
        // substituted path is not a strftime format.
        let variables = TemplateFileVariables.make(
            path: "a%Yb.j2", fullPath: path, destination: nil,
            managedFormat: "{file} by {uid} at %Y %%Y {{ x }} {unknown}", includeManaged: true)
        #expect(variables["ansible_managed"] == .string("a%Yb.j2 by \(NSUserName()) at \(year) %Y { x } {unknown}"))
        #expect(variables["template_destpath"] == Value.none)
    }

    @Test func theTemplateLookupDefinesThemUnlessThePlayDefinesAnsibleManaged() throws {
        let (root, _) = try makeTemplate("{{ ansible_managed }}|{{ template_path }}|{{ template_destpath }}")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let context = LookupContext(templateSearchPaths: [root + "/templates"], workingDirectory: root, ansibleManaged: "Managed: {file}")
        let rendered = try engine.evaluate("{{ lookup('template', 'motd.j2') }}", at: nil, scope: DictionaryScope([:]), context: context)
        #expect(rendered == "Managed: motd.j2|motd.j2|")
        let own = try engine.evaluate(
            "{{ lookup('template', 'motd.j2') }}", at: nil, scope: DictionaryScope(["ansible_managed": "mine"]),
            context: context)
        #expect(own == "mine|motd.j2|")
    }
}
