# Parallax: `make run` sets up, builds and opens the bundled corpus; `make test` runs every test.
SWIFT ?= swift
ARGS ?= corpus

.PHONY: run build release test deps bench screenshots clean

run: deps build
	./.build/debug/parallax $(ARGS)

build:
	$(SWIFT) build --product parallax

release: deps
	$(SWIFT) build -c release --product parallax

test: deps
	$(SWIFT) build
	$(SWIFT) test

deps:
	@scripts/ensure-deps.sh

bench: deps
	$(SWIFT) build -c release --product parallax --product parallax-bench
	python3 scripts/make-synthetic-corpus.py
	./.build/release/parallax-bench
	scripts/bench-startup.py .build/release/parallax

screenshots: deps build
	scripts/screenshots.sh

clean:
	rm -rf .build
