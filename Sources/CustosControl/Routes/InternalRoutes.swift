import CustosClients
import CustosServer
import Hummingbird

/// `/internal/v1/...`: what other Custos processes ask the control plane.
struct InternalRoutes {
    let store: ControlStore

    func add(to internalRoutes: RouterGroup<CustosRequestContext>) {
        internalRoutes.get("/internal/v1/gateways") { _, _ in
            let gateways = try await store.tenants()
                .filter { $0.status == "active" }
                .map { ControlAPI.Gateway(tenant: $0.id.rawValue, port: $0.gatewayPort) }
            return try JSONResponse.make(ControlAPI.GatewayList(gateways: gateways))
        }
    }
}
