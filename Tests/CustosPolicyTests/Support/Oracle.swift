import CustosPolicy
import Foundation

/// Runs `cedar_oracle.py` (cedarpy, the reference Cedar engine) and compares its answers with CustosPolicy's.
enum Oracle {
    struct Answer: Decodable, Equatable, Sendable, CustomStringConvertible {
        let decision: String
        let reasons: [String]
        let errors: [String]

        var description: String { "\(decision) reasons=\(reasons) errors=\(errors)" }
    }

    struct CaseAnswer: Decodable, Sendable {
        let parseError: String?
        let results: [Answer]?
    }

    private struct Batch: Decodable {
        let cases: [CaseAnswer]
    }

    static let scriptPath: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interop/cedar_oracle.py").path
    }()

    /// Whether `python3` can import cedarpy.
    static let isAvailable: Bool = {
        guard let process = try? launch(["-c", "import cedarpy"], input: nil) else { return false }
        return process.status == 0
    }()

    private static func launch(_ arguments: [String], input: Data?) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = Thread {
            if let input { stdin.fileHandleForWriting.write(input) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Runs `python3 arguments` with `input` on stdin and returns its stdout.
    static func python(_ arguments: [String], input: String) throws -> String {
        let (status, output) = try launch(arguments, input: Data(input.utf8))
        guard status == 0 else { throw OracleFailure(message: "python3 exited with status \(status)") }
        return String(decoding: output, as: UTF8.self)
    }

    /// cedarpy's answers for every case.
    static func run(_ cases: [OracleCase]) throws -> [CaseAnswer] {
        let input = JSONText.object([("cases", JSONText.array(cases.map(\.json)))])
        if let dump = ProcessInfo.processInfo.environment["ORACLE_DUMP"] {
            try? Data(input.utf8).write(to: URL(fileURLWithPath: dump))
        }
        let (status, output) = try launch([scriptPath], input: Data(input.utf8))
        guard status == 0 else { throw OracleFailure(message: "cedar_oracle.py exited with status \(status)") }
        return try JSONDecoder().decode(Batch.self, from: output).cases
    }

    struct OracleFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// CustosPolicy's answers for one case in the oracle's form, or the parse error.
    static func local(_ testCase: OracleCase) -> Result<[Answer], PolicyError> {
        do throws(PolicyError) {
            let policies = try PolicySet(parsing: testCase.policies)
            let entities = try Entities(json: testCase.entitiesJSON)
            var answers: [Answer] = []
            for request in testCase.requests {
                let parsed = try Request(
                    principal: EntityUID(type: request.principal.type, id: request.principal.id),
                    action: EntityUID(type: request.action.type, id: request.action.id),
                    resource: EntityUID(type: request.resource.type, id: request.resource.id),
                    contextJSON: request.contextJSON)
                let decision = Authorizer.isAuthorized(parsed, policies: policies, entities: entities)
                answers.append(
                    Answer(
                        decision: decision.effect.rawValue, reasons: decision.reasons.sorted(),
                        errors: decision.failures.map(\.policy).sorted()))
            }
            return .success(answers)
        } catch {
            return .failure(error)
        }
    }

    /// Every difference between the two engines, described with the case's text.
    static func differences(_ cases: [OracleCase]) throws -> [String] {
        let answers = try run(cases)
        var differences: [String] = []
        for (testCase, answer) in zip(cases, answers) {
            switch (local(testCase), answer.parseError) {
            case (.failure, .some):
                continue
            case (.failure(let error), .none):
                differences.append(
                    "\(testCase.label): CustosPolicy rejected what Cedar accepts: \(error)\n\(testCase.policies)")
            case (.success, .some(let message)):
                differences.append(
                    "\(testCase.label): Cedar rejected what CustosPolicy accepts: \(message)\n\(testCase.policies)")
            case (.success(let mine), .none):
                let theirs = answer.results ?? []
                for (index, pair) in zip(mine, theirs).enumerated() where pair.0 != pair.1 {
                    differences.append(
                        """
                        \(testCase.label) request \(index): CustosPolicy \(pair.0), Cedar \(pair.1)
                        policies:
                        \(testCase.policies)
                        entities: \(testCase.entitiesJSON)
                        request: \(testCase.requests[index].json)
                        """)
                }
            }
        }
        return differences
    }
}
