// Placeholder so the package builds until the end-to-end tests land.
import XCTest
