import Diagnostics
import Templating
import TestSupport
import Testing
@testable import PlaybookCore

@Suite struct PlaybookLoaderTests {
    @Test func loadsPlayKeywordsAndTaskSyntaxes() throws {
        let scratch = try Scratch()
        try scratch.write(
            "site.yml",
            """
            - name: Configure
              hosts: web:&prod
              gather_facts: no
              serial: [1, "50%"]
              become: true
              vars:
                port: 8080
              tasks:
                - name: dict args
                  copy:
                    dest: /tmp/x
                    content: "{{ port }}"
                  register: copied
                  when: port > 0
                  tags: [a, b]
                - name: k=v args
                  ansible.builtin.copy: dest=/tmp/y content='two words'
                - name: free form
                  command: echo hi chdir=/tmp
                - action: shell echo old style
                - local_action: command uptime
                - debug: var=port
                  loop: [1, 2]
                  notify: restart
              handlers:
                - name: restart
                  debug: msg=restarted
                  listen: [web restarted]
            """)
        let playbook = try makeLoader(workingDirectory: scratch.path).loadPlaybook("site.yml")
        guard case .play(let play) = try #require(playbook.entries.first) else {
            Issue.record("expected a play")
            return
        }
        #expect(play.hosts.value == "web:&prod")
        #expect(play.keywords.value("gather_facts") == .bool(false))
        #expect(play.keywords.value("serial") == [1, "50%"])
        #expect(play.vars["port"]?.value.value == 8080)
        #expect(play.vars["port"]?.location == SourceLocation(file: "site.yml", line: 7, column: 5))
        let tasks = play.tasks.compactMap(\.task)
        #expect(tasks.count == 6)

        #expect(tasks[0].action.resolvedName == "ansible.builtin.copy")
        #expect(tasks[0].action.arguments.dictionary == ValueDictionary([("dest", "/tmp/x"), ("content", "{{ port }}")]))
        #expect(tasks[0].action.arguments["content"]?.value.location == SourceLocation(file: "site.yml", line: 12, column: 18))
        #expect(tasks[0].action.arguments["content"]?.keyLocation == SourceLocation(file: "site.yml", line: 12, column: 9))
        #expect(tasks[0].register?.value == "copied")
        #expect(tasks[0].when.map(\.value) == ["port > 0"])
        #expect(tasks[0].tags.tags == ["a", "b"])

        #expect(tasks[1].action.writtenName == "ansible.builtin.copy")
        #expect(tasks[1].action.arguments.dictionary == ValueDictionary([("dest", "/tmp/y"), ("content", "two words")]))

        #expect(tasks[2].action.arguments.dictionary == ValueDictionary([("chdir", "/tmp"), ("_raw_params", "echo hi")]))
        #expect(tasks[3].action.resolvedName == "ansible.builtin.shell")
        #expect(tasks[3].action.arguments.dictionary == ValueDictionary([("_raw_params", "echo old style")]))
        #expect(tasks[4].keywords.value("delegate_to") == "localhost")
        #expect(tasks[4].action.arguments.dictionary == ValueDictionary([("_raw_params", "uptime")]))

        #expect(tasks[5].action.isControllerAction)
        #expect(tasks[5].action.resolvedName == "ansible.builtin.debug")
        #expect(tasks[5].action.arguments.dictionary == ValueDictionary([("var", "port")]))
        #expect(tasks[5].loop?.items.value == [1, 2])
        #expect(tasks[5].notify.map(\.value) == ["restart"])

        let handler = try #require(play.handlers.first?.task)
        #expect(handler.listen.map(\.value) == ["web restarted"])
    }

    @Test func legacyOpenStackNamesRoute() throws {
        let scratch = try Scratch()
        let tasks = try loadTasks(
            "- hosts: localhost\n  tasks:\n    - os_subnet: {name: s1, cidr: 10.0.0.0/24}\n", scratch: scratch)
        #expect(tasks.first?.task?.action.resolvedName == "openstack.cloud.subnet")
        #expect(tasks.first?.task?.action.writtenName == "os_subnet")
    }

    @Test func blocksAndWithLoops() throws {
        let scratch = try Scratch()
        let tasks = try loadTasks(
            """
            - hosts: all
              tasks:
                - name: group
                  block:
                    - debug: msg=a
                  rescue:
                    - debug: msg=b
                  always:
                    - debug: msg=c
                  when: x is defined
                  become: yes
                - debug: msg={{ item }}
                  with_items: [1, 2]
            """, scratch: scratch)
        let block = try #require(tasks.first?.block)
        #expect(block.block.count == 1 && block.rescue.count == 1 && block.always.count == 1)
        #expect(block.when.map(\.value) == ["x is defined"])
        #expect(block.keywords.value("become") == .bool(true))
        #expect(tasks[1].task?.loop?.kind == .with("items"))
    }

    @Test func importTasksIsExpandedStatically() throws {
        let scratch = try Scratch()
        try scratch.write("tasks/more.yml", "- debug: msg=imported\n- debug: msg=second\n")
        let tasks = try loadTasks(
            """
            - hosts: all
              tasks:
                - import_tasks: tasks/more.yml
                  when: flag
                  tags: t1
                - include_tasks: tasks/more.yml
            """, scratch: scratch)
        let block = try #require(tasks.first?.block)
        #expect(block.origin == .importTasks(file: "tasks/more.yml"))
        #expect(block.block.count == 2)
        #expect(block.when.map(\.value) == ["flag"])
        #expect(block.tags.tags == ["t1"])
        #expect(block.block.first?.task?.location == SourceLocation(file: "tasks/more.yml", line: 1, column: 3))
        let include = try #require(tasks[1].task)
        #expect(include.action.resolvedName == "ansible.builtin.include_tasks")
        #expect(include.action.arguments["_raw_params"]?.value.value == "tasks/more.yml")
        let loaded = try makeLoader(workingDirectory: scratch.path).loadTaskFile(
            "tasks/more.yml", includedFrom: include, playbookDirectory: scratch.path)
        #expect(loaded.count == 2)
    }

    @Test func rolesLoadWithDependenciesDefaultsAndHandlers() throws {
        let scratch = try Scratch()
        try scratch.write("roles/common/tasks/main.yml", "- debug: msg=common\n")
        try scratch.write("roles/web/tasks/main.yml", "- copy: {dest: /tmp/w, content: '{{ web_port }}'}\n")
        try scratch.write("roles/web/defaults/main.yml", "web_port: 80\n")
        try scratch.write("roles/web/vars/main.yml", "web_user: www\n")
        try scratch.write("roles/web/handlers/main.yml", "- name: reload web\n  debug: msg=reload\n")
        try scratch.write("roles/web/meta/main.yml", "dependencies:\n  - role: common\n    vars: {x: 1}\n")
        try scratch.write(
            "site.yml",
            """
            - hosts: all
              roles:
                - web
                - role: common
                  tags: [c]
                  when: enabled
                  extra_param: 5
              tasks:
                - import_role:
                    name: web
            """)
        let playbook = try makeLoader(workingDirectory: scratch.path).loadPlaybook("site.yml")
        guard case .play(let play) = try #require(playbook.entries.first) else { return }
        #expect(play.roles.count == 2)
        let web = play.roles[0].role
        #expect(web.name == "web")
        #expect(web.defaults["web_port"]?.value.value == 80)
        #expect(web.vars["web_user"]?.value.value == "www")
        #expect(web.handlers.first?.task?.name?.value == "reload web")
        #expect(web.dependencies.first?.role.name == "common")
        #expect(web.dependencies.first?.vars["x"]?.value.value == 1)
        #expect(play.roles[1].tags.tags == ["c"])
        #expect(play.roles[1].vars["extra_param"]?.value.value == 5)
        let compiled = play.roles[0].compiledBlock()
        #expect(compiled.block.count == 2)
        #expect(compiled.block.last?.task?.role?.name == "web")
        let imported = try #require(play.tasks.first?.block)
        guard case .importRole(let inclusion) = imported.origin else {
            Issue.record("expected an import_role block")
            return
        }
        #expect(inclusion.role.name == "web")
    }

    @Test func rolesAreFoundBesideTheRepository() throws {
        let scratch = try Scratch()
        try scratch.write("Roles/lb/tasks/main.yml", "- debug: msg=lb\n")
        try scratch.write("Playbooks/site.yml", "- hosts: all\n  roles: [lb]\n")
        let playbook = try makeLoader(workingDirectory: scratch.path).loadPlaybook("Playbooks/site.yml")
        guard case .play(let play) = try #require(playbook.entries.first) else { return }
        #expect(play.roles.first?.role.path.hasSuffix("/Roles/lb") == true)
    }

    @Test func importPlaybook() throws {
        let scratch = try Scratch()
        try scratch.write("other.yml", "- hosts: db\n  tasks: []\n")
        try scratch.write("site.yml", "- import_playbook: other.yml\n  vars: {a: 1}\n- hosts: web\n")
        let playbook = try makeLoader(workingDirectory: scratch.path).loadPlaybook("site.yml")
        let plays = playbook.flattenedPlays
        #expect(plays.map(\.play.hosts.value) == ["db", "web"])
        #expect(plays.first?.imports.first?.vars["a"]?.value.value == 1)
    }

    @Test func importPlaybookPathsUseExtraVariables() throws {
        let scratch = try Scratch()
        try scratch.write("env-prod.yml", "- hosts: prod\n")
        try scratch.write("site.yml", "- import_playbook: \"env-{{ env }}.yml\"\n")
        var loader = makeLoader(workingDirectory: scratch.path)
        loader.options.staticVariables = ValueDictionary([("env", "prod")])
        #expect(try loader.loadPlaybook("site.yml").flattenedPlays.map(\.play.hosts.value) == ["prod"])
        expectLoadError(line: 1, column: 20, "can only use extra variables") {
            _ = try makeLoader(workingDirectory: scratch.path).loadPlaybook("site.yml")
        }
    }
}
