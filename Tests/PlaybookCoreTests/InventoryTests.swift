import Diagnostics
import Foundation
import Templating
import TestSupport
import Testing
@testable import PlaybookCore

@Suite struct InventoryTests {
    static let fixtures = Bundle.module.resourcePath.map { $0 + "/Fixtures/inventory" } ?? ""

    static func fixtureInventory() throws -> Inventory {
        try InventoryLoader(workingDirectory: fixtures).load(["hosts.ini"])
    }

    /// Expected host lists recorded with `ansible -i hosts.ini --list-hosts PATTERN` (2.21.5).
    static let patterns: [(String, String)] = [
        ("all", "loose.example.com,web01.example.com,web02.example.com,web03.example.com,weba.alt,webb.alt,db-1,db-3,db-5,host.with.vars,pg1,pg2"),
        ("*", "loose.example.com,web01.example.com,web02.example.com,web03.example.com,weba.alt,webb.alt,db-1,db-3,db-5,host.with.vars,pg1,pg2"),
        ("web", "web01.example.com,web02.example.com,web03.example.com,weba.alt,webb.alt,db-1,db-3,db-5,host.with.vars"),
        ("web:db", "web01.example.com,web02.example.com,web03.example.com,weba.alt,webb.alt,db-1,db-3,db-5,host.with.vars,pg1,pg2"),
        ("web,db", "web01.example.com,web02.example.com,web03.example.com,weba.alt,webb.alt,db-1,db-3,db-5,host.with.vars,pg1,pg2"),
        ("prod:&db", "pg1,pg2"),
        ("prod:!web", "pg1,pg2"),
        ("web*", "web01.example.com,web02.example.com,web03.example.com,weba.alt,webb.alt,db-1,db-3,db-5,host.with.vars"),
        ("~db-[13]", "db-1,db-3"),
        ("web[0]", "web01.example.com"),
        ("web[1:3]", "web02.example.com,web03.example.com,weba.alt"),
        ("web[-1]", "host.with.vars"),
        ("databases:web[0]", "pg1,pg2,web01.example.com"),
        ("!web", "loose.example.com,pg1,pg2"),
        ("pg*:loose*", "pg1,pg2,loose.example.com"),
        ("localhost", "localhost"),
        ("nosuch", ""),
        ("prod:!databases:&db", ""),
    ]

    @Test(arguments: patterns)
    func patternsSelectHostsLikeAnsible(_ pattern: String, _ expected: String) throws {
        let hosts = try Self.fixtureInventory().hosts(matching: pattern)
        #expect(hosts.joined(separator: ",") == expected)
    }

    @Test func limitRestrictsAndReadsFiles() throws {
        let scratch = try Scratch()
        try scratch.write("limit.txt", "pg2\nweb01.example.com\n")
        let inventory = try Self.fixtureInventory()
        let limit = try Inventory.limitPatterns("@limit.txt", workingDirectory: scratch.path)
        #expect(try inventory.hosts(matching: "all", limit: limit) == ["web01.example.com", "pg2"])
        #expect(try inventory.hosts(matching: "prod", limit: ["db"]) == ["pg1", "pg2"])
    }

    @Test func groupVariablePrecedenceOrder() throws {
        let inventory = try Self.fixtureInventory()
        // all (depth 0) < prod (1, priority 5) < web (2); db and databases for pg hosts.
        #expect(inventory.groupsInPrecedenceOrder(of: "web01.example.com") == ["all", "prod", "web"])
        #expect(inventory.groupsInPrecedenceOrder(of: "pg1") == ["all", "prod", "db", "databases"])
        #expect(inventory.depth(of: "databases") == 3)
        #expect(inventory.groups["prod"]?.priority == 5)
        #expect(inventory.groupNames(of: "pg1") == ["databases", "db", "prod"])
        #expect(inventory.groupNames(of: "loose.example.com") == ["ungrouped"])
    }

    @Test func typedIniValuesKeepLocations() throws {
        let inventory = try Self.fixtureInventory()
        let definition = try #require(inventory.hosts["web01.example.com"]?.vars["http_port"])
        #expect(definition.value.value == 8080)
        #expect(definition.location == SourceLocation(file: "hosts.ini", line: 5, column: 24))
        let groupVariable = try #require(inventory.groups["web"]?.vars["ratio"])
        #expect(groupVariable.value.value == 0.75)
        #expect(groupVariable.value.location == SourceLocation(file: "hosts.ini", line: 20, column: 9))
    }

    @Test func inlineListsAndImplicitLocalhost() throws {
        let inventory = try InventoryLoader().load(["a.example.com,b.example.com:2222,"])
        #expect(inventory.hostOrder == ["a.example.com", "b.example.com"])
        #expect(inventory.hosts["b.example.com"]?.vars["ansible_port"]?.value.value == 2222)
        #expect(try inventory.hosts(matching: "localhost") == ["localhost"])
        #expect(try inventory.hosts(matching: "all").contains("localhost") == false)
        #expect(Inventory.implicitLocalhost.vars["ansible_connection"]?.value.value == "local")
    }

    @Test func directoriesAndVarsDirectories() throws {
        let scratch = try Scratch()
        try scratch.write("inv/01-hosts", "[web]\nw1\n")
        try scratch.write("inv/02-more.yml", "all:\n  children:\n    db:\n      hosts:\n        d1:\n")
        try scratch.write("inv/notes.md", "not an inventory\n")
        try scratch.write("inv/group_vars/web.yml", "http_port: 80\n")
        try scratch.write("inv/group_vars/all/10-base.yml", "a: 1\nb: 1\n")
        try scratch.write("inv/group_vars/all/20-over.yaml", "b: 2\n")
        try scratch.write("inv/host_vars/d1", "role: primary\n")
        let inventory = try InventoryLoader(workingDirectory: scratch.path).load(["inv"])
        #expect(inventory.hostOrder == ["w1", "d1"])
        let loaded = try InventoryVariablesLoader().load(beside: scratch.path + "/inv", for: inventory, displayBase: "inv")
        #expect(loaded.groups["web"]?["http_port"]?.value.value == 80)
        #expect(loaded.groups["all"]?.dictionary == ValueDictionary([("a", 1), ("b", 2)]))
        #expect(loaded.hosts["d1"]?["role"]?.location == SourceLocation(file: "inv/host_vars/d1", line: 1, column: 1))
    }

    @Test func multipleSourcesMerge() throws {
        let scratch = try Scratch()
        try scratch.write("a.ini", "[web]\nw1 x=1\n")
        try scratch.write("b.ini", "[web]\nw2\n[web:vars]\ny=2\n[prod:children]\nweb\n")
        let inventory = try InventoryLoader(workingDirectory: scratch.path).load(["a.ini", "b.ini"])
        #expect(inventory.hosts(in: "prod") == ["w1", "w2"])
        #expect(inventory.groups["web"]?.vars["y"]?.value.value == 2)
        #expect(inventory.hosts["w1"]?.vars["x"]?.value.value == 1)
    }

    @Test func runtimeAdditions() {
        var inventory = Inventory()
        inventory.addHost("new", to: "dynamic")
        inventory.addChild("dynamic", to: "parent")
        #expect(inventory.groupNames(of: "new") == ["dynamic", "parent"])
        #expect(inventory.groups["ungrouped"]?.hosts.isEmpty == true)
    }

    @Test func rangesExpand() throws {
        #expect(try HostRange.expand("web[01:03]") == ["web01", "web02", "web03"])
        #expect(try HostRange.expand("db[a:c]") == ["dba", "dbb", "dbc"])
        #expect(try HostRange.expand("n[1:10:4]") == ["n1", "n5", "n9"])
        #expect(try HostRange.expand("r[1:2]-[a:b]") == ["r1-a", "r1-b", "r2-a", "r2-b"])
        #expect(HostRange.splitPort("host:22") == ("host", 22))
        #expect(HostRange.splitPort("web[1:3]") == ("web[1:3]", nil))
    }

    @Test func pythonLiteralTyping() {
        #expect(PythonLiteral.evaluate("0o17") == 15)
        #expect(PythonLiteral.evaluate("1_000") == 1000)
        #expect(PythonLiteral.evaluate("-2.5") == -2.5)
        #expect(PythonLiteral.evaluate("(1, 'a')") == [1, "a"])
        #expect(PythonLiteral.evaluate("{'k': None}") == .object(["k": nil]))
        #expect(PythonLiteral.evaluate("'a' 'b'") == "ab")
        #expect(PythonLiteral.evaluate("yes") == nil)
        #expect(PythonLiteral.evaluate("010") == nil)
        #expect(PythonLiteral.evaluate("1.2.3") == nil)
    }
}

@Suite struct InventoryErrorTests {
    func load(_ ini: String) throws {
        let scratch = try Scratch()
        try scratch.write("hosts", ini)
        _ = try InventoryLoader(workingDirectory: scratch.path).load(["hosts"])
    }

    @Test func badHostVariable() {
        expectLoadError(line: 2, column: 10, "expected key=value host variable assignment, got: ;") {
            try load("[web]\nweb1 a=1 ; comment\n")
        }
    }

    @Test func unknownSectionType() {
        expectLoadError(line: 3, column: 6, "section [web:hostz] has unknown type: hostz") {
            try load("[web]\nw1\n[web:hostz]\n")
        }
    }

    @Test func invalidSectionEntry() {
        expectLoadError(line: 1, column: 1, "invalid section entry: '[web servers]'") {
            try load("[web servers]\nw1\n")
        }
    }

    @Test func badRanges() {
        expectLoadError(line: 2, column: 4, "host range must specify equal-length begin and end formats") {
            try load("[web]\nweb[01:100]\n")
        }
        expectLoadError(line: 2, column: 4, "host range must specify end value") {
            try load("[web]\nweb[1:]\n")
        }
        expectLoadError(line: 2, column: 4, "host range must be begin:end or begin:end:step") {
            try load("[web]\nweb[1]\n")
        }
    }

    @Test func varsForUndefinedGroup() {
        expectLoadError(line: 1, column: 1, "section [ghost:vars] not valid for undefined group 'ghost'") {
            try load("[ghost:vars]\na=1\n")
        }
    }

    @Test func childrenWithUndefinedGroup() {
        expectLoadError(line: 2, column: 3, "section [prod:children] includes undefined group 'missing'") {
            try load("[prod:children]\n  missing\n")
        }
    }

    @Test func varsLineWithoutEquals() {
        expectLoadError(line: 4, column: 1, "expected key=value, got: just words") {
            try load("[web]\nw1\n[web:vars]\njust words\n")
        }
    }

    @Test func unclosedQuote() {
        expectLoadError(line: 1, column: 1, "No closing quotation") {
            try load("w1 a='open\n")
        }
    }

    @Test func yamlInventoryErrorsAreLocated() throws {
        let scratch = try Scratch()
        try scratch.write("inv.yml", "all:\n  hosts:\n    - a\n    - b\n")
        expectLoadError(line: 3, column: 5, "invalid 'hosts' entry for group 'all': requires a mapping, got a list") {
            _ = try InventoryLoader(workingDirectory: scratch.path).load(["inv.yml"])
        }
        try scratch.write("bad.yml", "all:\n  childern: {}\n")
        expectLoadError(line: 2, column: 3, "unexpected key 'childern' in group 'all'", note: "did you mean 'children'?") {
            _ = try InventoryLoader(workingDirectory: scratch.path).load(["bad.yml"])
        }
    }
}
