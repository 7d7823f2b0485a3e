/// One lexical token of a policy or schema text.
struct Token: Sendable, Equatable {
    /// What kind of token it is.
    enum Kind: Sendable, Equatable {
        /// An identifier or keyword.
        case identifier(String)
        /// An unsigned integer literal; the magnitude may be 2^63 (only valid after a unary minus).
        case integer(UInt64)
        /// A string literal, still escaped: the text between the quotes.
        case string(raw: String)
        /// Punctuation or an operator such as `(`, `::`, `==`, `&&`.
        case symbol(String)
        /// The end of the text.
        case end
    }

    /// The token.
    let kind: Kind
    /// Where it starts.
    let location: SourceLocation

    /// Whether the token is the symbol `text`.
    func isSymbol(_ text: String) -> Bool {
        if case .symbol(let symbol) = kind { return symbol == text }
        return false
    }

    /// Whether the token is the identifier or keyword `text`.
    func isIdentifier(_ text: String) -> Bool {
        if case .identifier(let name) = kind { return name == text }
        return false
    }

    /// A short rendering for messages.
    var display: String {
        switch kind {
        case .identifier(let name): "`\(name)`"
        case .integer(let value): "`\(value)`"
        case .string(let raw): "string \"\(raw)\""
        case .symbol(let symbol): "`\(symbol)`"
        case .end: "end of input"
        }
    }
}
