import Foundation
import Testing
import ModelFormats

@Suite("config.json access")
struct JSONConfigTests {
    let config: JSONConfig

    init() throws {
        config = try JSONConfig(
            data: Data(
                """
                {"n_layer": 12, "eps": 1e-5, "name": "gpt2", "flag": true, "bad": "twelve", "neg": -1, "half": 1.5,
                 "nothing": null, "list": ["a", "b"], "scaling": {"factor": 8}}
                """.utf8), path: "config.json")
    }

    @Test("typed values and defaults")
    func values() throws {
        #expect(try config.int("n_layer") == 12)
        #expect(try config.double("eps") == 1e-5)
        #expect(try config.double("n_layer") == 12)
        #expect(try config.string("name") == "gpt2")
        #expect(try config.bool("flag", default: false))
        #expect(try config.int("nothing", default: 3) == 3)
        #expect(try config.int("absent", default: nil) == nil)
        #expect(try config.strings("list") == ["a", "b"])
        #expect(try config.object("scaling")?.int("factor") == 8)
    }

    @Test("errors name the file, the key, what was expected and what was found")
    func errors() {
        #expect(throws: ModelFormatError(path: "config.json", "key \"bad\" must be an integer, found \"twelve\"")) {
            try config.int("bad")
        }
        #expect(throws: ModelFormatError(path: "config.json", "key \"half\" must be an integer, found 1.5")) {
            try config.int("half")
        }
        #expect(throws: ModelFormatError(path: "config.json", "key \"missing\" must be an integer, found nothing")) {
            try config.int("missing")
        }
        #expect(throws: ModelFormatError(path: "config.json", "key \"neg\" must be positive, found -1")) {
            try config.positiveInt("neg")
        }
        #expect(throws: ModelFormatError(path: "config.json", "key \"n_layer\" must be true or false, found 12")) {
            try config.bool("n_layer", default: false)
        }
        #expect(throws: ModelFormatError(path: "config.json (scaling)", "key \"type\" must be a string, found nothing"))
        {
            try config.object("scaling")?.string("type")
        }
        #expect(throws: ModelFormatError.self) { try JSONConfig(data: Data("{\"a\": ".utf8), path: "x.json") }
        #expect(throws: ModelFormatError(path: "x.json", "expected a JSON object at the top level")) {
            try JSONConfig(data: Data("[1, 2]".utf8), path: "x.json")
        }
    }
}
