import Foundation

/// CPU time (user + system) of the processes whose command line contains a pattern, read from `/proc`: where a
/// benchmark's time went, per process, on the machine it ran on (Linux only; elsewhere it reports nothing).
struct ProcessCPU {
    let patterns: [String]

    /// Clock ticks so far per matching process, by pattern and pid: a process that exits between two samples
    /// (a PostgreSQL backend whose connection closed) then counts for nothing instead of less than nothing.
    func sample() -> [String: [Int32: Int]] {
        var totals: [String: [Int32: Int]] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in entries.compactMap(Int32.init) {
            guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            else { continue }
            let command = String(decoding: raw.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            guard let pattern = patterns.first(where: { command.contains($0) }) else { continue }
            // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
            let fields = stat[(stat.lastIndex(of: ")") ?? stat.startIndex)...].split(separator: " ")
            guard fields.count > 13, let user = Int(fields[12]), let system = Int(fields[13]) else { continue }
            totals[pattern, default: [:]][pid] = user + system
        }
        return totals
    }

    /// "name N %" per pattern between two samples taken `seconds` apart, as shares of one core.
    func shares(from before: [String: [Int32: Int]], to after: [String: [Int32: Int]], seconds: Double) -> String {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return patterns.map { pattern in
            let earlier = before[pattern] ?? [:]
            let delta = (after[pattern] ?? [:]).reduce(0) { sum, process in
                sum + process.value - earlier[process.key, default: 0]
            }
            let used = Double(delta) / ticks
            return String(format: "%@ %.0f %%", pattern, 100 * used / seconds)
        }.joined(separator: ", ")
    }
}
