import ParallaxUI

// Layout benchmark: a 50 MB article, first, last and middle screen at 60 columns by 70 rows.
for result in LayoutBenchmark.run() {
    print(result)
}
