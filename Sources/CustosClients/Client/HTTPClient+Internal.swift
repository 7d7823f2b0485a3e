import AsyncHTTPClient

extension HTTPClient {
    /// The client of calls between Custos processes: `.shared` with enough connections per host for a gateway's
    /// concurrent requests. AsyncHTTPClient's default of 8 held a gateway to eight policy look-ups at a time, so 64
    /// clients writing to a channel reached its streams worker a few at a time (measured with
    /// `custos-bench channels`: batches of 1 to 4 entries).
    public static var internalCalls: HTTPClient { internalHTTPClient }
}

/// Lives as long as the process, like `.shared`.
private let internalHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration.singletonConfiguration
    configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
