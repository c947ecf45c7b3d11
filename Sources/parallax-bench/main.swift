// Placeholder so the package builds until the benchmarks land.
print("parallax-bench")
