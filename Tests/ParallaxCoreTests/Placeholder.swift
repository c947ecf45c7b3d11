// Placeholder so the package builds until the core tests land.
import XCTest
