// Placeholder so the package builds until the command-line entry point lands.
print("parallax")
