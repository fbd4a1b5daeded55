/// The names bound in one template scope (the root namespace, a loop body, a macro call, …).
///
/// Frames are small (a loop binds `loop` and its target; a macro its parameters) and every name
/// lookup walks them innermost first, so entries are kept in parallel arrays and searched
/// linearly: comparing a few short strings is cheaper than hashing the name once per frame.
/// A frame that grows large (a root namespace with many `set`s) gets a hash index.
struct Frame: Sequence, ExpressibleByDictionaryLiteral {
    /// Above this many names a lookup hashes the name instead of comparing every name.
    private static let linearSearchLimit = 12

    private var names: [String] = []
    private var bindings: [Binding] = []
    private var index: [String: Int]?

    init() {}

    init(dictionaryLiteral elements: (String, Binding)...) {
        for (name, binding) in elements { self[name] = binding }
    }

    /// A loop body's frame: `loop` and the loop variable, allocated at their final size once
    /// per loop rather than grown on the first iteration.
    init(loop: LoopState, variable: String, initialValue: Binding) {
        names = ["loop", variable]
        bindings = [.loop(loop), initialValue]
    }

    subscript(name: String) -> Binding? {
        get { position(of: name).map { bindings[$0] } }
        set {
            if let position = position(of: name) {
                if let newValue {
                    bindings[position] = newValue
                } else {
                    names.remove(at: position)
                    bindings.remove(at: position)
                    if index != nil { rebuildIndex() }
                }
                return
            }
            guard let newValue else { return }
            names.append(name)
            bindings.append(newValue)
            if index != nil {
                index?[name] = names.count - 1
            } else if names.count > Self.linearSearchLimit {
                rebuildIndex()
            }
        }
    }

    private func position(of name: String) -> Int? {
        if let index { return index[name] }
        let length = name.utf8.count
        // Comparing lengths first skips most non-matching names without a string comparison.
        for position in names.indices where names[position].utf8.count == length && names[position] == name {
            return position
        }
        return nil
    }

    private mutating func rebuildIndex() {
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() { index[name] = position }
        self.index = index
    }

    func makeIterator() -> Zip2Sequence<[String], [Binding]>.Iterator {
        zip(names, bindings).makeIterator()
    }
}
