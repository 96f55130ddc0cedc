#!/usr/bin/env bash
# Side-by-side server comparison, alternating A B A B: RTMFP fan-out (flowcast bench fanout) and round trips
# (flowcast bench ping through flowcast echo), each server build started fresh for each run.
#   perf/scripts/ab-servers.sh DIR_A DIR_B [ROUNDS] [PLAYERS]
# DIR_A and DIR_B each hold a flowcast.jar and its jvm.options (copies of engine/target/ from two builds).
# The load generator is always DIR_B's, so only the server differs. Output: one summary line per run, and the
# whole output of each run under ${OUT:-/tmp/ab-servers}/.
set -euo pipefail
a="$1"; b="$2"; rounds="${3:-3}"; players="${4:-100}"
out="${OUT:-/tmp/ab-servers}"; mkdir -p "$out"
flv="${FLV:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../shared" && pwd)/media/avc-aac-20s-1500k.flv}"
port="${PORT:-11935}"  # below 19350: builds before issue 14 refuse a main port inside their default core-port range

# exec, so that $! of a backgrounded call is the JVM itself (for --server-pid and for stopping it)
run_jar() { local dir="$1"; shift; read -r -a flags < "$dir/jvm.options"; exec java "${flags[@]}" ${JAVA_OPTS:-} -jar "$dir/flowcast.jar" "$@"; }

wait_for() { # file pattern
    for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "ab-servers: timed out waiting for '$2' in $1" >&2; return 1
}

stop() { kill -TERM "$1" 2>/dev/null || true; for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "$1" 2>/dev/null || true; }

fanout() { # label dir round
    local log="$out/fanout-$1-$3.log" srv="$out/server-$1-$3.log"
    (run_jar "$2" server --rtmfp "127.0.0.1:$port" --rtmp "127.0.0.1:$((port + 1))" > "$srv" 2>&1) &
    local pid=$!
    wait_for "$srv" fingerprint || { stop "$pid"; return 1; }
    (run_jar "$b" bench fanout "rtmfp://127.0.0.1:$port/live#s" --players "$players" --flv "$flv" \
        --server-pid "$pid") > "$log" 2>&1 || true
    stop "$pid"
    echo "fanout $1 round $3: $(grep -E 'complete|server CPU|latency|RSS' "$log" | tr '\n' ' ')"
}

ping() { # label dir round
    local log="$out/ping-$1-$3.log" srv="$out/echo-$1-$3.log"
    (run_jar "$2" echo --bind "127.0.0.1:$port") > "$srv" 2>&1 &
    local pid=$!
    wait_for "$srv" fingerprint || { stop "$pid"; return 1; }
    (run_jar "$b" bench ping "rtmfp://127.0.0.1:$port/echo" --messages 20000 --rate 10000 \
        --out "$out/ping-$1-$3.hgrm") > "$log" 2>&1 || true
    stop "$pid"
    echo "ping $1 round $3: $(grep -E 'p50|p99|max|µs' "$log" | head -4 | tr '\n' ' ')"
}

for r in $(seq 1 "$rounds"); do
    fanout A "$a" "$r"; fanout B "$b" "$r"
done
for r in $(seq 1 "$rounds"); do
    ping A "$a" "$r"; ping B "$b" "$r"
done
