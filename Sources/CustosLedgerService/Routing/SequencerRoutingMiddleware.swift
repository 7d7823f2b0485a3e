import CustosServer
import HTTPTypes
import Hummingbird

/// Sends each tenant's request to the ledger worker that sequences the tenant: this one answers it (and says so
/// in `Custos-Sequencer`), any other gets it forwarded once.
///
/// Placed after the service-token authenticator on the tenant routes; every one of them names its tenant in the
/// path, so the decision is made on the route's `tenant` parameter, never on the raw path.
struct SequencerRoutingMiddleware: RouterMiddleware {
    typealias Context = CustosRequestContext

    /// The worker that sequenced the answer.
    static let sequencerHeader = HTTPField.Name("Custos-Sequencer")!

    let ledgers: SequencerRegistry
    let forwarder: SequencerForwarder

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let tenant = try RelayedRequest.tenant(context)
        let forwarded = request.headers[SequencerForwarder.forwardedHeader] != nil
        switch try await ledgers.route(tenant, forwarded: forwarded) {
        case .local:
            return try await answer(request, context: context, next: next)
        case .remote(let owner):
            var request = request
            let body = try await request.collectBody(upTo: forwarder.bodyLimit)
            switch try await forwarder.forward(request, body: body, to: owner) {
            case .answered(let response):
                return response
            case .unreachable:
                // The owner died: its session ended and released the shard, which this worker takes if it can.
                guard try await ledgers.route(tenant, forwarded: true) == .local else {
                    throw SequencerError.moved(tenant)
                }
                request.body = RequestBody(buffer: body)
                return try await answer(request, context: context, next: next)
            }
        }
    }

    private func answer(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.sequencerHeader] = forwarder.advertiseURL
        return response
    }
}
