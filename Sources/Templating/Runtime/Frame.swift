/// The names bound in one template scope (the root namespace, a loop body, a macro call, …).
///
/// Frames are small (a loop binds `loop` and its target; a macro its parameters) and every name
/// lookup walks them innermost first, so entries are kept in one array and searched linearly:
/// comparing a few short strings is cheaper than hashing the name once per frame. A frame that
/// grows large (a root namespace with many `set`s) gets a hash index.
struct Frame: Sequence, ExpressibleByDictionaryLiteral {
    /// Above this many names a lookup hashes the name instead of comparing every name.
    private static let linearSearchLimit = 12

    private var entries: [(name: String, binding: Binding)] = []
    private var index: [String: Int]?

    init() {}

    init(dictionaryLiteral elements: (String, Binding)...) {
        for (name, binding) in elements { self[name] = binding }
    }

    /// A loop body's frame: `loop`, with room for the loop variables so that binding them on the
    /// first iteration does not regrow the frame.
    init(loop: LoopState, variableCount: Int) {
        entries.reserveCapacity(1 + variableCount)
        entries.append(("loop", .loop(loop)))
    }

    subscript(name: String) -> Binding? {
        get { position(of: name).map { entries[$0].binding } }
        set {
            if let position = position(of: name) {
                if let newValue {
                    entries[position].binding = newValue
                } else {
                    entries.remove(at: position)
                    if index != nil { rebuildIndex() }
                }
                return
            }
            guard let newValue else { return }
            entries.append((name, newValue))
            if index != nil {
                index?[name] = entries.count - 1
            } else if entries.count > Self.linearSearchLimit {
                rebuildIndex()
            }
        }
    }

    private func position(of name: String) -> Int? {
        if let index { return index[name] }
        let length = name.utf8.count
        // Comparing lengths first skips most non-matching names without a string comparison.
        for position in entries.indices where entries[position].name.utf8.count == length && entries[position].name == name {
            return position
        }
        return nil
    }

    private mutating func rebuildIndex() {
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() { index[entry.name] = position }
        self.index = index
    }

    func makeIterator() -> IndexingIterator<[(name: String, binding: Binding)]> {
        entries.makeIterator()
    }
}
