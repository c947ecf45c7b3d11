// Placeholder so the package builds until the ncurses backend lands.
import ParallaxUI
