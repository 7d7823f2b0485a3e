import AsyncHTTPClient
import CustosCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// A thin client of the Kubernetes API for namespaced objects held as ``JSONValue``s.
///
/// Every call is one HTTP request; nothing is cached or retried here. Updates are conflict-safe: ``replace(_:_:)``
/// sends the object's `metadata.resourceVersion`, and a 409 comes back as ``KubernetesError/conflict(path:message:)``
/// for the caller to get the object again and decide anew.
public struct KubernetesClient: Sendable {
    /// Where and as whom.
    public let configuration: KubernetesConfiguration
    private let http: HTTPClient
    private let timeout: TimeAmount

    /// The largest answer read (a list of every Deployment of a big namespace stays well below).
    static let maxBody = 32 << 20

    /// A client with its own HTTP client, trusting the configuration's CA file when it names one. Call
    /// ``shutdown()`` when done.
    public init(configuration: KubernetesConfiguration, timeout: TimeAmount = .seconds(30)) throws(KubernetesError) {
        var httpConfiguration = HTTPClient.Configuration()
        if let caFile = configuration.caFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(caFile)
            httpConfiguration.tlsConfiguration = tls
        }
        httpConfiguration.redirectConfiguration = .disallow
        self.configuration = configuration
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
        self.timeout = timeout
    }

    /// Closes the HTTP client's connections.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// The namespace the configuration names.
    public var namespace: String { configuration.namespace }

    /// The object `name`, or `nil` when there is none.
    public func get(_ resource: KubernetesResource, name: String) async throws(KubernetesError) -> JSONValue? {
        let path = try resource.path(namespace: namespace, name: name)
        do {
            return try await send(.GET, path)
        } catch .notFound {
            return nil
        }
    }

    /// Every object of `resource` in the namespace, optionally only those matching `labelSelector`.
    public func list(_ resource: KubernetesResource, labelSelector: String? = nil) async throws(KubernetesError)
        -> KubernetesList
    {
        var path = try resource.path(namespace: namespace)
        if let labelSelector { path += "?labelSelector=\(Self.queryEscaped(labelSelector))" }
        let answer = try await send(.GET, path)
        guard let items = answer["items"]?.arrayValue else {
            throw .invalidResponse(path: path, message: "a list without items")
        }
        return KubernetesList(items: items, resourceVersion: answer["metadata"]?["resourceVersion"]?.stringValue)
    }

    /// Creates `object` and returns it as stored.
    @discardableResult
    public func create(_ resource: KubernetesResource, _ object: JSONValue) async throws(KubernetesError)
        -> JSONValue
    {
        try await send(.POST, try resource.path(namespace: namespace), body: object)
    }

    /// Replaces the object named in `object`'s metadata (PUT). It must carry the `metadata.resourceVersion` it
    /// was read with; a newer one on the server gives ``KubernetesError/conflict(path:message:)``.
    @discardableResult
    public func replace(_ resource: KubernetesResource, _ object: JSONValue) async throws(KubernetesError)
        -> JSONValue
    {
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        let path = try resource.path(namespace: namespace, name: name)
        guard object["metadata"]?["resourceVersion"]?.stringValue != nil else {
            throw .configuration("a replacement of \(path) without metadata.resourceVersion would not be conflict-safe")
        }
        return try await send(.PUT, path, body: object)
    }

    /// Applies a JSON merge patch (RFC 7386) to the object `name`, or to its `subresource` (`status`).
    @discardableResult
    public func mergePatch(
        _ resource: KubernetesResource, name: String, subresource: String? = nil, _ patch: JSONValue
    ) async throws(KubernetesError) -> JSONValue {
        let path = try resource.path(namespace: namespace, name: name, subresource: subresource)
        return try await send(.PATCH, path, body: patch, contentType: "application/merge-patch+json")
    }

    /// Deletes the object `name` (it stays, with `metadata.deletionTimestamp`, while finalizers remain; the
    /// garbage collector then removes what it owns). An object already gone is no error.
    public func delete(_ resource: KubernetesResource, name: String) async throws(KubernetesError) {
        let path = try resource.path(namespace: namespace, name: name)
        do {
            _ = try await send(.DELETE, path)
        } catch .notFound {
            return
        }
    }

    /// Watches `resource` from `resourceVersion`, calling `handle` for every event until the server ends the
    /// stream (after about `timeoutSeconds`), `handle` throws, or the task is cancelled.
    public func watch(
        _ resource: KubernetesResource, resourceVersion: String?, timeoutSeconds: Int = 300,
        labelSelector: String? = nil, handle: (WatchEvent) async throws -> Void
    ) async throws {
        var path = try resource.path(namespace: namespace) + "?watch=true&timeoutSeconds=\(timeoutSeconds)"
        if let resourceVersion { path += "&resourceVersion=\(Self.queryEscaped(resourceVersion))" }
        if let labelSelector { path += "&labelSelector=\(Self.queryEscaped(labelSelector))" }
        let response = try await execute(
            .GET, path, body: nil, contentType: nil, timeout: .seconds(Int64(timeoutSeconds) + 30))
        guard response.status == .ok else {
            let body = try? await response.body.collect(upTo: 1 << 20)
            throw Self.failure(response.status, path: path, method: .GET, body: body)
        }
        var line: [UInt8] = []
        for try await buffer in response.body {
            for byte in buffer.readableBytesView {
                if byte == UInt8(ascii: "\n") {
                    if !line.isEmpty { try await handle(try WatchEvent(line: line, path: path)) }
                    line.removeAll(keepingCapacity: true)
                } else {
                    line.append(byte)
                    guard line.count <= Self.maxBody else {
                        throw KubernetesError.invalidResponse(path: path, message: "a watch line is too long")
                    }
                }
            }
        }
        if !line.isEmpty { try await handle(try WatchEvent(line: line, path: path)) }
    }

    // MARK: - HTTP

    private func send(
        _ method: HTTPMethod, _ path: String, body: JSONValue? = nil, contentType: String = "application/json"
    ) async throws(KubernetesError) -> JSONValue {
        let response = try await execute(method, path, body: body, contentType: contentType, timeout: timeout)
        let bytes: ByteBuffer
        do { bytes = try await response.body.collect(upTo: Self.maxBody) } catch {
            throw .transport(path: path, message: "reading the answer: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw Self.failure(response.status, path: path, method: method, body: bytes)
        }
        do { return try JSONParser.parse(bytes.readableBytesView) } catch {
            throw .invalidResponse(path: path, message: "\(error)")
        }
    }

    private func execute(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, contentType: String?, timeout: TimeAmount
    ) async throws(KubernetesError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token = try configuration.token() {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            let bytes: [UInt8]
            do { bytes = try body.canonicalBytes() } catch {
                throw .configuration("the body for \(path) is not JSON: \(error)")
            }
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        do {
            return try await http.execute(request, timeout: timeout)
        } catch {
            throw .transport(path: path, message: "\(error)")
        }
    }

    static func failure(_ status: HTTPResponseStatus, path: String, method: HTTPMethod, body: ByteBuffer?)
        -> KubernetesError
    {
        let answer = body.flatMap { try? JSONParser.parse($0.readableBytesView) }
        let message = String((answer?["message"]?.stringValue ?? status.reasonPhrase).prefix(500))
        switch status.code {
        case 404: return .notFound(path: path)
        case 409 where method == .POST: return .alreadyExists(path: path, message: message)
        case 409: return .conflict(path: path, message: message)
        default:
            let reason = answer?["reason"]?.stringValue ?? status.reasonPhrase
            return .status(code: Int(status.code), path: path, reason: reason, message: message)
        }
    }

    static func queryEscaped(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                escaped += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return escaped
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
