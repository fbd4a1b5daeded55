import Templating

/// How an openstacksdk resource turns a service's JSON into the dictionary openstack.cloud returns:
/// the attribute names openstacksdk uses (`is_router_external` for `router:external`), its type
/// conversions and defaults, and its key order.
public struct ResourceSchema: Sendable {
    /// A conversion openstacksdk applies to one attribute.
    public indirect enum Conversion: Sendable {
        case raw, bool, int, float, string, list, dict
        /// Glance's string-or-bool properties (`hw_vif_multiqueue_enabled: "true"`).
        case flexibleBool
        /// A nested resource, itself normalised (a server's `flavor` and `image`).
        case nested(NestedResource)
    }

    /// Resources that appear nested inside others.
    public enum NestedResource: Sendable {
        case flavor, image
        var schema: ResourceSchema {
            switch self {
            case .flavor: ResourceSchema.flavor
            case .image: ResourceSchema.image
            }
        }
    }

    /// One attribute.
    public struct Field: Sendable {
        public var key: String
        public var jsonName: String
        public var conversion: Conversion
        public var defaultValue: Value
        /// Another attribute whose value is used when this one is missing (`project_id` ← `tenant_id`).
        public var alias: String?
        /// Comes from a response header rather than the body (`if_match`), so it is always null in results.
        public var fromHeader: Bool

        public init(
            _ key: String, json: String? = nil, as conversion: Conversion = .raw, default defaultValue: Value = .none,
            alias: String? = nil, fromHeader: Bool = false
        ) {
            self.key = key
            self.jsonName = json ?? key
            self.conversion = conversion
            self.defaultValue = defaultValue
            self.alias = alias
            self.fromHeader = fromHeader
        }
    }

    public var name: String
    public var fields: [Field]
    /// Where attributes the schema does not know are collected (Glance image `properties`), if anywhere.
    public var unknownAttributesKey: String?

    public init(name: String, fields: [Field], unknownAttributesKey: String? = nil) {
        self.name = name
        self.fields = fields
        self.unknownAttributesKey = unknownAttributesKey
    }

    /// The service's JSON field name for an openstacksdk attribute (`is_dhcp_enabled` → `enable_dhcp`).
    public func jsonName(_ key: String) -> String {
        fields.first { $0.key == key }?.jsonName ?? key
    }

    /// Translates a dictionary keyed by openstacksdk attribute names into a request body.
    public func requestBody(_ attributes: ValueDictionary) -> ValueDictionary {
        var body = ValueDictionary()
        for (key, value) in attributes {
            if let key = key.string { body[jsonName(key)] = value }
        }
        return body
    }

    /// The openstacksdk `to_dict(computed=False)` form of a service's JSON object.
    public func normalize(_ object: ValueDictionary) -> ValueDictionary {
        normalize(.dict(object))
    }

    /// The openstacksdk `to_dict(computed=False)` form of a service's JSON value (a non-object reads as `{}`).
    public func normalize(_ body: Value) -> ValueDictionary {
        let source = body.dictionary ?? ValueDictionary()
        var byKey: [String: Value] = [:]
        for field in fields where !field.fromHeader {
            if let raw = source[field.jsonName], raw != .none {
                byKey[field.key] = Self.convert(raw, field.conversion)
            }
        }
        var result = ValueDictionary()
        for field in fields {
            var value = byKey[field.key] ?? Value.none
            if value == .none, let alias = field.alias { value = byKey[alias] ?? Value.none }
            if value == .none { value = field.defaultValue }
            result[field.key] = value
        }
        if let unknownKey = unknownAttributesKey {
            let known = Set(fields.map(\.jsonName))
            var unknown = ValueDictionary()
            for (key, value) in source {
                if let name = key.string, !known.contains(name) { unknown[name] = value }
            }
            result[unknownKey] = .dict(unknown)
        }
        return result
    }

    static func convert(_ value: Value, _ conversion: Conversion) -> Value {
        switch conversion {
        case .raw, .list, .dict: return value
        case .bool, .flexibleBool:
            if case .string(let text) = value {
                switch text.lowercased() {
                case "true", "yes", "on", "1", "y", "t": return .bool(true)
                case "false", "no", "off", "0", "n", "f": return .bool(false)
                default: return conversion == .flexibleBool ? value : .bool(!text.isEmpty)
                }
            }
            if case .int(let int) = value { return .bool(int != 0) }
            return value
        case .int:
            if case .string(let text) = value, let int = Int(text) { return .int(int) }
            if case .float(let double) = value, let int = Int(exactly: double.rounded(.towardZero)) { return .int(int) }
            return value
        case .float:
            if case .int(let int) = value { return .float(Double(int)) }
            if case .string(let text) = value, let double = Double(text) { return .float(double) }
            return value
        case .string:
            switch value {
            case .int(let int): return .string(String(int))
            case .bool(let bool): return .string(bool ? "True" : "False")
            default: return value
            }
        case .nested(let nested):
            if value.dictionary != nil { return .dict(nested.schema.normalize(value)) }
            return value
        }
    }
}

extension ResourceSchema.Conversion: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.raw, .raw), (.bool, .bool), (.int, .int), (.float, .float), (.string, .string), (.list, .list),
            (.dict, .dict), (.flexibleBool, .flexibleBool):
            true
        case (.nested(let left), .nested(let right)): left == right
        default: false
        }
    }
}
