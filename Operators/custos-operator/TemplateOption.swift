import ArgumentParser
import CustosCore
import CustosOperator
import Foundation

/// `--gateway-template`, shared by `run` and `render`.
struct TemplateOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The gateway template: JSON with the dedicated gateway's image, arguments, environment, probes and "
                + "security settings, as the chart renders it into the ConfigMap <fullname>-operator.",
            valueName: "file"))
    var gatewayTemplate: String

    func load() throws -> GatewayTemplate {
        guard let data = FileManager.default.contents(atPath: gatewayTemplate) else {
            throw ValidationError("cannot read the gateway template \(gatewayTemplate)")
        }
        return try GatewayTemplate(object: JSONParser.parse(Array(data)))
    }
}
