import Templating

/// openstacksdk's `search_*(name_or_id, filters)`: keep the resources whose name or id is `nameOrID`
/// and that match every filter; a filter value that is a dict matches nested attributes recursively.
/// Filters may use the service's field names or openstacksdk's attribute names.
enum InfoSearch {
    static func filter(
        _ raw: [ValueDictionary], schema: ResourceSchema, nameOrID: String?, filters: ValueDictionary?
    ) -> [ValueDictionary] {
        raw.filter { item in
            if let nameOrID, item["name"]?.string != nameOrID, item["id"]?.string != nameOrID { return false }
            guard let filters else { return true }
            let normalized = schema.normalize(item)
            return filters.allSatisfy { key, wanted in
                matches(wanted, item[key] ?? Value.none) || matches(wanted, normalized[key] ?? Value.none)
            }
        }.map(schema.normalize)
    }

    static func matches(_ wanted: Value, _ actual: Value) -> Bool {
        if case .dict(let nested) = wanted, case .dict(let actualNested) = actual {
            return nested.allSatisfy { matches($0.value, actualNested[$0.key] ?? Value.none) }
        }
        if wanted == actual { return true }
        return Arguments.text(wanted).map { $0 == Arguments.text(actual) } ?? false
    }
}
