import ModuleAPI
import Templating
import Testing

@testable import OpenStack

/// Projects, users and role assignments against the test bed's real Keystone.
@Suite(.enabled(if: TestBed.isAvailable, "needs STACKPLAY_TESTBED with the test bed's clouds.yaml"))
struct IdentityModuleTests {
    static let cloud: [String: Value] = ["cloud": "devstack-admin"]

    @Test func projectUserAndRoleAssignmentLifecycle() async throws {
        let projectName = TestBed.uniqueName("prj")
        let project = Self.cloud.with(["name": .string(projectName), "domain": "default", "description": "tenant"])
        let createdProject = try await ModuleHarness.run(ProjectModule.self, project)
        #expect(createdProject.changed)
        #expect(DocumentedKeys.covers(DocumentedKeys.project, createdProject.resource("project")))
        #expect(try await ModuleHarness.run(ProjectModule.self, project).changed == false)
        #expect(try await ModuleHarness.run(ProjectModule.self, project.with(["is_enabled": false]), check: true).changed)
        let disabled = try await ModuleHarness.run(ProjectModule.self, project.with(["is_enabled": false]))
        #expect(disabled.changed)
        #expect(disabled.resource("project")?["is_enabled"] == false)
        #expect(try await ModuleHarness.run(ProjectModule.self, project.with(["is_enabled": false])).changed == false)

        let userName = TestBed.uniqueName("usr")
        let user = Self.cloud.with([
            "name": .string(userName), "password": "s3cret", "domain": "default", "default_project": .string(projectName),
            "email": "a@example.org",
        ])
        let createdUser = try await ModuleHarness.run(IdentityUserModule.self, user)
        #expect(createdUser.changed)
        #expect(DocumentedKeys.covers(DocumentedKeys.user, createdUser.resource("user")))
        #expect(createdUser.resource("user")?["password"] == Value.none)
        #expect(try await ModuleHarness.run(IdentityUserModule.self, user).changed == false)
        #expect(try await ModuleHarness.run(IdentityUserModule.self, user.with(["update_password": "always"])).changed)
        let mailed = try await ModuleHarness.run(IdentityUserModule.self, user.with(["email": "b@example.org"]))
        #expect(mailed.changed)
        #expect(mailed.resource("user")?["email"] == "b@example.org")

        let grant = Self.cloud.with(["user": .string(userName), "project": .string(projectName), "role": "member"])
        #expect(try await ModuleHarness.run(RoleAssignmentModule.self, grant, check: true).changed)
        #expect(try await ModuleHarness.run(RoleAssignmentModule.self, grant).changed)
        #expect(try await ModuleHarness.run(RoleAssignmentModule.self, grant).changed == false)
        #expect(try await ModuleHarness.run(RoleAssignmentModule.self, grant.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(RoleAssignmentModule.self, grant.with(["state": "absent"])).changed == false)

        #expect(try await ModuleHarness.run(IdentityUserModule.self, user.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(IdentityUserModule.self, user.with(["state": "absent"])).changed == false)
        #expect(try await ModuleHarness.run(ProjectModule.self, project.with(["state": "absent"])).changed)
        #expect(try await ModuleHarness.run(ProjectModule.self, project.with(["state": "absent"])).changed == false)
    }
}
