import JSON
import Testing

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("escapes, shortest floats, non-finite as null")
    func writer() {
        var w = JSONWriter()
        w.object { o in
            o.field("text", "a\"b\\c\n\u{01}é")
            o.field("values") { $0.array([Float(0.1), .nan, -.infinity, 1e-7, 3]) }
            o.field("n", 42)
            o.field("flag", false)
        }
        #expect(
            String(decoding: w.data, as: UTF8.self)
                == "{\"text\":\"a\\\"b\\\\c\\n\\u0001é\",\"values\":[0.1,null,null,1e-07,3.0],\"n\":42,\"flag\":false}")
    }

    @Test("backspace, form feed, DEL and the JavaScript line separators are escaped")
    func javascriptSafe() {
        var w = JSONWriter()
        w.string("a\u{08}b\u{0C}c\u{7F}d\u{2028}e\u{2029}f")
        #expect(String(decoding: w.data, as: UTF8.self) == #""a\bb\fc\u007fd\u2028e\u2029f""#)
    }

    @Test("array and object helpers write separators between elements only")
    func helpers() {
        var w = JSONWriter()
        w.object { o in
            o.field("empty") { $0.array([String]().lazy.map { $0 }) { w, s in w.string(s) } }
            o.field("rows") { $0.array([[1], [2, 3]]) { w, row in w.array(row) } }
            o.field("objects") { $0.objects(["x", "y"]) { o, name in o.field("name", name) } }
        }
        #expect(
            String(decoding: w.data, as: UTF8.self)
                == #"{"empty":[],"rows":[[1],[2,3]],"objects":[{"name":"x"},{"name":"y"}]}"#)
    }
}

@Suite("JSON writer: parsed values")
struct JSONWriterValueTests {
    @Test("a parsed document is written back as it was, member order and duplicates kept")
    func roundTrip() throws {
        let text = #"{"b":[1,-2.5,1e+20,true,false,null],"a":{"x":"▁\n\"","x":{}},"empty":[]}"#
        var w = JSONWriter()
        w.value(try JSONParser.parse(Array(text.utf8)))
        #expect(
            String(decoding: w.data, as: UTF8.self)
                == #"{"b":[1,-2.5,1e+20,true,false,null],"a":{"x":"▁\n\"","x":{}},"empty":[]}"#)
    }
}
