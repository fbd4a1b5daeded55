import Diagnostics
import ModuleAPI
import Templating
import TestSupport
import Testing
@testable import PlaybookCore

@Suite struct RoleArgumentSpecsTests {
    @Test func loadsAndValidatesRoleArguments() throws {
        let scratch = try Scratch()
        try scratch.write("roles/app/tasks/main.yml", "- debug: msg=app\n")
        try scratch.write(
            "roles/app/meta/argument_specs.yml",
            """
            argument_specs:
              main:
                short_description: the app
                options:
                  app_port:
                    type: int
                    required: true
                  app_mode:
                    type: str
                    choices: [fast, safe]
                    default: safe
                  app_pool:
                    type: dict
                    options:
                      size: {type: int, default: 2}
                  app_tags:
                    type: list
                    elements: str
            """)
        try scratch.write("site.yml", "- hosts: all\n  roles: [app]\n")
        let playbook = try makeLoader(workingDirectory: scratch.path).loadPlaybook("site.yml")
        guard case .play(let play) = try #require(playbook.entries.first) else { return }
        let specs = try #require(play.roles.first?.role.argumentSpecs)
        #expect(specs.entryPoints == ["main"])
        let spec = try #require(try specs.spec(for: "main"))
        let validated = try ArgumentValidation.validate(
            ValueDictionary([("app_port", "8080"), ("app_pool", .object([:])), ("app_tags", "a,b")]), against: spec,
            module: "role app", location: nil, skipTemplated: false)
        #expect(validated["app_port"] == 8080)
        #expect(validated["app_mode"] == "safe")
        #expect(validated["app_pool"] == .object(["size": 2]))
        #expect(validated["app_tags"] == ["a", "b"])
        #expect(throws: ArgumentError.self) {
            try ArgumentValidation.validate(ValueDictionary(), against: spec, module: "role app", location: nil, skipTemplated: false)
        }
    }

    @Test func unknownTypesAreLocated() throws {
        let node = try #require(try YAMLLoader().parse("main:\n  options:\n    x: {type: integer}\n", file: "specs.yml"))
        expectLoadError(line: 3, column: 15, "unknown argument spec type 'integer'") {
            _ = try RoleArgumentSpecs(node: node).spec(for: "main")
        }
    }
}
