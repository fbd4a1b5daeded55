import Engine
import ModuleAPI
import Templating

/// The modules, connections and fact gathering a real run uses.
enum StandardComponents {
    static func make() -> RunComponents {
        RunComponents(registry: ModuleRegistry(), connections: [:], facts: NoFacts())
    }
}

/// Used until the module layer provides fact gathering: reports that facts cannot be gathered.
struct NoFacts: FactGatherer {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "fact gathering is not available" }
    }

    func gather(over connection: any Connection, subset: [String], timeout: Int) async throws -> ValueDictionary {
        throw Unavailable()
    }
}
