import Diagnostics
import TestSupport
import Testing
@testable import PlaybookCore

/// Every static error names the exact line and column of the offending node.
@Suite struct PlaybookLoaderErrorTests {
    func load(_ text: String, files: [String: String] = [:]) throws {
        let scratch = try Scratch()
        for (path, content) in files { try scratch.write(path, content) }
        try scratch.write("site.yml", text)
        _ = try makeLoader(workingDirectory: scratch.path).loadPlaybook("site.yml")
    }

    @Test func unknownPlayKeywordSuggestsTheClosest() {
        expectLoadError(line: 3, column: 3, "'tsks' is not a valid keyword for a play", note: "did you mean 'tasks'?") {
            try load("- hosts: all\n  name: x\n  tsks: []\n")
        }
    }

    @Test func unknownTaskKeywordSuggestsTheClosest() {
        expectLoadError(line: 4, column: 7, "'whn' is not a valid keyword for a task", note: "did you mean 'when'?") {
            try load("- hosts: all\n  tasks:\n    - debug: msg=hi\n      whn: true\n")
        }
    }

    @Test func unknownModuleSuggestsTheClosest() {
        expectLoadError(line: 4, column: 7, "couldn't resolve module/action 'cpy'", note: "did you mean 'copy'?") {
            try load("- hosts: all\n  tasks:\n    - name: t\n      cpy: {dest: /x}\n")
        }
    }

    @Test func retiredFactsNamesDoNotResolve() {
        expectLoadError(line: 3, column: 7, "couldn't resolve module/action 'os_subnets_facts'") {
            try load("- hosts: all\n  tasks:\n    - os_subnets_facts: {}\n")
        }
    }

    @Test func conflictingActions() {
        expectLoadError(line: 4, column: 7, "conflicting action statements: debug, command") {
            try load("- hosts: all\n  tasks:\n    - debug: msg=a\n      command: ls\n")
        }
    }

    @Test func taskThatIsAString() {
        expectLoadError(line: 3, column: 7, "a task must be a mapping, got a string") {
            try load("- hosts: all\n  tasks:\n    - debug msg=hi\n")
        }
    }

    @Test func missingHosts() {
        expectLoadError(line: 1, column: 3, "the field 'hosts' is required but was not set") {
            try load("- name: no hosts\n  tasks: []\n")
        }
    }

    @Test func playbookMustBeAList() {
        expectLoadError(line: 1, column: 1, "a playbook must be a list of plays, got a mapping") {
            try load("hosts: all\n")
        }
    }

    @Test func missingStaticImport() {
        expectLoadError(line: 3, column: 21, "could not find or access 'nope.yml'", note: "searched:") {
            try load("- hosts: all\n  tasks:\n    - import_tasks: nope.yml\n")
        }
    }

    @Test func loopOnImportTasksIsRejected() {
        expectLoadError(line: 4, column: 13, "you cannot use loops on 'import_tasks'") {
            try load("- hosts: all\n  tasks:\n    - import_tasks: t.yml\n      loop: [1]\n", files: ["t.yml": "[]\n"])
        }
    }

    @Test func badLoopAndWhenTypes() {
        expectLoadError(line: 4, column: 13, "invalid data passed to 'loop', it requires a list, got an integer") {
            try load("- hosts: all\n  tasks:\n    - debug: msg=a\n      loop: 5\n")
        }
        expectLoadError(line: 5, column: 9, "'when' must be a string, a boolean or a list of them, got a mapping") {
            try load("- hosts: all\n  tasks:\n    - debug: msg=a\n      when:\n        a: b\n")
        }
    }

    @Test func badKeywordValueTypes() {
        expectLoadError(line: 2, column: 11, "'become' must be a boolean, got 'maybe'") {
            try load("- hosts: all\n  become: maybe\n")
        }
        expectLoadError(line: 2, column: 9, "'port' must be an integer, got 'ssh'") {
            try load("- hosts: all\n  port: ssh\n")
        }
        expectLoadError(line: 4, column: 14, "'delay' must be a number, got 'soon'") {
            try load("- hosts: all\n  tasks:\n    - debug: msg=a\n      delay: soon\n")
        }
        // ansible-core's delay is a float: a fraction of a second is valid.
        #expect(throws: Never.self) { try load("- hosts: all\n  tasks:\n    - debug: msg=a\n      delay: 0.5\n") }
        // include_tasks' `apply:` is a block's keywords, checked when the playbook loads.
        expectLoadError(line: 6, column: 11, "'taggs' is not a valid keyword for a block", note: "did you mean 'tags'?") {
            try load("- hosts: all\n  tasks:\n    - include_tasks:\n        file: x.yml\n        apply:\n          taggs: a\n")
        }
        expectLoadError(line: 3, column: 43, "'apply' must be a mapping of task keywords, got a string") {
            try load("- hosts: all\n  tasks:\n    - include_tasks: {file: x.yml, apply: tags}\n")
        }
        expectLoadError(line: 2, column: 13, "invalid strategy 'lineer'", note: "did you mean 'linear'?") {
            try load("- hosts: all\n  strategy: lineer\n")
        }
        expectLoadError(line: 4, column: 17, "invalid variable name in 'register': 'bad-name'") {
            try load("- hosts: all\n  tasks:\n    - debug: msg=a\n      register: bad-name\n")
        }
    }

    @Test func templatedKeywordValuesWaitForRunTime() throws {
        try load("- hosts: all\n  become: \"{{ use_become }}\"\n  port: \"{{ p }}\"\n")
    }

    @Test func invalidVariableNames() {
        expectLoadError(line: 3, column: 5, "invalid variable name 'bad-var' in play") {
            try load("- hosts: all\n  vars:\n    bad-var: 1\n")
        }
    }

    @Test func extraParamsOnlyForFreeFormActions() {
        expectLoadError(line: 3, column: 13, "this task 'copy' has extra params") {
            try load("- hosts: all\n  tasks:\n    - copy: just text\n")
        }
    }

    @Test func unbalancedKVQuotes() {
        expectLoadError(line: 3, column: 14, "failed at splitting arguments") {
            try load("- hosts: all\n  tasks:\n    - debug: msg='oops\n")
        }
    }

    @Test func missingRoleSuggestsTheClosest() {
        expectLoadError(line: 2, column: 11, "the role 'wbe' was not found", note: "did you mean 'web'?") {
            try load("- hosts: all\n  roles: [wbe]\n", files: ["roles/web/tasks/main.yml": "[]\n"])
        }
    }

    @Test func errorsInsideImportedFilesNameThatFile() {
        expectLoadError(line: 2, column: 3, "'whn' is not a valid keyword for a task") {
            try load(
                "- hosts: all\n  tasks:\n    - import_tasks: inc.yml\n",
                files: ["inc.yml": "- debug: msg=a\n  whn: x\n"])
        }
    }

    @Test func unknownLoopControlOption() {
        expectLoadError(line: 6, column: 9, "'loopvar' is not a valid 'loop_control' option", note: "did you mean 'loop_var'?") {
            try load("- hosts: all\n  tasks:\n    - debug: var=x\n      loop: [1]\n      loop_control:\n        loopvar: x\n")
        }
    }

    @Test func rescueWithoutBlock() {
        expectLoadError(line: 4, column: 7, "'rescue' is only allowed in a block") {
            try load("- hosts: all\n  tasks:\n    - debug: msg=a\n      rescue: []\n")
        }
    }

    @Test func recursiveImport() {
        expectLoadError(line: 1, column: 17, "recursive import of 'a.yml'") {
            try load("- hosts: all\n  tasks:\n    - import_tasks: a.yml\n", files: ["a.yml": "- import_tasks: a.yml\n"])
        }
    }
}
