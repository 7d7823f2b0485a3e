import CustosClients
extension ControlAPI.CreateTenant: StrictBody {
    public static let members: Set<String> = ["id", "name"]
}

extension ControlAPI.CreateKey: StrictBody {
    public static let members: Set<String> = ["name"]
}
