#!/usr/bin/env bash
# Prints one closing line for the whole run from XCTest's summary: "Tests: N passed, F failed".
set -euo pipefail
line=$(grep -E "Executed [0-9]+ tests?, with ([0-9]+ tests? skipped and )?[0-9]+ failures?" "$1" | tail -n 1 || true)
if [ -z "$line" ]; then
  echo "Tests: no XCTest summary found" >&2
  exit 1
fi
total=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$line")
failed=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$line")
skipped=$(sed -nE 's/.*with ([0-9]+) tests? skipped.*/\1/p' <<<"$line")
skipped=${skipped:-0}
echo "Tests: $((total - failed - skipped)) passed, $failed failed"
[ "$failed" -eq 0 ]
