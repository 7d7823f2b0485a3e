import CustosServer
import Hummingbird

/// Admits each authenticated request through the gateway's ``FairAdmission`` once its body has arrived, and frees
/// its place once the handler answered: a client that sends its body slowly holds a connection, never a place.
struct FairAdmissionMiddleware: RouterMiddleware {
    typealias Context = CustosRequestContext

    let admission: FairAdmission?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let admission else { return try await next(request, context) }
        await admission.enter(try context.requireTenantKey().tenant)
        do {
            let response = try await next(request, context)
            await admission.leave()
            return response
        } catch {
            await admission.leave()
            throw error
        }
    }
}
