import Templating

/// Renders a `diff` entry (`before`, `after`, `before_header`, `after_header`, or `prepared`) as the
/// unified diff ansible-playbook prints for `--diff` (Python's `difflib.unified_diff`, 3 lines of context).
enum DiffRenderer {
    static func render(_ diff: Value) -> String {
        guard let entry = diff.dictionary else { return "" }
        if let prepared = entry["prepared"]?.string { return prepared.hasSuffix("\n") ? prepared : prepared + "\n" }
        guard entry["before"] != nil || entry["after"] != nil else { return "" }
        let before = text(entry["before"])
        let after = text(entry["after"])
        guard before != after else { return "" }
        let beforeHeader = entry["before_header"].map { PythonRepr.text($0) }
        let afterHeader = entry["after_header"].map { PythonRepr.text($0) }
        var output = "--- before" + (beforeHeader.map { ": \($0)" } ?? "") + "\n"
        output += "+++ after" + (afterHeader.map { ": \($0)" } ?? "") + "\n"
        for line in hunks(lines(before), lines(after)) {
            output += line.hasSuffix("\n") ? line : line + "\n\\ No newline at end of file\n"
        }
        return output + "\n"
    }

    private static func text(_ value: Value?) -> String {
        switch value {
        case nil, .some(Value.none): return ""
        case .some(.string(let text)): return text
        case .some(let other): return JSON.text(other, .results()) + "\n"
        }
    }

    /// Lines keeping their terminators, as Python's `splitlines(keepends=True)`.
    private static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Each operation carries the positions in both sequences where it happens.
    private enum Operation { case same(Int, Int), delete(Int, Int), insert(Int, Int) }

    /// The edit script from a longest-common-subsequence table.
    private static func operations(_ a: [String], _ b: [String]) -> [Operation] {
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var result: [Operation] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                result.append(.same(i, j))
                i += 1
                j += 1
            } else if j < b.count, i == a.count || table[i][j + 1] >= table[i + 1][j] {
                result.append(.insert(i, j))
                j += 1
            } else {
                result.append(.delete(i, j))
                i += 1
            }
        }
        return result
    }

    /// Groups the edit script into hunks with 3 lines of context and renders their lines.
    private static func hunks(_ a: [String], _ b: [String], context: Int = 3) -> [String] {
        let ops = operations(a, b)
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        guard let first = changed.first, let last = changed.last else { return [] }
        var groups: [ClosedRange<Int>] = []
        var start = max(first - context, 0)
        var end = min(first + context, ops.count - 1)
        for index in changed.dropFirst() {
            if index - context <= end + 1 {
                end = min(index + context, ops.count - 1)
            } else {
                groups.append(start...end)
                start = max(index - context, 0)
                end = min(index + context, ops.count - 1)
            }
        }
        groups.append(start...min(max(end, last), ops.count - 1))
        var output: [String] = []
        for group in groups {
            var aCount = 0
            var bCount = 0
            var body: [String] = []
            let (aStart, bStart) = origin(of: ops[group.lowerBound])
            for op in ops[group] {
                switch op {
                case .same(let i, _):
                    aCount += 1
                    bCount += 1
                    body.append(" " + a[i])
                case .delete(let i, _):
                    aCount += 1
                    body.append("-" + a[i])
                case .insert(_, let j):
                    bCount += 1
                    body.append("+" + b[j])
                }
            }
            output.append("@@ -\(range(aStart, aCount)) +\(range(bStart, bCount)) @@\n")
            output.append(contentsOf: body)
        }
        return output
    }

    private static func origin(of operation: Operation) -> (Int, Int) {
        switch operation {
        case .same(let i, let j), .delete(let i, let j), .insert(let i, let j): (i, j)
        }
    }

    /// difflib's range format: `start,count`, `start` alone for one line, `start-1,0` for none.
    private static func range(_ start: Int, _ count: Int) -> String {
        if count == 1 { return "\(start + 1)" }
        if count == 0 { return "\(start),0" }
        return "\(start + 1),\(count)"
    }
}
