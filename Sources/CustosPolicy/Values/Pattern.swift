/// A `like` pattern: literal characters and `*` wildcards matching any sequence of characters.
public struct Pattern: Sendable, Hashable {
    /// One element of a pattern.
    public enum Element: Sendable, Hashable {
        /// A literal Unicode scalar (a written `\*` is a literal `*`).
        case scalar(Unicode.Scalar)
        /// `*`: any sequence of scalars, including none.
        case wildcard
    }

    /// The elements, in order.
    public let elements: [Element]

    /// Creates a pattern.
    public init(elements: [Element]) {
        self.elements = elements
    }

    /// Whether `text` matches the whole pattern (Cedar compares Unicode scalars, no normalization).
    public func matches(_ text: String) -> Bool {
        let input = Array(text.unicodeScalars)
        var textIndex = 0
        var patternIndex = 0
        var starPattern = -1
        var starText = 0
        while textIndex < input.count {
            if patternIndex < elements.count, case .scalar(let scalar) = elements[patternIndex],
                scalar == input[textIndex]
            {
                textIndex += 1
                patternIndex += 1
            } else if patternIndex < elements.count, elements[patternIndex] == .wildcard {
                starPattern = patternIndex
                starText = textIndex
                patternIndex += 1
            } else if starPattern >= 0 {
                patternIndex = starPattern + 1
                starText += 1
                textIndex = starText
            } else {
                return false
            }
        }
        while patternIndex < elements.count, elements[patternIndex] == .wildcard { patternIndex += 1 }
        return patternIndex == elements.count
    }

    /// The pattern as written in Cedar, with `*` for wildcards and `\*` for literal stars.
    public var source: String {
        var result = ""
        for element in elements {
            switch element {
            case .wildcard: result += "*"
            case .scalar("*"): result += "\\*"
            case .scalar(let scalar): result += EntityUID.escape(String(Character(scalar)))
            }
        }
        return result
    }
}
