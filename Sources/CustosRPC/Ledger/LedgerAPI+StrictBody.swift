extension LedgerAPI.CreateNetwork: StrictBody {
    public static let members: Set<String> = ["name"]
}

extension LedgerAPI.Submit: StrictBody {
    public static let members: Set<String> = ["tag", "data", "contentType"]
}

extension LedgerAPI.SubmitBatch: StrictBody {
    public static let members: Set<String> = ["messages"]
    public static var arrayMembers: [String: any StrictBody.Type] { ["messages": LedgerAPI.Submit.self] }
}
