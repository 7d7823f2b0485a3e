import AsyncHTTPClient
import Foundation
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// A client generated from one of the OpenAPI documents; each facade declares its module's `Client` one.
protocol GeneratedClient {
    init(
        serverURL: URL, configuration: Configuration, transport: any ClientTransport,
        middlewares: [any ClientMiddleware])
}

extension GeneratedClient {
    /// What every client of a Custos API is built from: the callee's URL, an AsyncHTTPClient transport with the
    /// call timeout, and the ``ServiceClientMiddleware`` carrying the credential.
    init(
        service: String, baseURL: String, bearer: String?, apiKey: String? = nil, http: HTTPClient,
        timeout: TimeAmount, configuration: Configuration = .init()
    ) {
        self.init(
            serverURL: URL(string: baseURL) ?? URL(fileURLWithPath: "/"), configuration: configuration,
            transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: timeout)),
            middlewares: [ServiceClientMiddleware(service: service, bearer: bearer, apiKey: apiKey)])
    }
}
