// The IS claim schemas, transcribed field by field from the TypeBox declarations of
// `shared-modules/src/web/models/schemas/user-types.ts` and `user-types-helper.ts` (Integration Services,
// last release). A field IS typed `Type.Any()`, or a union with it, is `.any` here and accepts any JSON
// value; so does every member a schema does not name. Deliberate differences from IS are marked "Unlike IS".

extension ClaimSchema {
    // MARK: - The claim types

    /// `OrganizationSchema`.
    static let organization = ClaimSchema(
        thing: "Organization",
        [
            ("brand", .anyOf([.object(.brand), .string])),
            ("address", .anyOf([.object(.postalAddress), .string])),
            ("email", .string),
            ("faxNumber", .string),
            ("location", .string),
            ("slogan", .string),
            ("taxID", .string),
            ("telephone", .string),
            ("vatID", .string),
        ])

    /// `PersonSchema`.
    static let person = ClaimSchema(
        thing: "Person",
        [
            ("familyName", .string),
            ("givenName", .string),
            ("memberOf", .anyOf([.array(.object(.organization)), .object(.organization), .string])),
            ("worksFor", .anyOf([.array(.object(.organization)), .object(.organization), .string])),
            ("address", .anyOf([.object(.postalAddress), .string])),
            ("colleague", .array(.string)),
            ("email", .string),
            ("jobTitle", .string),
            ("birthDate", .fullDate),
            ("height", .anyOf([.object(.distance), .object(.quantitativeValue)])),
            ("weight", .object(.quantitativeValue)),
            ("gender", .string),
            ("nationality", .string),
            ("telephone", .string),
        ])

    /// `ProductSchema`.
    static let product = ClaimSchema(
        thing: "Product",
        [
            ("aggregateRating", .object(.aggregateRating)),
            ("award", .string),
            ("brand", .anyOf([.string, .object(.brand), .object(.organization)])),
            ("category", .array(.string)),
            ("color", .string),
            // Replaces Thing's string-or-array: a Product's image must be an array.
            ("image", .array(.string)),
            ("gtin", .string),
            ("height", .anyOf([.object(.distance), .object(.quantitativeValue), .string])),
            ("logo", .string),
            ("manufacturer", .object(.organization)),
            ("material", .anyOf([.string, .object(.thing)])),
            ("model", .string),
            ("mpn", .string),
            ("nsn", .string),
            ("offers", .anyOf([.object(.offer), .object(.demand), .object(.aggregateOffer)])),
            ("pattern", .string),
            ("productID", .string),
            ("productionDate", .dateTime),
            ("purchaseDate", .dateTime),
            ("releaseDate", .dateTime),
            ("review", .object(.review)),
            ("size", .anyOf([.string, .object(.quantitativeValue)])),
            ("sku", .string),
            ("slogan", .string),
            ("weight", .anyOf([.object(.quantitativeValue), .string])),
            ("width", .anyOf([.object(.distance), .object(.quantitativeValue), .string])),
        ])

    /// `ServiceSchema`.
    static let service = ClaimSchema(
        thing: "Service",
        [
            ("aggregateRating", .object(.aggregateRating)),
            ("availableChannel", .object(.serviceChannel)),
            ("brand", .anyOf([.object(.brand), .object(.organization)])),
            ("category", .string),
            ("offers", .anyOf([.object(.offer), .object(.demand)])),
            ("provider", .anyOf([.object(.organization), .object(.person)])),
            ("review", .anyOf([.object(.review), .object(.person)])),
            ("serviceOutput", .object(.thing)),
            ("serviceType", .string),
            ("termsOfService", .string),
        ])

    /// `DeviceSchema` (FIWARE smart-data-models Device).
    static let device = ClaimSchema(
        thing: "Device",
        [
            // Unlike IS, which accepted [] (no minItems): a device must say what it is.
            ("category", .nonEmptyArray(.oneOf(productCategories))),
            // DeviceControlledProperty or any string, so any string.
            ("controlledProperty", .array(.string)),
            ("address", .object(.postalAddress)),
            ("batteryLevel", .number),
            ("configuration", .anyOf([.object(.structuredValue), .object(.thing)])),
            ("controlledAsset", .anyOf([.string, .array(.string), .object(.thing)])),
            ("dataProvider", .any),
            ("dateFirstUsed", .dateTime),
            ("dateInstalled", .dateTime),
            ("dateLastCalibration", .dateTime),
            ("dateLastValueReported", .dateTime),
            // Misspelt in IS; the member is called so in stored claims.
            ("dateManufacured", .dateTime),
            ("deviceState", .string),
            ("direction", .oneOf(["Inlet", "Outlet", "Entry", "Exit"])),
            ("distance", .number),
            ("dstAware", .boolean),
            ("depth", .number),
            ("firmwareVersion", .string),
            ("hardwareVersion", .string),
            ("ipAddress", .array(.string)),
            ("location", .any),
            ("macAddress", .array(.string)),
            ("mcc", .string),
            ("mnc", .string),
            ("osVersion", .string),
            ("owner", .anyOf([.object(.person), .object(.organization), .string, .array(.string)])),
            ("provider", .anyOf([.object(.person), .object(.organization), .string])),
            ("refDeviceModel", .any),
            ("relativePosition", .string),
            ("rssi", .anyOf([.number, .array(.number)])),
            ("serialNumber", .string),
            ("softwareVersion", .string),
            ("source", .any),
            ("supportedProtocol", .oneOf(deviceProtocols)),
            ("value", .anyOf([.string, .object(.quantitativeValue)])),
        ],
        required: ["category", "controlledProperty"])

    // MARK: - Enumerations

    /// `ProductEnum`, the values of a Device's `category`.
    static let productCategories = [
        "actuator", "beacon", "endgun", "HVAC", "implement", "irrSection", "irrSystem", "meter", "multimedia",
        "network", "sensor",
    ]

    /// `DeviceProtocol`, the values of a Device's `supportedProtocol`.
    static let deviceProtocols = [
        "3g", "bluetooth", "bluetooth LE", "cat-m", "coap", "ec-gsm-iot", "gprs", "http", "lwm2m", "lora", "lte-m",
        "mqtt", "nb-iot", "onem2m", "sigfox", "ul20", "websocket",
    ]

    /// `ItemAvailability`.
    static let itemAvailability = [
        "BackOrder", "Discontinued", "InStock", "InStoreOnly", "LimitedAvailability", "OnlineOnly", "OutOfStock",
        "PreOrder", "PreSale", "SoldOut",
    ]

    /// `OfferItemConidition` (sic).
    static let itemConditions = ["DamagedCondition", "NewCondition", "RefurbishedCondition", "UsedCondition"]

    // MARK: - Nested objects

    /// `ThingSchema`.
    static let thing = ClaimSchema(thing: "Thing")

    /// `StructuredValueSchema`: only the Thing fields.
    static let structuredValue = ClaimSchema(thing: "StructuredValue")

    /// `DistanceSchema`: only the Thing fields.
    static let distance = ClaimSchema(thing: "Distance")

    /// `PostalAddressSchema`.
    static let postalAddress = ClaimSchema(
        thing: "PostalAddress",
        [
            ("addressCountry", .string),
            ("addressLocality", .string),
            ("addressRegion", .string),
            ("postOfficeBoxNumber", .string),
            ("postalCode", .string),
            ("streetAddress", .string),
        ])

    /// `QuantitativeValueSchema`.
    static let quantitativeValue = ClaimSchema(
        thing: "QuantitativeValue",
        [
            ("maxValue", .number),
            ("minValue", .number),
            ("unitCode", .anyOf([.string, .number])),
            ("unitText", .string),
            ("value", .anyOf([.string, .number, .boolean, .object(.structuredValue)])),
        ])

    /// `AggregateRatingSchema`.
    static let aggregateRating = ClaimSchema(
        thing: "AggregateRating",
        [
            ("author", .object(.thing)),
            ("bestRating", .anyOf([.string, .number])),
            ("worstRating", .anyOf([.string, .number])),
            ("itemReviewed", .object(.thing)),
            ("ratingExplanation", .string),
            ("ratingValue", .anyOf([.string, .number])),
            ("reviewCount", .anyOf([.string, .number])),
        ])

    /// `ReviewRatingSchema`.
    static let reviewRating = ClaimSchema(
        thing: "Rating",
        [
            ("author", .object(.thing)),
            ("bestRating", .anyOf([.string, .number])),
            ("ratingExplanation", .string),
            ("ratingValue", .anyOf([.string, .number])),
            ("reviewAspect", .string),
            ("worstRating", .anyOf([.string, .number])),
        ])

    /// `ReviewSchema`; IS made `reviewRating` required.
    static let review = ClaimSchema(
        thing: "Review",
        [
            ("itemReviewed", .object(.thing)),
            ("reviewAspect", .string),
            ("reviewBody", .string),
            ("reviewRating", .object(.reviewRating)),
        ],
        required: ["reviewRating"])

    /// `BrandSchema`.
    static let brand = ClaimSchema(
        thing: "Brand",
        [
            ("aggregateRating", .object(.aggregateRating)),
            ("logo", .string),
            ("review", .object(.thing)),
            ("slogan", .string),
        ])

    /// `ServiceChannelSchema`.
    static let serviceChannel = ClaimSchema(
        thing: "ServiceChannel",
        [
            ("availableLanguage", .string),
            ("serviceUrl", .string),
        ])

    /// `OfferSchema`.
    static let offer = ClaimSchema(
        thing: "Offer",
        [
            ("availability", .oneOf(itemAvailability)),
            ("availabilityEnds", .string),
            ("availabilityStarts", .string),
            ("businessFunction", .string),
            ("category", .anyOf([.string, .object(.thing)])),
            ("material", .string),
            ("offeredBy", .anyOf([.string, .object(.thing)])),
            ("gtin", .string),
            ("price", .anyOf([.string, .number])),
            ("priceCurrency", .string),
            ("priceValidUntil", .string),
            ("itemCondition", .oneOf(itemConditions)),
            ("itemOffered", .object(.thing)),
            ("seller", .object(.thing)),
            ("serialNumber", .string),
            ("validFrom", .string),
            ("validThrough", .string),
        ])

    /// `DemandSchema`.
    static let demand = ClaimSchema(
        thing: "Demand",
        [
            ("availability", .oneOf(itemAvailability)),
            ("availabilityEnds", .string),
            ("availabilityStarts", .string),
            ("businessFunction", .string),
            ("gtin", .string),
            ("itemCondition", .oneOf(itemConditions)),
            ("itemOffered", .object(.thing)),
            ("seller", .object(.thing)),
            ("serialNumber", .string),
            ("validFrom", .string),
            ("validThrough", .string),
        ])

    /// `AggregateOfferSchema`.
    static let aggregateOffer = ClaimSchema(
        thing: "AggregateOffer",
        [
            ("highPrice", .anyOf([.string, .number])),
            ("lowPrice", .anyOf([.string, .number])),
            ("offerCount", .number),
            ("offers", .array(.anyOf([.object(.offer), .object(.demand)]))),
        ])
}
