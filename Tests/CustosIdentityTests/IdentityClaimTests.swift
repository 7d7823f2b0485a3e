import CustosCore
import CustosIdentity
import Testing

@Suite("Integration Services identity claims: validation as the SSI bridge's schemas, JSON-LD context")
struct IdentityClaimTests {
    /// The error validating `claim` throws, or nil when it is accepted.
    static func failure(_ claim: JSONValue) -> IdentityError? {
        do {
            _ = try IdentityClaim(validating: claim)
            return nil
        } catch {
            return error
        }
    }

    /// `base` with `extra` members set (replacing any of the same name).
    static func claim(_ base: JSONValue, with extra: [String: JSONValue]) -> JSONValue {
        .object(base.objectValue!.merging(extra) { $1 })
    }

    /// `base` without member `key`.
    static func claim(_ base: JSONValue, without key: String) -> JSONValue {
        .object(base.objectValue!.filter { $0.key != key })
    }

    static let organization = Fixture.json(
        """
        {"type":"Organization","name":"IOTA Foundation","alternateName":"IF","url":"https://www.iota.org",
         "description":"Distributed ledger research","email":"contact@iota.org","telephone":"+49 30 1234567",
         "vatID":"DE308711456","taxID":"37/123/45678","slogan":"Trust in data","location":"Berlin",
         "sameAs":["https://twitter.com/iota","https://github.com/iotaledger"],"image":"https://www.iota.org/logo.png",
         "address":{"type":"PostalAddress","streetAddress":"Pappelallee 78/79","postalCode":"10437",
                    "addressLocality":"Berlin","addressCountry":"DE"},
         "brand":{"name":"IOTA","logo":"https://www.iota.org/logo.svg",
                  "aggregateRating":{"ratingValue":4.5,"reviewCount":"120","author":{"name":"Trustpilot"}}},
         "foundingDate":"2017-11-01"}
        """)

    static let service = Fixture.json(
        """
        {"type":"Service","name":"Waste collection tracking","serviceType":"Logistics","category":"waste management",
         "provider":{"type":"Organization","name":"Ayuntamiento de Osuna","address":"Plaza Mayor 1, Osuna"},
         "availableChannel":{"serviceUrl":"https://waste.example.org","availableLanguage":"es"},
         "offers":{"price":0,"priceCurrency":"EUR","availability":"InStock","itemCondition":"NewCondition"},
         "termsOfService":"https://waste.example.org/tos","serviceOutput":{"name":"Collection report"},
         "review":{"reviewBody":"Reliable","reviewRating":{"ratingValue":"5","bestRating":5}}}
        """)

    static let person = Fixture.json(
        """
        {"type":"Person","name":"Peter Peters","familyName":"Peters","givenName":"Peter","jobTitle":"Doctor",
         "birthDate":"1980-02-29","email":"peter@example.org","gender":"male","nationality":"British",
         "telephone":"+44 20 7946 0000","worksFor":{"type":"Organization","name":"UCLH"},
         "memberOf":[{"name":"British Medical Association","brand":"BMA"}],
         "colleague":["did:iota:CtPnfQqSZBmZEe5A5iNZzJ6pkCqUxtsFsErNfA3CeHpY"],
         "address":{"addressLocality":"London","addressCountry":"GB"},
         "height":{"value":180,"unitCode":"CMT"},"weight":{"value":"78","unitText":"kg","minValue":70}}
        """)

    /// The device claim of IS's Postman collection, plus the optional enumerated and typed fields.
    static let device = Fixture.json(
        """
        {"type":"Device","id":"device-9845A","category":["sensor"],
         "controlledProperty":["fillingLevel","temperature","car"],"controlledAsset":["wastecontainer-Osuna-100"],"ipAddress":["192.14.56.78"],"macAddress":["00:1B:44:11:3A:B7"],
         "mcc":"214","mnc":"07","batteryLevel":0.75,"serialNumber":"9845A",
         "refDeviceModel":"myDevice-wastecontainer-sensor-345","rssi":0.86,"value":"l=0.22;t=21.2","deviceState":"ok",
         "dateFirstUsed":"2014-09-11T11:00:00Z","dateInstalled":"2014-09-10T08:30:00.250+02:00",
         "owner":["http://person.org/leon"],"supportedProtocol":"lora","direction":"Inlet","dstAware":false,
         "location":{"type":"Point","coordinates":[-5.1, 37.2]},"dataProvider":{"name":"Osuna"},"source":42}
        """)

    static let product = Fixture.json(
        """
        {"type":"Product","name":"Euro pallet","category":["logistics","packaging"],"gtin":"4006381333931",
         "image":["https://example.org/pallet.jpg"],"brand":"EPAL","color":"natural","model":"EUR 1",
         "manufacturer":{"name":"Palettenwerk GmbH","address":{"addressCountry":"DE"}},"sku":"EP-1200",
         "productionDate":"2022-03-01T08:00:00Z","material":"wood","size":"1200 x 800 x 144 mm",
         "offers":{"price":"12.50","priceCurrency":"EUR","itemCondition":"UsedCondition","seller":{"name":"Acme"}},
         "review":{"reviewRating":{"ratingValue":4}},"weight":{"value":25,"unitText":"kg"},"width":"800 mm",
         "aggregateRating":{"ratingValue":4.2,"reviewCount":31}}
        """)

    @Test(
        "every known type is accepted with a realistic claim, and keeps its type and JSON",
        arguments: [
            (IdentityClaimTests.organization, ClaimType.organization), (IdentityClaimTests.service, .service),
            (IdentityClaimTests.person, .person), (IdentityClaimTests.device, .device),
            (IdentityClaimTests.product, .product),
        ])
    func knownTypesAccepted(claim: JSONValue, type: ClaimType) throws {
        let parsed = try IdentityClaim(validating: claim)
        #expect(parsed.type == type.rawValue)
        #expect(parsed.knownType == type)
        #expect(parsed.json == claim)
    }

    @Test("the smallest claims IS itself made are accepted: the root identity's Service and an Unknown")
    func minimalClaims() throws {
        #expect(Self.failure(["type": "Service", "name": "Integration Service"]) == nil)
        #expect(Self.failure(["type": "Person"]) == nil)
        #expect(Self.failure(["type": "Unknown", "name": 5, "category": "anything"]) == nil)
        #expect(Self.failure(["type": "Device", "category": ["HVAC"], "controlledProperty": []]) == nil)
    }

    @Test("a custom type of at least 3 characters is accepted with arbitrary fields, none of them checked")
    func customTypeAccepted() throws {
        let claim = Fixture.json(
            """
            {"type":"VaccinationCertificate","VaccinationType":"Astrazeneca","DateDoseOne":"03-01-2021",
             "birthDate":"1980-06-21T08:38:05.988Z","name":["not","a","string"],"category":7,"@context":null,
             "nested":{"deep":[1,true,null]}}
            """)
        let parsed = try IdentityClaim(validating: claim)
        #expect(parsed.type == "VaccinationCertificate")
        #expect(parsed.knownType == nil)
        // Only the exact spelling selects a schema, as in IS's switch.
        #expect(Self.failure(["type": "person", "birthDate": "yesterday"]) == nil)
        #expect(Self.failure(["type": "abc"]) == nil)
        // Ajv counts code points: "e" + combining acute + "x" is 3 long although it shows as 2 characters.
        #expect(Self.failure(["type": "e\u{301}x"]) == nil)
    }

    @Test("failure: a claim that is not an object, or whose type is missing, not a string or too short")
    func typeRules() {
        let notObject = IdentityError.invalidClaim(field: "claim", reason: "must be a JSON object with a type")
        #expect(Self.failure("Person") == notObject)
        #expect(Self.failure(["Person"]) == notObject)
        #expect(Self.failure(nil) == notObject)
        let rule = "Organization, Service, Person, Device, Product, Unknown or another string of at least 3 characters"
        #expect(Self.failure(["name": "Ada"]) == .invalidClaim(field: "claim.type", reason: "is required: " + rule))
        #expect(Self.failure(["type": "ab"]) == .invalidClaim(field: "claim.type", reason: "must be " + rule))
        #expect(Self.failure(["type": "é"]) == .invalidClaim(field: "claim.type", reason: "must be " + rule))
        #expect(Self.failure(["type": 123]) == .invalidClaim(field: "claim.type", reason: "must be " + rule))
        #expect(Self.failure(["type": nil]) == .invalidClaim(field: "claim.type", reason: "must be " + rule))
        #expect(Self.failure(["type": ["Person"]]) == .invalidClaim(field: "claim.type", reason: "must be " + rule))
        // A credential request checks the type alone, as IS did, and names the claim as its body does.
        #expect(throws: Never.self) {
            try IdentityClaim(
                validating: ["type": "Device", "category": "not an array"], field: "subject.claim",
                checksTypeSchema: false)
        }
        #expect(throws: IdentityError.invalidClaim(field: "subject.claim.type", reason: "must be " + rule)) {
            try IdentityClaim(validating: ["type": "ab"], field: "subject.claim", checksTypeSchema: false)
        }
    }

    @Test(
        "failure: a Thing or type field of the wrong JSON type names the field and what it must be",
        arguments: [
            (IdentityClaimTests.person, "name", 5, "claim.name", "must be a string"),
            (IdentityClaimTests.person, "name", nil, "claim.name", "must be a string"),
            (IdentityClaimTests.organization, "email", ["a@b.org"], "claim.email", "must be a string"),
            (IdentityClaimTests.service, "url", true, "claim.url", "must be a string"),
            (
                IdentityClaimTests.person, "@context", ["https://schema.org/"], "claim.@context",
                "must be a non-empty string"
            ),
            (IdentityClaimTests.product, "@context", "", "claim.@context", "must be a non-empty string"),
            // Only the array alternative could have meant an array, so the error says what its elements must be.
            (IdentityClaimTests.person, "sameAs", [1], "claim.sameAs", "must be an array of strings"),
            (
                IdentityClaimTests.organization, "image", ["ok": "no"], "claim.image",
                "must be a string or an array of strings"
            ),
            (
                IdentityClaimTests.product, "image", "https://example.org/pallet.jpg", "claim.image",
                "must be an array of strings"
            ),
            (IdentityClaimTests.product, "category", "packaging", "claim.category", "must be an array of strings"),
            (
                IdentityClaimTests.product, "productionDate", "2022-03-01", "claim.productionDate",
                "must be a date-time such as 2024-05-01T12:00:00Z"
            ),
            (IdentityClaimTests.service, "category", ["waste"], "claim.category", "must be a string"),
            (IdentityClaimTests.person, "colleague", "did:iota:x", "claim.colleague", "must be an array of strings"),
            (
                IdentityClaimTests.person, "birthDate", "1980-06-21T08:38:05Z", "claim.birthDate",
                "must be a date YYYY-MM-DD"
            ),
            (IdentityClaimTests.person, "birthDate", "1981-02-29", "claim.birthDate", "must be a date YYYY-MM-DD"),
            (IdentityClaimTests.person, "birthDate", "1980-6-21", "claim.birthDate", "must be a date YYYY-MM-DD"),
            (IdentityClaimTests.person, "birthDate", 19_800_621, "claim.birthDate", "must be a date YYYY-MM-DD"),
            (IdentityClaimTests.person, "weight", "78 kg", "claim.weight", "must be an object (QuantitativeValue)"),
            (
                IdentityClaimTests.person, "height", ["name": 5], "claim.height",
                "must be an object (Distance) or an object (QuantitativeValue)"
            ),
            (IdentityClaimTests.device, "batteryLevel", "75%", "claim.batteryLevel", "must be a number"),
            (IdentityClaimTests.device, "dstAware", "no", "claim.dstAware", "must be true or false"),
            (IdentityClaimTests.device, "rssi", ["-70"], "claim.rssi", "must be an array of numbers"),
            (IdentityClaimTests.device, "rssi", "-70", "claim.rssi", "must be a number or an array of numbers"),
        ] as [(JSONValue, String, JSONValue, String, String)])
    func wrongFieldType(base: JSONValue, key: String, value: JSONValue, field: String, reason: String) {
        #expect(Self.failure(Self.claim(base, with: [key: value])) == .invalidClaim(field: field, reason: reason))
    }

    @Test("failure: nested objects are checked too, and the error points inside them")
    func nestedFields() {
        let cases: [(JSONValue, IdentityError)] = [
            (
                Self.claim(Self.organization, with: ["address": ["streetAddress": 78]]),
                .invalidClaim(field: "claim.address.streetAddress", reason: "must be a string")
            ),
            (
                Self.claim(Self.person, with: ["memberOf": [["name": "BMA"], ["name": 1]]]),
                .invalidClaim(field: "claim.memberOf[1].name", reason: "must be a string")
            ),
            (
                Self.claim(Self.person, with: ["worksFor": 7]),
                .invalidClaim(
                    field: "claim.worksFor",
                    reason: "must be an array of objects (Organization) or an object (Organization) or a string")
            ),
            (
                Self.claim(Self.product, with: ["review": ["reviewBody": "good"]]),
                .invalidClaim(field: "claim.review.reviewRating", reason: "is required: an object (Rating)")
            ),
            (
                Self.claim(Self.product, with: ["offers": ["name": 5]]),
                .invalidClaim(
                    field: "claim.offers",
                    reason: "must be an object (Offer) or an object (Demand) or an object (AggregateOffer)")
            ),
            (
                Self.claim(Self.service, with: ["availableChannel": ["serviceUrl": ["https://x"]]]),
                .invalidClaim(field: "claim.availableChannel.serviceUrl", reason: "must be a string")
            ),
            (
                Self.claim(Self.organization, with: ["brand": ["aggregateRating": ["author": ["name": 3]]]]),
                .invalidClaim(field: "claim.brand.aggregateRating.author.name", reason: "must be a string")
            ),
        ]
        for (claim, expected) in cases {
            #expect(Self.failure(claim) == expected)
        }
    }

    @Test("failure: Device rules (required category and controlledProperty, enumerations, arrays, dates)")
    func deviceRules() {
        let categories =
            "a non-empty array of: actuator, beacon, endgun, HVAC, implement, irrSection, irrSystem, meter, "
            + "multimedia, network, sensor"
        let protocols =
            "one of: 3g, bluetooth, bluetooth LE, cat-m, coap, ec-gsm-iot, gprs, http, lwm2m, lora, lte-m, mqtt, "
            + "nb-iot, onem2m, sigfox, ul20, websocket"
        let dateTime = "must be a date-time such as 2024-05-01T12:00:00Z"
        let cases: [([String: JSONValue], String, String)] = [
            (["category": ["sensor", "car"]], "claim.category", "must be " + categories),
            (["category": []], "claim.category", "must be " + categories),
            (["category": "sensor"], "claim.category", "must be " + categories),
            (["category": ["Sensor"]], "claim.category", "must be " + categories),
            (["controlledProperty": [1]], "claim.controlledProperty", "must be an array of strings"),
            (["controlledProperty": "temperature"], "claim.controlledProperty", "must be an array of strings"),
            (["supportedProtocol": "5g"], "claim.supportedProtocol", "must be " + protocols),
            (["supportedProtocol": ["lora"]], "claim.supportedProtocol", "must be " + protocols),
            (["direction": "inlet"], "claim.direction", "must be one of: Inlet, Outlet, Entry, Exit"),
            (["ipAddress": "192.14.56.78"], "claim.ipAddress", "must be an array of strings"),
            (["macAddress": [["mac": "00:1B"]]], "claim.macAddress", "must be an array of strings"),
            (["dateFirstUsed": "yesterday"], "claim.dateFirstUsed", dateTime),
            (["dateFirstUsed": "2014-09-11"], "claim.dateFirstUsed", dateTime),
            (["dateFirstUsed": "2014-02-30T11:00:00Z"], "claim.dateFirstUsed", dateTime),
            (["dateLastCalibration": "2014-09-11T24:00:00Z"], "claim.dateLastCalibration", dateTime),
            (["dateManufacured": "2014-09-11T11:00Z"], "claim.dateManufacured", dateTime),
            (["dateInstalled": "2014-09-11T11:00:00+1"], "claim.dateInstalled", dateTime),
            (["dateInstalled": "2014-09-11TT11:00:00Z"], "claim.dateInstalled", dateTime),
            (["dateInstalled": "٢٠١٤-09-11T11:00:00Z"], "claim.dateInstalled", dateTime),
            (["address": "Osuna"], "claim.address", "must be an object (PostalAddress)"),
            (
                ["owner": 7], "claim.owner",
                "must be an object (Person) or an object (Organization) or a string or an array of strings"
            ),
        ]
        for (extra, field, reason) in cases {
            #expect(Self.failure(Self.claim(Self.device, with: extra)) == .invalidClaim(field: field, reason: reason))
        }
        #expect(
            Self.failure(Self.claim(Self.device, without: "category"))
                == .invalidClaim(field: "claim.category", reason: "is required: " + categories))
        #expect(
            Self.failure(Self.claim(Self.device, without: "controlledProperty"))
                == .invalidClaim(field: "claim.controlledProperty", reason: "is required: an array of strings"))
        // A missing required field is reported before a mistyped one.
        #expect(
            Self.failure(Self.claim(Self.claim(Self.device, without: "category"), with: ["name": 1]))
                == .invalidClaim(field: "claim.category", reason: "is required: " + categories))
    }

    @Test("date-times are read as IS's ajv-formats 2.1 read them, laxer than RFC 3339")
    func dateTimeAsIS() {
        for value in [
            "2014-09-11T11:00:00Z", "2022-09-27T14:43:43.901Z", "2014-09-11t11:00:00z", "2014-09-11 11:00:00+01:00",
            "2014-09-11T11:00:00+0100", "2014-09-11T11:00:00-05", "2014-09-11T11:00:00", "2016-12-31T23:59:60Z",
            "2000-02-29T00:00:00Z",
        ] {
            #expect(Self.failure(Self.claim(Self.device, with: ["dateFirstUsed": .string(value)])) == nil, "\(value)")
        }
    }

    @Test("every error stays short enough for a 400 message and quotes none of the caller's values")
    func errorsAreShort() {
        let secret = String(repeating: "x", count: 500)
        let claims: [JSONValue] = [
            Self.claim(Self.device, with: ["supportedProtocol": .string(secret)]),
            Self.claim(Self.device, with: ["category": [.string(secret)]]),
            Self.claim(Self.claim(Self.device, without: "category"), with: [:]),
            Self.claim(Self.person, with: ["worksFor": [["name": .string(secret), "brand": 3]]]),
            Self.claim(Self.product, with: ["offers": [.string(secret)]]),
            Self.claim(Self.service, with: ["provider": ["name": .string(secret), "telephone": 1]]),
            Self.claim(
                Self.service,
                with: ["review": ["reviewRating": ["author": ["sameAs": [.string(secret), 1]]], "name": 2]]),
            ["type": .string(String(secret.prefix(2)))],
        ]
        for claim in claims {
            let error = Self.failure(claim)
            #expect(error != nil)
            let message = error?.description ?? ""
            #expect(message.count <= 200, "\(message)")
            #expect(!message.contains("xxx"), "\(message)")
            #expect(error?.kind == .invalidInput)
        }
    }

    @Test("the JSON-LD context IS adds to credentialSubject: schema.org, smart-data-models for Device, else none")
    func credentialSubjectContext() throws {
        #expect(ClaimType.person.credentialSubjectContext == "https://schema.org/")
        #expect(ClaimType.organization.credentialSubjectContext == "https://schema.org/")
        #expect(ClaimType.product.credentialSubjectContext == "https://schema.org/")
        #expect(ClaimType.service.credentialSubjectContext == "https://schema.org/")
        #expect(ClaimType.device.credentialSubjectContext == ["https://smartdatamodels.org/context.jsonld"])
        #expect(ClaimType.unknown.credentialSubjectContext == nil)
        #expect(try IdentityClaim(validating: ["type": "Student"]).credentialSubjectContext == nil)

        let person = try IdentityClaim(validating: ["type": "Person", "name": "Ada"])
        #expect(person.credentialSubjectContext == "https://schema.org/")
        #expect(person.withDefaultContext() == ["@context": "https://schema.org/", "type": "Person", "name": "Ada"])
        let device = try IdentityClaim(validating: Self.device)
        #expect(device.withDefaultContext()["@context"] == ["https://smartdatamodels.org/context.jsonld"])
        // The claim's own @context wins, as in IS's `{'@context': context, ...claim}`.
        let own = try IdentityClaim(validating: ["type": "Person", "@context": "https://example.org/ctx"])
        #expect(own.withDefaultContext()["@context"] == "https://example.org/ctx")
        let custom = try IdentityClaim(validating: ["type": "Student", "name": "Ada"])
        #expect(custom.withDefaultContext() == custom.json)
    }
}
