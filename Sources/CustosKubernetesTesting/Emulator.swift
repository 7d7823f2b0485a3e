import CustosKubernetes
import Foundation

/// The kmock-based Kubernetes API emulator (Emulator/kmock_server.py) on a loopback port, for as long as this lives.
/// Shared by the operator's emulator tests and the end-to-end test of the real `custos-operator` binary.
public final class Emulator: Sendable {
    let process: Process
    let stdin: Pipe
    /// The loopback port the emulator serves on: `http://127.0.0.1:<port>`.
    public let port: Int

    /// Whether `python3` can import kmock (`make deps` installs it); the emulator tests are skipped otherwise.
    public static let available: Bool = {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import kmock"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        let found = check.terminationStatus == 0
        if !found { print("skipping the emulator tests: python3 cannot import kmock (make deps installs it)") }
        return found
    }()

    /// Starts the emulator and waits until it has printed its port.
    public init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Emulator/kmock_server.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // The first line is the port.
        var line = Data()
        while let byte = try stdout.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw KubernetesError.configuration("the emulator printed no port")
        }
        self.port = port
    }

    /// The emulator's base URL.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// A client of the emulator for `namespace`, without a token.
    public func client(namespace: String = "custos") throws -> KubernetesClient {
        try KubernetesClient(
            configuration: KubernetesConfiguration(baseURL: url, tokenFile: nil, caFile: nil, namespace: namespace))
    }

    deinit {
        // Closing stdin ends the server.
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
