// Placeholder so the package builds until the test support library lands.
import ParallaxUI
