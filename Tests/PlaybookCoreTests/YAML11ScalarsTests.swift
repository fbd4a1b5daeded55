import Testing
import Templating
@testable import PlaybookCore

/// Expected values come from PyYAML's SafeLoader (what Ansible uses), generated with the
/// ansible venv; timestamps stay strings in our value model.
@Suite struct YAML11ScalarsTests {
    static let table: [(String, Value?)] = [
        ("yes", .bool(true)),
        ("Yes", .bool(true)),
        ("YES", .bool(true)),
        ("no", .bool(false)),
        ("No", .bool(false)),
        ("NO", .bool(false)),
        ("on", .bool(true)),
        ("On", .bool(true)),
        ("ON", .bool(true)),
        ("off", .bool(false)),
        ("Off", .bool(false)),
        ("OFF", .bool(false)),
        ("true", .bool(true)),
        ("True", .bool(true)),
        ("TRUE", .bool(true)),
        ("false", .bool(false)),
        ("False", .bool(false)),
        ("FALSE", .bool(false)),
        ("y", .string("y")),
        ("Y", .string("Y")),
        ("n", .string("n")),
        ("yEs", .string("yEs")),
        ("tRue", .string("tRue")),
        ("~", Value.none),
        ("null", Value.none),
        ("Null", Value.none),
        ("NULL", Value.none),
        ("", Value.none),
        ("nULL", .string("nULL")),
        ("0", .int(0)),
        ("12", .int(12)),
        ("-12", .int(-12)),
        ("+12", .int(12)),
        ("0755", .int(493)),
        ("09", .string("09")),
        ("0x1F", .int(31)),
        ("0x_1f", .int(31)),
        ("0b101", .int(5)),
        ("1_000", .int(1000)),
        ("0o17", .string("0o17")),
        ("1:30", .int(90)),
        ("-1:30", .int(-90)),
        ("190:20:30", .int(685230)),
        ("1:60", .string("1:60")),
        ("1.5", .float(1.5)),
        ("1.", .float(1.0)),
        ("-.5", .string("-.5")),
        (".5", .float(0.5)),
        ("1e3", .string("1e3")),
        ("1.0e3", .string("1.0e3")),
        ("1.0e+3", .float(1000.0)),
        ("1.0E-2", .float(0.01)),
        ("1_0.5", .float(10.5)),
        ("6.8523015e+5", .float(685230.15)),
        ("685.230_15e+03", .float(685230.15)),
        ("190:20:30.15", .float(685230.15)),
        (".inf", .float(.infinity)),
        ("-.Inf", .float(-.infinity)),
        ("+.INF", .float(.infinity)),
        (".nan", nil),
        (".NaN", nil),
        ("-.nan", .string("-.nan")),
        ("2001-12-14", .string("2001-12-14")),
        ("abc", .string("abc")),
        ("1.2.3", .string("1.2.3")),
        ("0.", .float(0.0)),
        ("00", .int(0)),
        ("-0", .int(0)),
        ("+0", .int(0)),
        ("<<x", .string("<<x")),
        ("12abc", .string("12abc")),
        ("0x", .string("0x")),
        ("1_", .int(1)),
        ("_1", .string("_1")),
    ]

    @Test(arguments: table)
    func resolvesPlainScalarsLikePyYAML(_ text: String, _ expected: Value?) {
        let value = YAML11Scalars.resolvePlain(text)
        if let expected {
            #expect(value == expected, "\(text)")
        } else {
            guard case .float(let number) = value else {
                Issue.record("\(text) should be NaN, got \(value)")
                return
            }
            #expect(number.isNaN)
        }
    }

    @Test func quotedScalarsStayStrings() throws {
        let node = try YAMLLoader().parse("a: 'yes'\nb: \"12\"\nc: |\n  on\n", file: "t.yml")
        #expect(node?.value == .object(["a": "yes", "b": "12", "c": "on\n"]))
    }
}
