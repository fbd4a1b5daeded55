import Diagnostics
import ModuleAPI
import Templating
import Testing

@Suite struct ArgumentValidationTests {
    let location = SourceLocation(file: "t.yml", line: 3, column: 7)

    func locator(_ prefix: String) -> ArgumentLocator {
        { path, key in SourceLocation(file: "t.yml", line: 10 + path.count, column: key ? 1 : 2) }
    }

    func validate(_ arguments: KeyValuePairs<String, Value>, _ spec: ArgumentSpec, skipTemplated: Bool = false)
        throws(ArgumentError) -> ValueDictionary
    {
        try ArgumentValidation.validate(
            ValueDictionary(arguments.map { (Value.string($0.key), $0.value) }), against: spec, module: "m", location: location, locate: locator(""), skipTemplated: skipTemplated)
    }

    @Test func aliasesDefaultsAndConversions() throws {
        let result = try validate(["thirsty": "no", "dest": "/x", "mode": "0644"], CopyModule.spec.arguments)
        #expect(result["force"] == .bool(false))
        #expect(result["thirsty"] == nil)
        #expect(result["backup"] == .bool(false))
        #expect(result["mode"] == "0644")
    }

    @Test(arguments: [
        (OptionSpec.Kind.bool, Value.string("yes"), Value.bool(true)),
        (.bool, "False", false),
        (.bool, 1, true),
        (.int, "8", 8),
        (.int, 8.0, 8),
        (.float, "1.5", 1.5),
        (.float, 2, 2.0),
        (.string, 12, "12"),
        (.string, true, "True"),
        (.list(elements: nil), "a,b", Value.list(["a", "b"])),
        (.list(elements: .int), Value.list(["1", 2]), Value.list([1, 2])),
        (.dict, "a=1 b=2", .object(["a": "1", "b": "2"])),
        (.dict, "{\"a\": [1, true]}", .object(["a": Value.list([1, true])])),
        (.jsonarg, .object(["a": 1]), "{\"a\": 1}"),
        (.mode, "u=rw,g=r", "u=rw,g=r"),
        (.mode, 420, 420),
    ])
    func typeConversions(_ kind: OptionSpec.Kind, _ input: Value, _ expected: Value) throws {
        let spec = ArgumentSpec(["x": OptionSpec(kind)])
        #expect(try validate(["x": input], spec)["x"] == expected)
    }

    @Test func unknownArgumentSuggestsTheClosest() {
        #expect {
            try validate(["dset": "/x"], CopyModule.spec.arguments)
        } throws: { error in
            let error = error as? ArgumentError
            return error?.message == "unsupported parameter for module 'm': 'dset'"
                && error?.location == SourceLocation(file: "t.yml", line: 11, column: 1)
                && error?.notes.first == "did you mean 'dest'?"
        }
    }

    @Test func requiredChoicesAndGroups() {
        #expect(throws: ArgumentError("missing required arguments: dest", at: location)) {
            try validate(["src": "a"], CopyModule.spec.arguments)
        }
        #expect {
            try validate(["path": "/p", "state": "dirctory"], FileModule.spec.arguments)
        } throws: { error in
            let error = error as? ArgumentError
            return error?.message
                == "value of 'state' must be one of: absent, directory, file, link, touch, got: dirctory"
                && error?.notes == ["did you mean 'directory'?"]
        }
        #expect(throws: ArgumentError("parameters are mutually exclusive: src|content", at: SourceLocation(file: "t.yml", line: 11, column: 1))) {
            try validate(["src": "a", "content": "b", "dest": "/d"], CopyModule.spec.arguments)
        }
        #expect(throws: ArgumentError("state is link but all of the following are missing: src", at: SourceLocation(file: "t.yml", line: 11, column: 2))) {
            try validate(["path": "/p", "state": "link"], FileModule.spec.arguments)
        }
        let together = ArgumentSpec(["a": OptionSpec(.string), "b": OptionSpec(.string)], requiredTogether: [["a", "b"]], requiredOneOf: [["a", "c"]])
        #expect(throws: ArgumentError.self) { try validate(["a": "1"], together) }
        #expect(throws: ArgumentError("one of the following is required: a, c", at: location)) { try validate([:], together) }
    }

    @Test func badTypesPointAtTheValue() {
        #expect(throws: ArgumentError("argument 'backup' must be a boolean, got 'maybe'", at: SourceLocation(file: "t.yml", line: 11, column: 2), notes: ["valid booleans include: yes, no, true, false, on, off, 1, 0"])) {
            try validate(["dest": "/d", "backup": "maybe"], CopyModule.spec.arguments)
        }
        #expect(throws: ArgumentError.self) { try validate(["x": "eight"], ArgumentSpec(["x": OptionSpec(.int)])) }
        #expect(throws: ArgumentError.self) { try validate(["x": "rwx"], ArgumentSpec(["x": OptionSpec(.mode)])) }
    }

    @Test func nestedSpecs() throws {
        let spec = SubnetModule.spec.arguments
        let result = try validate(["name": "s", "allocation_pool": .object(["start": "10.0.0.2"])], spec)
        #expect(result["allocation_pool"] == Value.object(["start": "10.0.0.2"]))
        #expect(result["ip_version"] == 4)
        #expect(throws: ArgumentError("missing required arguments: allocation_pool.start", at: SourceLocation(file: "t.yml", line: 11, column: 2))) {
            try validate(["name": "s", "allocation_pool": .object(["end": "x"])], spec)
        }
        #expect(throws: ArgumentError.self) {
            try validate(["name": "s", "allocation_pool": .object(["start": "a", "bogus": 1])], spec)
        }
    }

    @Test func templatedValuesWaitForRunTime() throws {
        let spec = FileModule.spec.arguments
        let loadTime = try validate(["path": "/p", "state": "{{ wanted }}", "mode": "{{ m }}"], spec, skipTemplated: true)
        #expect(loadTime["state"] == "{{ wanted }}")
        #expect(throws: ArgumentError.self) {
            try validate(["path": "/p", "state": "{{ wanted }}"], spec, skipTemplated: false)
        }
    }

    @Test func freeFormModulesTakeRawParams() throws {
        let result = try validate(["_raw_params": "echo hi", "chdir": "/tmp"], CommandModule.spec.arguments)
        #expect(result["_raw_params"] == "echo hi")
        #expect(throws: ArgumentError.self) { try validate(["_raw_params": "x"], CopyModule.spec.arguments) }
    }
}
