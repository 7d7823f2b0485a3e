#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md against a fresh platform built in release mode.
# Usage: make bench   (or scripts/bench.sh; SWIFT_BUILD_FLAGS="--scratch-path DIR" to build elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release ${SWIFT_BUILD_FLAGS:-})
echo "building (release)..." >&2
swift build "${flags[@]}" >&2
bin=$(swift build "${flags[@]}" --show-bin-path)
dir=$(mktemp -d /tmp/custos-bench-XXXXXX)
chmod 711 "$dir"
"$bin/custos" up --data-dir "$dir/data" --control-port 0 --log-level warning >"$dir/up.log" 2>&1 &
up=$!
trap 'kill -INT $up 2>/dev/null; wait $up 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do grep -q "Custos is up" "$dir/up.log" && break; sleep 0.2; done
ledger=$(awk '/ledger worker/ {print $3; exit}' "$dir/up.log")
"$bin/custosctl" tenants create bench --data-dir "$dir/data" >/dev/null

echo "## $(date -u +%Y-%m-%d) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
     "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
"$bin/custos-bench" ingest --ledger-url "$ledger" --tenant bench --data-dir "$dir/data" --seconds "${SECONDS_PER_RUN:-15}"
"$bin/custos-bench" latency --ledger-url "$ledger" --tenant bench --data-dir "$dir/data" --rate 5000 \
    --seconds "${SECONDS_PER_RUN:-15}"
"$bin/custos-bench" verify
"$bin/custos-bench" proofs
