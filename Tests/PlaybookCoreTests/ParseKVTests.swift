import Testing
@testable import PlaybookCore
@testable import Templating

/// Expectations generated with ansible-core 2.21's own `parse_kv` (ansible.parsing.splitter).
@Suite struct ParseKVTests {
    static let table: [(String, Bool, [String])] = [
        ("a=b c=d", false, ["a", "b", "c", "d"]),
        ("msg='hello world'", false, ["msg", "hello world"]),
        ("msg=\"hello world\" var=x", false, ["msg", "hello world", "var", "x"]),
        ("echo hi", true, ["_raw_params", "echo hi"]),
        ("echo hi chdir=/tmp", true, ["chdir", "/tmp", "_raw_params", "echo hi"]),
        ("ls -l creates=/x removes=/y", true, ["creates", "/x", "removes", "/y", "_raw_params", "ls -l"]),
        ("foo=bar", true, ["_raw_params", "foo=bar"]),
        ("a=1 b='two words' c=\"3 4\"", false, ["a", "1", "b", "two words", "c", "3 4"]),
        ("msg={{ a + b }}", false, ["msg", "{{ a + b }}"]),
        ("msg=\"{{ 'x y' }}\" other={{ foo }}", false, ["msg", "{{ 'x y' }}", "other", "{{ foo }}"]),
        ("a\\=b", false, ["_raw_params", "a=b"]),
        ("key=a=b", false, ["key", "a=b"]),
        ("echo 'a b'  c", true, ["_raw_params", "echo 'a b'  c"]),
        ("line one\nline two", true, ["_raw_params", "line one\nline two"]),
        ("x=1\ny=2", false, ["x", "1", "y", "2"]),
        ("include.yml", false, ["_raw_params", "include.yml"]),
        ("path=/tmp mode=0644", false, ["path", "/tmp", "mode", "0644"]),
        ("msg=tab\\there", false, ["msg", "tab\there"]),
        ("echo {% if x %}y{% endif %}", true, ["_raw_params", "echo {% if x %}y{% endif %}"]),
        ("a= b", false, ["a", "", "_raw_params", "b"]),
        (" a=b ", false, ["a", "b"]),
        ("msg='it''s'", false, ["msg", "it''s"]),
        ("cmd=\"a\\\"b\"", false, ["cmd", "a\"b"]),
        ("{{ item }}", true, ["_raw_params", "{{ item }}"]),
        ("echo \\\nnext", true, ["_raw_params", "echo next"]),
    ]

    @Test(arguments: table)
    func parsesLikeAnsible(_ text: String, _ checkRaw: Bool, _ expected: [String]) throws {
        let options = try ParseKV.parse(text, checkRaw: checkRaw)
        #expect(options.flatMap { [$0.0, $0.1] } == expected, "\(text)")
    }

    @Test func unbalancedQuotesOrBlocksFail() {
        #expect(throws: ParseKV.SplitError.self) { try ParseKV.parse("msg='unclosed", checkRaw: false) }
        #expect(throws: ParseKV.SplitError.self) { try ParseKV.parse("msg={{ a", checkRaw: false) }
    }
}
