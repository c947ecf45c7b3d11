import ParallaxCore
import XCTest
@testable import ParallaxUI

/// The `[annotation]` table of the config: default annotator and the label set.
final class AnnotationConfigTests: XCTestCase {
    func testAnnotatorAndLabels() throws {
        let config = try Config.parse("""
            [annotation]
            annotator = "ana"
            labels = ["fact", "opinion", "émotion"]
            """, path: "c.toml")
        XCTAssertEqual(config.annotator, "ana")
        XCTAssertEqual(config.labels, ["fact", "opinion", "émotion"])
        XCTAssertNil(try Config.parse("theme = \"mono\"", path: "c.toml").labels)
    }

    func testBadValuesNameTheLine() {
        XCTAssertThrowsError(try Config.parse("[annotation]\nlabels = [1, 2]\n", path: "c.toml")) { error in
            XCTAssertEqual((error as? Config.Error)?.line, 2)
        }
        XCTAssertThrowsError(try Config.parse("[annotation]\nlabels = []\n", path: "c.toml"))
        XCTAssertThrowsError(try Config.parse("[annotation]\ncolour = \"x\"\n", path: "c.toml")) { error in
            XCTAssertTrue("\(error)".contains("unknown annotation setting 'colour'"))
        }
    }
}
