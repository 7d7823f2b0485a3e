import CustosCore
import CustosSSIWorkerAPI
import CustosServer
import Foundation
import OpenAPIRuntime

/// The typed operations of docs/openapi/ssi-worker.yaml: thin translations between the generated types and
/// ``SSIService``. Failures are thrown domain errors, mapped to JSON errors in one place (CustosServer).
struct SSIWorkerHandlers: APIProtocol {
    let service: SSIService

    static func tenant(_ raw: String) throws -> TenantID {
        do { return try TenantID(validating: raw) } catch { throw RequestError(.invalidInput, "\(error)") }
    }

    static func body(_ row: SSITenantRow) -> Components.Schemas.TrustRoot {
        .init(did: row.trustRoot, network: row.network, gatewayURL: row.gatewayURL, created: row.created)
    }

    func createTrustRoot(_ input: Operations.CreateTrustRoot.Input) async throws -> Operations.CreateTrustRoot.Output {
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let row = try await service.createTrustRoot(try Self.tenant(input.path.tenant), gatewayURL: body.gatewayURL)
        return .ok(.init(body: .json(Self.body(row))))
    }

    func eraseIdentities(_ input: Operations.EraseIdentities.Input) async throws -> Operations.EraseIdentities.Output {
        let tenant = try Self.tenant(input.path.tenant)
        let rows = try await service.store.erase(tenant)
        service.caches.forget(tenant)
        return .ok(.init(body: .json(.init(rows: rows))))
    }

    func getTrustRoot(_ input: Operations.GetTrustRoot.Input) async throws -> Operations.GetTrustRoot.Output {
        .ok(.init(body: .json(Self.body(try await service.tenant(try Self.tenant(input.path.tenant))))))
    }

    func publishCoordinatorKey(_ input: Operations.PublishCoordinatorKey.Input) async throws
        -> Operations.PublishCoordinatorKey.Output
    {
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let row = try await service.publishCoordinatorKey(
            try Self.tenant(input.path.tenant), index: input.path.index, verifierKey: body.verifierKey)
        return .ok(.init(body: .json(Self.body(row))))
    }

    func getJWKS(_ input: Operations.GetJWKS.Input) async throws -> Operations.GetJWKS.Output {
        let keys = try await service.tokenKeys(try Self.tenant(input.path.tenant))
        return .ok(
            .init(
                body: .json(
                    .init(
                        keys: keys.sorted { $0.key < $1.key }.map { kid, key in
                            .init(
                                kty: .okp, crv: .ed25519, x: Base64URL.encode(key.rawRepresentation), kid: kid,
                                alg: .edDSA, use: .sig)
                        }))))
    }

    func getPolicyFacts(_ input: Operations.GetPolicyFacts.Input) async throws -> Operations.GetPolicyFacts.Output {
        let tenant = try Self.tenant(input.path.tenant)
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let role = try await service.store.role(tenant, did: body.identity)
        let initiatorVerified = try await body.initiatorCredential.asyncMap {
            try await service.initiatorVerified(tenant, credential: $0, caller: body.identity)
        }
        let subject = try await body.credentialSignature.asyncMap {
            try await service.credentialSubject(tenant, reference: $0)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        role: .init(rawValue: role ?? "User") ?? .user, registered: role != nil,
                        initiatorVerified: initiatorVerified ?? false, credentialSubject: subject ?? nil))))
    }
}

extension Optional where Wrapped: Sendable {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
