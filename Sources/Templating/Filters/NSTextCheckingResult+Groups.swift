import Foundation

extension NSTextCheckingResult {
    /// The text of a numbered group; nil when the pattern has no such group or it took no part in the match.
    func text(ofGroup index: Int, in text: String) -> String? {
        guard index < numberOfRanges, let range = Range(range(at: index), in: text) else { return nil }
        return String(text[range])
    }

    /// The text of a named group; nil when it took no part in the match.
    func text(ofGroup name: String, in text: String) -> String? {
        guard let range = Range(range(withName: name), in: text) else { return nil }
        return String(text[range])
    }
}
