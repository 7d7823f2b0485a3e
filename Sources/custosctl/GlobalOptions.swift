/// The options every platform command takes (`--data-dir`, `-o`/`--output`, `--json`), accepted before the
/// subcommand as well as after it, as operators type them (`custosctl --data-dir /srv/custos tenants list`).
///
/// ArgumentParser reads a subcommand's options only after its name, so the ones given first are moved behind the
/// command line, where the subcommand reads them; a command that does not take them still says so.
enum GlobalOptions {
    /// Options with a value.
    static let valued: Set = ["--data-dir", "-o", "--output"]
    /// Flags.
    static let flags: Set = ["--json"]

    /// `arguments` (without the program name) with the global options that come before the first subcommand
    /// moved to the end.
    static func hoisted(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let name = String(argument.prefix { $0 != "=" })
            if flags.contains(argument) || (valued.contains(name) && argument.contains("=")) {
                leading.append(argument)
                index += 1
            } else if valued.contains(argument), index + 1 < arguments.endIndex {
                leading += arguments[index...(index + 1)]
                index += 2
            } else {
                break
            }
        }
        return Array(arguments[index...]) + leading
    }
}
