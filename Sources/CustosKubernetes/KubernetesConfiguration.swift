import Foundation

/// Where the API server is and how to authenticate to it.
///
/// The bearer token is always read from a file, at every request: a projected service-account token is rotated
/// by the kubelet, and a file keeps the token out of process arguments and environment listings.
public struct KubernetesConfiguration: Sendable, Equatable {
    /// The API server's base URL, e.g. `https://10.0.0.1:443` or `http://127.0.0.1:8001`.
    public var baseURL: String
    /// A file holding the bearer token; `nil` sends no `Authorization` header (only for test servers).
    public var tokenFile: String?
    /// A PEM file of the certificate authorities that sign the API server's certificate; `nil`: the system's.
    public var caFile: String?
    /// The namespace the operator works in.
    public var namespace: String

    /// The service account's directory inside a pod.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// A configuration given explicitly.
    public init(baseURL: String, tokenFile: String?, caFile: String?, namespace: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tokenFile = tokenFile
        self.caFile = caFile
        self.namespace = namespace
    }

    /// The in-cluster configuration: `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`, the service
    /// account's `token`, `ca.crt` and `namespace` (the namespace unless `namespace` is given).
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment, namespace: String? = nil,
        directory: String = serviceAccountDirectory
    ) throws(KubernetesError) -> KubernetesConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw .configuration(
                "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: not in a pod; give --kubernetes-url")
        }
        // An IPv6 service address needs brackets in a URL.
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let resolvedNamespace: String
        if let namespace {
            resolvedNamespace = namespace
        } else {
            guard let text = try? String(contentsOfFile: "\(directory)/namespace", encoding: .utf8) else {
                throw .configuration("cannot read \(directory)/namespace; give --namespace")
            }
            resolvedNamespace = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return KubernetesConfiguration(
            baseURL: "https://\(authority)", tokenFile: "\(directory)/token", caFile: "\(directory)/ca.crt",
            namespace: resolvedNamespace)
    }

    /// The token's text, read now.
    func token() throws(KubernetesError) -> String? {
        guard let tokenFile else { return nil }
        guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
            throw .configuration("cannot read the token file \(tokenFile)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .configuration("the token file \(tokenFile) is empty") }
        return token
    }
}
