// Placeholder so the package builds until the backend tests land.
import XCTest
