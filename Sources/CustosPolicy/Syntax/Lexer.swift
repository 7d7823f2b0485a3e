/// Splits a Cedar policy or schema text into tokens, skipping whitespace and `//` comments.
struct Lexer: Sendable {
    private static let symbols: [String] = [
        "::", "==", "!=", "<=", ">=", "&&", "||",
        "(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "<", ">", "!", "-", "+", "*", "@", "?", "=", "%", "/",
        "|", "&",
    ]

    /// Tokenizes `text`, ending with an `.end` token.
    static func tokenize(_ text: String) throws(PolicyError) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        var line = 1
        var column = 1

        func advance(_ count: Int = 1) {
            for _ in 0..<count {
                if scalars[index] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index += 1
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                advance()
                continue
            }
            if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "/" {
                while index < scalars.count, scalars[index] != "\n" { advance() }
                continue
            }
            let location = SourceLocation(line: line, column: column)
            if isIdentifierStart(scalar) {
                var name = String.UnicodeScalarView()
                while index < scalars.count, isIdentifierPart(scalars[index]) {
                    name.append(scalars[index])
                    advance()
                }
                tokens.append(Token(kind: .identifier(String(name)), location: location))
                continue
            }
            if scalar.properties.numericType == .decimal, scalar.isASCII {
                var value: UInt64 = 0
                var overflow = false
                while index < scalars.count, scalars[index].isASCII, scalars[index].properties.numericType == .decimal {
                    let digit = UInt64(scalars[index].value - 48)
                    let (times, o1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(digit)
                    overflow = overflow || o1 || o2
                    value = sum
                    advance()
                }
                if overflow || value > UInt64(Int64.max) + 1 {
                    throw .syntax(location, "integer literal is too large for a 64-bit signed integer")
                }
                if index < scalars.count, isIdentifierStart(scalars[index]) {
                    throw .syntax(location, "a number must not be followed directly by a letter")
                }
                tokens.append(Token(kind: .integer(value), location: location))
                continue
            }
            if scalar == "\"" {
                advance()
                var raw = String.UnicodeScalarView()
                var closed = false
                while index < scalars.count {
                    let current = scalars[index]
                    if current == "\"" {
                        advance()
                        closed = true
                        break
                    }
                    if current == "\\", index + 1 < scalars.count {
                        raw.append(current)
                        advance()
                    }
                    raw.append(scalars[index])
                    advance()
                }
                if !closed { throw .syntax(location, "unterminated string literal") }
                tokens.append(Token(kind: .string(raw: String(raw)), location: location))
                continue
            }
            var matched = false
            for symbol in symbols {
                let symbolScalars = Array(symbol.unicodeScalars)
                if index + symbolScalars.count <= scalars.count,
                    Array(scalars[index..<(index + symbolScalars.count)]) == symbolScalars
                {
                    tokens.append(Token(kind: .symbol(symbol), location: location))
                    advance(symbolScalars.count)
                    matched = true
                    break
                }
            }
            if !matched { throw .syntax(location, "unexpected character `\(Character(scalar))`") }
        }
        tokens.append(Token(kind: .end, location: SourceLocation(line: line, column: column)))
        return tokens
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || (scalar >= "0" && scalar <= "9")
    }
}
