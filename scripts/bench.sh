#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md against a fresh platform built in release mode, and compares each
# write path with the storage floor measured in the same run on the same PostgreSQL.
# Usage: make bench   (or scripts/bench.sh; SWIFT_BUILD_FLAGS="--scratch-path DIR" to build elsewhere,
#        SECONDS_PER_RUN=15 for the length of each timed run)
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release ${SWIFT_BUILD_FLAGS:-})
seconds=${SECONDS_PER_RUN:-15}
for tool in wrk pgbench psql; do
    command -v "$tool" >/dev/null || { echo "bench needs $tool (make deps installs it)" >&2; exit 1; }
done
echo "building (release)..." >&2
swift build "${flags[@]}" >&2
bin=$(swift build "${flags[@]}" --show-bin-path)
dir=$(mktemp -d /tmp/custos-bench-XXXXXX)
chmod 711 "$dir"
"$bin/custos" up --data-dir "$dir/data" --control-port 0 --gateway-port 0 --log-level warning >"$dir/up.log" 2>&1 &
up=$!
trap 'kill -INT $up 2>/dev/null; wait $up 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do grep -q "Custos is up" "$dir/up.log" && break; sleep 0.2; done
ledger=$(awk '/ledger worker/ {print $3; exit}' "$dir/up.log")
ssi=$(awk '/ssi worker/ {print $3; exit}' "$dir/up.log")
streams=$(awk '/streams worker/ {print $3; exit}' "$dir/up.log")
"$bin/custosctl" tenants create bench --data-dir "$dir/data" >"$dir/tenant.txt"
# The pooled gateway's shared URL, where the key names the tenant: wrk resolves no *.localhost names.
gateway=$(awk '/^shared/ {print $2}' "$dir/tenant.txt")
CUSTOS_API_KEY=$(awk '/^api key/ {print $3}' "$dir/tenant.txt")
export CUSTOS_API_KEY
sql() { psql -h "$dir/data/postgres/socket" -U custos -d custos -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# CPU ticks (user + system) of each process whose command line matches a pattern, as `pid:ticks ...`.
cpu() {
    local out="" pid
    for pid in $(pgrep -f "$1"); do
        out+="$pid:$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) "
    done
    echo "$out"
}
# Ticks the processes matching pattern $2 used since snapshot $1 (from `cpu`), counted per pid: a process that
# exited in between (a PostgreSQL backend) counts for nothing instead of making the sum negative, one that
# started counts whole.
ticks_since() {
    local total=0 pid entry now
    local -A before=()
    for entry in $1; do before[${entry%%:*}]=${entry#*:}; done
    for pid in $(pgrep -f "$2"); do
        now=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo "${before[$pid]:-0}")
        total=$((total + now - ${before[$pid]:-0}))
    done
    echo "$total"
}
# The share of a core each part used during a run: gateway, ledger worker, PostgreSQL.
cpu_shares() {
    local ticks; ticks=$(getconf CLK_TCK)
    awk -v g="$(ticks_since "$1" "custos gateway")" -v w="$(ticks_since "$2" "custos worker ledger")" \
        -v p="$(ticks_since "$3" "postgres")" -v t="$ticks" -v s="$4" \
        'BEGIN { printf "cpu: gateway %.0f %%, ledger worker %.0f %%, postgres %.0f %% of a core\n", \
                 100*g/t/s, 100*w/t/s, 100*p/t/s }'
}

echo "## $(date -u +%Y-%m-%d) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
     "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), commit $(git rev-parse --short HEAD)"

ingest_line=$("$bin/custos-bench" ingest --ledger-url "$ledger" --tenant bench --data-dir "$dir/data" --seconds "$seconds")
echo "$ingest_line"
ingest=$(sed -E 's/.*= ([0-9]+) entries\/s.*/\1/' <<<"$ingest_line")

# The floor: the same rows (500 of those just written) into a table with the same columns and indexes.
sql "CREATE SCHEMA bench_floor;
     CREATE TABLE bench_floor.messages (LIKE ledger.messages INCLUDING ALL);
     CREATE SEQUENCE bench_floor.seq;
     CREATE TABLE bench_floor.sample AS
         SELECT tag, raw, content_type FROM ledger.messages WHERE tenant_id = 'bench' AND tag = 'bench' LIMIT 500;"
tps=$(pgbench -h "$dir/data/postgres/socket" -U custos -n -c 8 -j 2 -T "$seconds" -f scripts/bench/floor.sql custos \
    2>/dev/null | awk '/^tps = / {print $3; exit}')
floor=$(awk -v t="$tps" 'BEGIN { printf "%.0f", t * 500 }')
echo "floor: pgbench, 500 rows per commit, 8 clients, ${seconds} s: $floor rows/s"
sql "DROP SCHEMA bench_floor CASCADE"

"$bin/custos-bench" latency --ledger-url "$ledger" --tenant bench --data-dir "$dir/data" --rate 5000 --seconds "$seconds"

before=("$(cpu "custos gateway")" "$(cpu "custos worker ledger")" "$(cpu "postgres")")
wrk -t 2 -c 64 -d "${seconds}s" --latency -s scripts/bench/write.lua "$gateway" >"$dir/write.txt"
cpu_shares "${before[@]}" "$seconds"
writes=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$dir/write.txt")
write_p50=$(awk '$1 == "50%" {print $2}' "$dir/write.txt")
write_p99=$(awk '$1 == "99%" {print $2}' "$dir/write.txt")
write_errors=$(awk '/Non-2xx/ {print $5}' "$dir/write.txt")
echo "gateway writes: one entry per request, 64 connections, ${seconds} s: $writes entries/s," \
     "p50 $write_p50, p99 $write_p99, non-2xx ${write_errors:-0}"

# Reads of entries a milestone has confirmed (so every receipt exists).
sleep 1
sql "SELECT encode(m.message_id, 'hex') FROM ledger.leaves l JOIN ledger.messages m
         ON m.tenant_id = l.tenant_id AND m.message_id = l.message_id
     WHERE l.tenant_id = 'bench' ORDER BY l.leaf_index DESC LIMIT 1000" >"$dir/ids.txt"
before=("$(cpu "custos gateway")" "$(cpu "custos worker ledger")" "$(cpu "postgres")")
CUSTOS_BENCH_IDS="$dir/ids.txt" wrk -t 2 -c 32 -d "${seconds}s" --latency -s scripts/bench/read.lua "$gateway" \
    >"$dir/read.txt"
cpu_shares "${before[@]}" "$seconds"
reads=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$dir/read.txt")
read_p50=$(awk '$1 == "50%" {print $2}' "$dir/read.txt")
read_p99=$(awk '$1 == "99%" {print $2}' "$dir/read.txt")
read_errors=$(awk '/Non-2xx/ {print $5}' "$dir/read.txt")
echo "gateway reads: messages and receipts alternately, 32 connections, ${seconds} s: $reads req/s," \
     "p50 $read_p50, p99 $read_p99, non-2xx ${read_errors:-0}"

"$bin/custos-bench" verify
"$bin/custos-bench" proofs
"$bin/custos-bench" policies
for clients in 16 64; do
    "$bin/custos-bench" ssi --gateway "$gateway" --ssi-url "$ssi" --tenant bench --data-dir "$dir/data" \
        --seconds "$seconds" --concurrency "$clients" --wrk-requests "$dir/ssi"
done
# The same at-worker requests from wrk, whose load costs the two cores far less than custos-bench's Swift client.
for op in issue check; do
    worker_before=$(cpu "custos worker ssi")
    pg_before=$(cpu "postgres")
    CUSTOS_SERVICE_TOKEN=$(cat "$dir/data/service-token") CUSTOS_CALLER="$dir/ssi/caller.txt" \
        CUSTOS_BODY="$dir/ssi/$op.json" wrk -t 1 -c 64 -d "${seconds}s" --latency -s scripts/bench/ssi-worker.lua \
        "$ssi$(cat "$dir/ssi/$op.path")" >"$dir/ssi-$op.txt"
    awk -v w="$(ticks_since "$worker_before" "custos worker ssi")" -v p="$(ticks_since "$pg_before" "postgres")" \
        -v t="$(getconf CLK_TCK)" -v s="$seconds" -v op="$op" '
        /^Requests\/sec:/ { rate = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } /Non-2xx/ { bad = $5 }
        END { printf "ssi %s at the ssi worker (wrk, 64 connections, %d s): %.0f/s, p50 %s, p99 %s, non-2xx %d;" \
                     " cpu: worker %.0f %%, postgres %.0f %% of a core\n", \
                     op == "issue" ? "issuance" : "verification", s, rate, p50, p99, bad, 100*w/t/s, 100*p/t/s }' \
        "$dir/ssi-$op.txt"
done
"$bin/custos-bench" channels --gateway "$gateway" --streams-url "$streams" --tenant bench --data-dir "$dir/data" \
    --seconds "$seconds" --rate 500 --seed-entries "${CHANNEL_SEED_ENTRIES:-100000}" | tee "$dir/channels.txt"
channel_writes=$(awk '/writes into one channel/ {for (i = 1; i <= NF; i++) if ($i == "entries/s,") print $(i - 1)}' \
    "$dir/channels.txt")

# Fair sharing: tenant A at a fixed rate alone, then while tenant B floods the same pooled gateway: within a plan
# whose limits exceed the machine (standard), past its plan's limit (free: refusals wait a second), and over 512
# connections (the gateway's --concurrent-requests bound lets tenants in by turns).
p99() { sed -E 's/.*p99 ([0-9.]+) ms.*/\1/' "$1"; }
fair_run() { # label plan connections
    "$bin/custosctl" tenants create "flood-$2-$3" --plan "$2" --data-dir "$dir/data" >"$dir/flood.txt"
    local flood_key
    flood_key=$(awk '/^api key/ {print $3}' "$dir/flood.txt")
    "$bin/custos-bench" paced --gateway "$gateway" --rate 200 --seconds "$seconds" --label "tenant A alone" \
        | tee "$dir/alone.txt"
    CUSTOS_API_KEY=$flood_key wrk -t 1 -c "$3" -d "$((seconds + 2))s" -s scripts/bench/write.lua "$gateway" \
        >"$dir/flood-wrk.txt" &
    local flooding=$!
    sleep 1
    "$bin/custos-bench" paced --gateway "$gateway" --rate 200 --seconds "$seconds" --label "tenant A while B floods" \
        | tee "$dir/shared.txt"
    wait $flooding
    echo "tenant B's flood ($1): $(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$dir/flood-wrk.txt") requests/s," \
         "non-2xx $(awk '/Non-2xx/ {print $5}' "$dir/flood-wrk.txt")"
    awk -v a="$(p99 "$dir/alone.txt")" -v s="$(p99 "$dir/shared.txt")" -v l="$1" \
        'BEGIN { printf "fair sharing, %s: A p99 %.1f ms alone, %.1f ms under B flood: %.2f x (target <= 1.5 x)\n", l, a, s, s / a }'
}
fair_run "B within a standard plan, 64 connections" standard 64
fair_run "B past its free plan's limit, 64 connections" free 64
fair_run "B within a standard plan, 512 connections" standard 512

# Provisioning: many pooled tenants, the memory each costs the platform, PostgreSQL connections in use.
pss() { local t=0 p; for p in $(pgrep -f "$1"); do
    t=$((t + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0))); done; echo "$t"; }
connections() { sql "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"; }
tenants=${BENCH_TENANTS:-10000}
sleep 5
before_pss=$(pss 'custos (gateway|worker|control)')
before_pg=$(pss postgres)
echo "before provisioning: custos processes $before_pss KiB (PSS), PostgreSQL $before_pg KiB, $(connections) connections"
"$bin/custos-bench" tenants --data-dir "$dir/data" --count "$tenants" --concurrency 4 --prefix pool
sleep 10
after_pss=$(pss 'custos (gateway|worker|control)')
after_pg=$(pss postgres)
echo "after $tenants pooled tenants, idle 10 s: custos processes $after_pss KiB (PSS), PostgreSQL $after_pg KiB," \
     "$(connections) connections (pools bounded: $(sql "SHOW max_connections") allowed)"
awk -v a="$after_pss" -v b="$before_pss" -v p="$after_pg" -v q="$before_pg" -v n="$tenants" \
    'BEGIN { printf "idle memory per pooled tenant: %.0f bytes in the custos processes, %.0f bytes in PostgreSQL\n", \
             (a - b) * 1024 / n, (p - q) * 1024 / n }'

echo
echo "| path | measured | ratio to the storage floor |"
echo "|---|---:|---:|"
echo "| storage floor (pgbench, 500 rows per commit, 8 clients) | $floor rows/s | 1 |"
awk -v i="$ingest" -v w="$writes" -v f="$floor" 'BEGIN {
    printf "| ledger worker ingest (batches of 500, 8 clients) | %d entries/s | %.2f |\n", i, i / f
    printf "| gateway, one entry per request, 64 connections | %d entries/s | %.3f |\n", w, w / f }'
awk -v c="$channel_writes" -v f="$floor" 'BEGIN {
    printf "| channel log writes through the gateway, one channel, 64 clients | %d entries/s | %.4f |\n", c, c / f }'
echo "| gateway reads (messages and receipts), 32 connections | $reads req/s | — |"
