import Foundation

/// HTTP/1.1 over a plain socket, byte for byte as written: for path spellings, broken framing and slow clients
/// that a real client library would normalise or refuse to send.
enum RawHTTP {
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        var errorMessage: String? {
            (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["error"] as? String
        }
        var isJSON: Bool { headers["content-type"]?.hasPrefix("application/json") == true && errorMessage != nil }
    }

    /// An open connection to 127.0.0.1.
    final class Connection: @unchecked Sendable {
        let fd: Int32

        init(port: Int, receiveTimeout: Duration = .seconds(10)) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw E2EError("socket() failed") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(fd)
                throw E2EError("connect to port \(port) failed")
            }
            let seconds = receiveTimeout.components.seconds
            var timeout = timeval(
                tv_sec: Int(seconds), tv_usec: Int(receiveTimeout.components.attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        func send(_ text: String) { send(Array(text.utf8)) }

        func send(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if written <= 0 { return }
                offset += written
            }
        }

        /// Reads until the peer closes, the receive timeout passes, or `until` holds for what was read.
        func receive(until done: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], closed: Bool) {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count == 0 { return (received, true) }
                if count < 0 { return (received, false) }
                received += buffer[0..<count]
                if done(received) { return (received, false) }
            }
        }

        /// Reads one complete response (by Content-Length, or until close).
        func receiveResponse() -> Response? {
            let (bytes, _) = receive(until: RawHTTP.isComplete)
            return RawHTTP.parse(bytes)
        }
    }

    /// Sends `request` on a new connection and reads the response.
    static func exchange(port: Int, _ request: String, timeout: Duration = .seconds(10)) async throws -> Response {
        try await Task.detached {
            let connection = try Connection(port: port, receiveTimeout: timeout)
            connection.send(request)
            guard let response = connection.receiveResponse() else {
                throw E2EError("no response to \(request.prefix(60))")
            }
            return response
        }.value
    }

    /// A request with `Connection: close`, a Host header (127.0.0.1 unless `headers` has one) and optional headers
    /// and body.
    static func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: String? = nil
    ) -> String {
        let host = headers.contains { $0.0.lowercased() == "host" } ? "" : "Host: 127.0.0.1\r\n"
        var text = "\(method) \(target) HTTP/1.1\r\n\(host)Connection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        return text + "\r\n" + (body ?? "")
    }

    static func isComplete(_ bytes: [UInt8]) -> Bool {
        guard let end = headerEnd(bytes) else { return false }
        let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
        if head.hasPrefix("http/1.1 100") { return false }
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return false }
        return bytes.count >= end + 4 + length
    }

    static func headerEnd(_ bytes: [UInt8], from start: Int = 0) -> Int? {
        guard bytes.count >= start + 4 else { return nil }
        for index in start...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// The first final (non-1xx) response in `bytes`.
    static func parse(_ bytes: [UInt8]) -> Response? {
        var start = 0
        while let end = headerEnd(bytes, from: start) {
            let head = String(decoding: bytes[start..<end], as: UTF8.self)
            var lines = head.split(separator: "\r\n").map(String.init)
            guard !lines.isEmpty else { return nil }
            let statusLine = lines.removeFirst().split(separator: " ")
            guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
            if (100..<200).contains(status) {
                start = end + 4
                continue
            }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
            var body = Array(bytes[(end + 4)...])
            if let length = headers["content-length"].flatMap(Int.init), body.count > length {
                body = Array(body.prefix(length))
            }
            return Response(status: status, headers: headers, body: body)
        }
        return nil
    }
}
