import AsyncHTTPClient
import CustosTenantAPI
import Foundation
import OpenAPIRuntime

/// A tenant administrator's view of the tenant's channels (`/api/v1/channels`, docs/channels.md §16), over the
/// client generated from docs/openapi/tenant.json, with an API key that has the tenant-admin scope.
public struct TenantChannelClient: Sendable {
    static let service = "gateway"
    private let client: Client

    /// Creates a client for the gateway at `baseURL` with one of the tenant's API keys.
    public init(baseURL: String, apiKey: String, http: HTTPClient = .shared) {
        // Channel info writes dates in whole seconds, as Integration Services did.
        client = Client(
            service: Self.service, baseURL: baseURL, bearer: nil, apiKey: apiKey, http: http, timeout: .seconds(60),
            configuration: Configuration(dateTranscoder: .iso8601))
    }

    /// A page of the tenant's channels, oldest first.
    public func list(limit: Int = 100, index: Int = 0) async throws -> [TenantAPI.ChannelInfo] {
        try await call(Self.service) {
            try await client.listChannels(query: .init(limit: limit, index: index)).ok.body.json
        }
    }

    /// A channel with all its subscriptions.
    public func show(_ address: String) async throws -> TenantAPI.ChannelSummary {
        try await call(Self.service) { try await client.getChannel(path: .init(channelAddress: address)).ok.body.json }
    }

    /// The channel's archive, as the exact bytes the service produced.
    public func export(_ address: String) async throws -> [UInt8] {
        try await call(Self.service) {
            let body = try await client.exportChannel(path: .init(channelAddress: address)).ok.body
            return try await [UInt8](collecting: try body.applicationVnd_custos_channelArchive, upTo: 1 << 30)
        }
    }
}
