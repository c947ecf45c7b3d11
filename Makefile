# Parallax: `make run` sets up, builds and opens the bundled corpus; `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
ARGS ?= corpus

.PHONY: run build release test eval deps bench screenshots clean

run: deps build
	./.build/debug/parallax $(ARGS)

build:
	$(SWIFT) build --product parallax

# A static standard library halves start-up time (no dynamic loading of the Swift runtime).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product parallax

test: deps
	$(SWIFT) build
	set -o pipefail; $(SWIFT) test 2>&1 | tee .build/test-output.txt
	@scripts/test-summary.sh .build/test-output.txt

# Scores the analysis on the development data in ../shared/data, when present (README, "parallax evaluate").
eval: deps
	$(SWIFT) build --product parallax
	./.build/debug/parallax evaluate

deps:
	@scripts/ensure-deps.sh

bench: deps
	$(SWIFT) build -c release --static-swift-stdlib --product parallax
	$(SWIFT) build -c release --product parallax-bench
	python3 scripts/make-synthetic-corpus.py
	./.build/release/parallax-bench
	scripts/bench-startup.py .build/release/parallax
	./.build/release/parallax-bench --make-store .bench-out/annotations-100k.sqlite --count 100000 --corpus corpus
	scripts/bench-startup.py .build/release/parallax 25 --store .bench-out/annotations-100k.sqlite
	scripts/bench-signal.py .build/release/parallax
	./.build/release/parallax-bench --ui-scale 1000
	./.build/release/parallax-bench --ui-scale 10000
	@if [ -d ../shared/data/polnear-dev/text ]; then scripts/bench-analyze.py .build/release/parallax; \
	else echo "bench: no ../shared/data/polnear-dev, skipping scripts/bench-analyze.py (give it --data DIR)"; fi

screenshots: deps build
	scripts/screenshots.sh

clean:
	rm -rf .build
