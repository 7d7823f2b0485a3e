import CustosAuth
import CustosClients
import CustosCore
import CustosServer
import Hummingbird

/// `/admin/v1/...`: tenants and API keys, for platform administrators.
struct AdminRoutes {
    let store: ControlStore
    let provisioner: TenantProvisioner

    func add(to admin: RouterGroup<CustosRequestContext>) {
        let tenants = admin.group("tenants")
        tenants.post { request, context in
            var request = request
            let caller = try context.requireCaller()
            let body = try await request.decodeJSON(ControlAPI.CreateTenant.self, limit: 4096)
            let id: TenantID
            do { id = try TenantID(validating: body.id) } catch { throw RequestError(.invalidInput, "\(error)") }
            let name = body.name ?? id.rawValue
            guard (1...200).contains(name.count) else {
                throw RequestError(.invalidInput, "name must be 1 to 200 characters")
            }
            context.logger.info("creating tenant", metadata: ["tenant": "\(id)", "by": "\(caller)"])
            return try JSONResponse.make(try await provisioner.create(id: id, name: name), status: .created)
        }
        tenants.get { _, _ in
            try JSONResponse.make(ControlAPI.TenantList(tenants: try await store.tenants().map(provisioner.body)))
        }
        tenants.get(":tenant") { _, context in
            try JSONResponse.make(provisioner.body(try await existingTenant(context)))
        }
        tenants.post(":tenant/keys") { request, context in
            var request = request
            let tenant = try await existingTenant(context)
            let body = try await request.decodeJSON(ControlAPI.CreateKey.self, limit: 4096)
            let key = SecretToken.generate(.apiKey)
            let row = try await store.insertKey(key, tenant: tenant.id, name: body.name ?? "unnamed")
            return try JSONResponse.make(
                ControlAPI.CreatedKey(key: TenantProvisioner.body(row), secret: key.secret), status: .created)
        }
        tenants.get(":tenant/keys") { _, context in
            let tenant = try await existingTenant(context)
            return try JSONResponse.make(
                ControlAPI.KeyList(keys: try await store.keys(tenant: tenant.id).map(TenantProvisioner.body)))
        }
        tenants.post(":tenant/ledger/rotate-coordinator-key") { _, context in
            let tenant = try await existingTenant(context)
            let rotation = try await provisioner.ledger.rotateCoordinatorKey(tenant: tenant.id)
            return try JSONResponse.make(rotation, status: .accepted)
        }
        tenants.delete(":tenant/keys/:key") { _, context in
            let tenant = try await existingTenant(context)
            let keyID = try context.parameters.require("key")
            guard try await store.revokeKey(tenant: tenant.id, keyID: keyID) else {
                throw RequestError(.notFound, "tenant \(tenant.id) has no key \(keyID)")
            }
            return Response(status: .noContent)
        }
    }

    private func existingTenant(_ context: CustosRequestContext) async throws -> ControlStore.TenantRow {
        let raw = try context.parameters.require("tenant")
        guard let id = TenantID(raw), let row = try await store.tenant(id) else {
            throw RequestError(.notFound, "no tenant \(raw)")
        }
        return row
    }
}
