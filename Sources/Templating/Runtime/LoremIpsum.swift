/// Jinja2's `lipsum(n=5, html=True, min=20, max=100)`: `n` paragraphs of random lorem ipsum, each
/// of `min` to `max - 1` words, in sentences of capitalized words with commas, ending in a full
/// stop; as `<p>` elements joined by newlines when `html`, else joined by blank lines. The word
/// list and the placement of commas and full stops are Jinja2's (`utils.generate_lorem_ipsum`).
enum LoremIpsum {
    static let words = """
        a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at
        auctor augue bibendum blandit class commodo condimentum congue consectetuer
        consequat conubia convallis cras cubilia cum curabitur curae cursus dapibus
        diam dictum dictumst dignissim dis dolor donec dui duis egestas eget eleifend
        elementum elit enim erat eros est et etiam eu euismod facilisi facilisis fames
        faucibus felis fermentum feugiat fringilla fusce gravida habitant habitasse hac
        hendrerit hymenaeos iaculis id imperdiet in inceptos integer interdum ipsum
        justo lacinia lacus laoreet lectus leo libero ligula litora lobortis lorem
        luctus maecenas magna magnis malesuada massa mattis mauris metus mi molestie
        mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non
        nonummy nostra nulla nullam nunc odio orci ornare parturient pede pellentesque
        penatibus per pharetra phasellus placerat platea porta porttitor posuere
        potenti praesent pretium primis proin pulvinar purus quam quis quisque rhoncus
        ridiculus risus rutrum sagittis sapien scelerisque sed sem semper senectus sit
        sociis sociosqu sodales sollicitudin suscipit suspendisse taciti tellus tempor
        tempus tincidunt torquent tortor tristique turpis ullamcorper ultrices
        ultricies urna ut varius vehicula vel velit venenatis vestibulum vitae vivamus
        viverra volutpat vulputate
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    static func generate(_ arguments: CallArguments) throws -> Value {
        try arguments.rejectUnknownKeywords(["n", "html", "min", "max"], function: "generate_lorem_ipsum")
        try arguments.requireAtMost(4, function: "generate_lorem_ipsum")
        let count = try arguments.integer(0, "n", default: 5)
        let html = try arguments.bool(1, "html", default: true)
        let minimum = try arguments.integer(2, "min", default: 20)
        let maximum = try arguments.integer(3, "max", default: 100)
        guard minimum < maximum else {
            throw RenderFailure("empty range in randrange(\(minimum), \(maximum))", kind: .value)
        }
        var generator = SystemRandomNumberGenerator()
        let paragraphs = (0..<max(0, count)).map { _ in
            paragraph(wordCount: Int.random(in: minimum..<maximum, using: &generator), using: &generator)
        }
        if !html { return .string(paragraphs.joined(separator: "\n\n")) }
        // The words are plain ASCII letters, so the paragraphs need no HTML escaping.
        return .string(paragraphs.map { "<p>\($0)</p>" }.joined(separator: "\n"))
    }

    private static func paragraph(wordCount: Int, using generator: inout some RandomNumberGenerator) -> String {
        var capitalizeNext = true
        var lastComma = 0
        var lastFullStop = 0
        var previous: String?
        var written: [String] = []
        for index in 0..<wordCount {
            var word = words.randomElement(using: &generator) ?? "lorem"
            // Never the same word twice in a row.
            while word == previous { word = words.randomElement(using: &generator) ?? "lorem" }
            previous = word
            if capitalizeNext {
                word = word.prefix(1).uppercased() + word.dropFirst()
                capitalizeNext = false
            }
            if index - Int.random(in: 3..<8, using: &generator) > lastComma {
                lastComma = index
                lastFullStop += 2
                word += ","
            }
            if index - Int.random(in: 10..<20, using: &generator) > lastFullStop {
                lastComma = index
                lastFullStop = index
                word += "."
                capitalizeNext = true
            }
            written.append(word)
        }
        var text = written.joined(separator: " ")
        if text.hasSuffix(",") {
            text.removeLast()
            text += "."
        } else if !text.hasSuffix(".") {
            text += "."
        }
        return text
    }
}
