/// Decodes the escapes of Cedar string literals and `like` patterns.
enum StringLiteral {
    /// Decodes `raw` as a string literal (`\n \r \t \0 \\ \' \" \u{...}`).
    static func decode(_ raw: String, at location: SourceLocation) throws(PolicyError) -> String {
        var result = String.UnicodeScalarView()
        for element in try elements(raw, at: location, pattern: false) {
            if case .scalar(let scalar) = element { result.append(scalar) }
        }
        return String(result)
    }

    /// Decodes `raw` as a `like` pattern: like a string, plus `*` as a wildcard and `\*` as a literal star.
    static func pattern(_ raw: String, at location: SourceLocation) throws(PolicyError) -> Pattern {
        Pattern(elements: try elements(raw, at: location, pattern: true))
    }

    private static func elements(
        _ raw: String, at location: SourceLocation, pattern: Bool
    ) throws(PolicyError) -> [Pattern.Element] {
        let scalars = Array(raw.unicodeScalars)
        var result: [Pattern.Element] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "*", pattern {
                result.append(.wildcard)
                index += 1
                continue
            }
            guard scalar == "\\" else {
                result.append(.scalar(scalar))
                index += 1
                continue
            }
            guard index + 1 < scalars.count else { throw .syntax(location, "string ends with a lone backslash") }
            let escape = scalars[index + 1]
            index += 2
            switch escape {
            case "n": result.append(.scalar("\n"))
            case "r": result.append(.scalar("\r"))
            case "t": result.append(.scalar("\t"))
            case "0": result.append(.scalar("\0"))
            case "\\": result.append(.scalar("\\"))
            case "'": result.append(.scalar("'"))
            case "\"": result.append(.scalar("\""))
            case "*" where pattern: result.append(.scalar("*"))
            case "u":
                guard index < scalars.count, scalars[index] == "{" else {
                    throw .syntax(location, "`\\u` must be followed by `{hex digits}`")
                }
                var hex = ""
                index += 1
                while index < scalars.count, scalars[index] != "}" {
                    hex.unicodeScalars.append(scalars[index])
                    index += 1
                }
                guard index < scalars.count, (1...6).contains(hex.count), let value = UInt32(hex, radix: 16),
                    let decoded = Unicode.Scalar(value)
                else { throw .syntax(location, "invalid unicode escape `\\u{\(hex)}`") }
                index += 1
                result.append(.scalar(decoded))
            default:
                throw .syntax(location, "`\\\(Character(escape))` is not a valid escape")
            }
        }
        return result
    }
}
