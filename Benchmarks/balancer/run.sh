#!/usr/bin/env bash
# Benchmark stackplay-balancer against HAProxy in one run, in front of 4 nginx backends on loopback.
#
#   Benchmarks/balancer/run.sh [throughput|failover|all]
#
# Environment: BINARY (default: build a release binary), DURATION (10s), ROUNDS (2), CONNECTIONS ("50 200"),
# BASELINE (optional: a second stackplay-balancer binary, e.g. an older build, measured in the same rounds
# as "baseline", so before/after compare within one run).
# Prints markdown tables and keeps raw wrk output in Benchmarks/balancer/results/<timestamp>/.
# Only loopback is used; every process started here is stopped on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MODE=${1:-all}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-"50 200"}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$HERE/results/$STAMP"
WORK=$(mktemp -d /tmp/balancer-bench.XXXXXX)
mkdir -p "$RESULTS"

BACKEND_PORTS=(18281 18282 18283 18284)
HAPROXY_PORT=18280
STACKPLAY_PORT=18290
BASELINE_PORT=18291
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null || true
    for i in 1 2 3 4; do
        [ -f "$WORK/b$i/nginx.pid" ] && kill "$(cat "$WORK/b$i/nginx.pid")" 2>/dev/null || true
    done
    sleep 0.3
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in nginx haproxy wrk; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install nginx haproxy wrk)" >&2; exit 1; }
done

if [ -z "${BINARY:-}" ]; then
    echo "building the release binary" >&2
    (cd "$ROOT" && swift build -c release --product stackplay-balancer >&2)
    BINARY="$ROOT/.build/release/stackplay-balancer"
fi

start_backend() { # index port
    local dir="$WORK/b$1"
    mkdir -p "$dir/logs"
    cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:$2;
    location / { add_header X-Backend-Server b$1 always; return 200 "ok b$1\n"; }
  }
}
CONF
    nginx -p "$dir" -c "$dir/nginx.conf"
}

start_haproxy() {
    cat >"$WORK/haproxy.cfg" <<CONF
global
    maxconn 8000
defaults
    mode http
    # What stackplay-balancer's quick mode does by default: X-Forwarded-For and X-Forwarded-Proto.
    option forwardfor
    option redispatch
    retries 3
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 10s
    timeout check 2s
frontend front
    bind 127.0.0.1:$HAPROXY_PORT
    http-request set-header X-Forwarded-Proto http
    default_backend back
backend back
    balance roundrobin
    server b1 127.0.0.1:${BACKEND_PORTS[0]} check inter 1s fall 2 rise 2
    server b2 127.0.0.1:${BACKEND_PORTS[1]} check inter 1s fall 2 rise 2
    server b3 127.0.0.1:${BACKEND_PORTS[2]} check inter 1s fall 2 rise 2
    server b4 127.0.0.1:${BACKEND_PORTS[3]} check inter 1s fall 2 rise 2
CONF
    haproxy -c -f "$WORK/haproxy.cfg" >/dev/null
    haproxy -D -f "$WORK/haproxy.cfg" -p "$WORK/haproxy.pid"
}

start_stackplay() { # binary port → sets STARTED_PID
    local args=(--listen "127.0.0.1:$2" --check-interval 1s)
    for port in "${BACKEND_PORTS[@]}"; do args+=(--backend "127.0.0.1:$port"); done
    "$1" "${args[@]}" 2>"$WORK/stackplay-$2.log" &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

wait_port() {
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
        sleep 0.1
    done
    echo "nothing answers on port $1" >&2
    exit 1
}

cpu_ticks() { # pid → utime+stime in clock ticks
    awk '{print $14 + $15}' "/proc/$1/stat"
}

# One wrk run: name port connections pid(or -) → TSV line
run_wrk() {
    local name=$1 port=$2 conns=$3 pid=$4 out="$RESULTS/$1-c$3-$RANDOM.txt"
    local before=0 after=0
    [ "$pid" != "-" ] && before=$(cpu_ticks "$pid")
    wrk -t1 -c"$conns" -d"$DURATION" --latency "http://127.0.0.1:$port/" >"$out"
    [ "$pid" != "-" ] && after=$(cpu_ticks "$pid")
    local hz; hz=$(getconf CLK_TCK)
    awk -v name="$name" -v conns="$conns" -v ticks=$((after - before)) -v hz="$hz" -v measured="$pid" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /requests in/ { total = $1 }
        /^Requests\/sec/ { rps = $2 }
        /Non-2xx/ { non2xx = $NF }
        /Socket errors/ { gsub(",", ""); errors = $4 + $6 + $8 + $10 }
        END {
            cpu = (measured == "-" || total == 0) ? "-" : sprintf("%.1f", ticks / hz / total * 1e6)
            printf "%s\t%s\t%.0f\t%.2f\t%.2f\t%s\t%d\t%d\n", name, conns, rps, p50, p99, cpu, non2xx + 0, errors + 0
        }' "$out"
}

throughput() {
    local tsv="$RESULTS/throughput.tsv"
    printf "path\tconns\treq/s\tp50 ms\tp99 ms\tLB CPU us/req\tnon-2xx\tsocket errors\n" >"$tsv"
    for round in $(seq 1 "$ROUNDS"); do
        for conns in $CONNECTIONS; do
            run_wrk direct "${BACKEND_PORTS[0]}" "$conns" - | tee -a "$tsv"
            run_wrk haproxy "$HAPROXY_PORT" "$conns" "$(cat "$WORK/haproxy.pid")" | tee -a "$tsv"
            run_wrk stackplay "$STACKPLAY_PORT" "$conns" "$STACKPLAY_PID" | tee -a "$tsv"
            if [ -n "${BASELINE:-}" ]; then
                run_wrk baseline "$BASELINE_PORT" "$conns" "$BASELINE_PID" | tee -a "$tsv"
            fi
        done
    done
    echo
    echo "| path | conns | req/s | p50 ms | p99 ms | LB CPU µs/req | non-2xx | socket errors |"
    echo "|---|---|---|---|---|---|---|---|"
    tail -n +2 "$tsv" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8}'
    echo
    echo "| balancer | conns | req/s ÷ HAProxy's | p99 ÷ HAProxy's | CPU/req ÷ HAProxy's |"
    echo "|---|---|---|---|---|"
    tail -n +2 "$tsv" | awk -F'\t' '
        $1 == "haproxy" { hr[$2] += $3; hp[$2] += $5; hc[$2] += $6 }
        $1 == "stackplay" || $1 == "baseline" { r[$1, $2] += $3; p[$1, $2] += $5; c[$1, $2] += $6; seen[$1] = 1 }
        END {
            for (name in seen) for (conns in hr)
                printf "| %s | %s | %.2f | %.2f | %.2f |\n", name, conns, r[name, conns] / hr[conns],
                    p[name, conns] / hp[conns], c[name, conns] / hc[conns]
        }'
}

# Kill b2 (SIGKILL, master and worker) 3 s into a 10 s c50 run through one balancer.
failover_one() { # name port
    local name=$1 port=$2 out="$RESULTS/failover-$1.txt"
    # (Re)start b2; right after a SIGKILL its port may take a moment to free up.
    if ! curl -s -o /dev/null "http://127.0.0.1:${BACKEND_PORTS[1]}/"; then
        for _ in $(seq 1 40); do
            start_backend 2 "${BACKEND_PORTS[1]}" 2>/dev/null && break
            sleep 0.25
        done
    fi
    wait_port "${BACKEND_PORTS[1]}"
    # Both balancers need rise=2 checks at 1 s to take a restarted b2 back.
    sleep 3.5
    local master; master=$(cat "$WORK/b2/nginx.pid")
    ( sleep 3; kill -KILL "$master" $(ps -o pid= --ppid "$master") ) &
    local killer=$!
    wrk -t1 -c50 -d10s --latency "http://127.0.0.1:$port/" >"$out"
    wait "$killer"
    rm -f "$WORK/b2/nginx.pid"
    awk -v name="$name" '
        /^Requests\/sec/ { rps = $2 }
        /^ +99%/ { p99 = $2 }
        /Non-2xx/ { non2xx = $NF }
        /Socket errors/ { gsub(",", ""); errors = "connect " $4 ", read " $6 ", write " $8 ", timeout " $10 }
        END { printf "| %s | %s | %s | %d | %s |\n", name, rps, p99, non2xx + 0, errors == "" ? "none" : errors }' "$out"
}

failover() {
    echo
    echo "| balancer (b2 SIGKILLed at 3 s of 10 s, c50) | req/s | p99 | non-2xx | socket errors |"
    echo "|---|---|---|---|---|"
    failover_one haproxy "$HAPROXY_PORT"
    failover_one stackplay "$STACKPLAY_PORT"
}

for i in 1 2 3 4; do start_backend "$i" "${BACKEND_PORTS[$((i - 1))]}"; done
start_haproxy
start_stackplay "$BINARY" "$STACKPLAY_PORT"
STACKPLAY_PID=$STARTED_PID
PORTS=("${BACKEND_PORTS[@]}" "$HAPROXY_PORT" "$STACKPLAY_PORT")
if [ -n "${BASELINE:-}" ]; then
    start_stackplay "$BASELINE" "$BASELINE_PORT"
    BASELINE_PID=$STARTED_PID
    PORTS+=("$BASELINE_PORT")
fi
for port in "${PORTS[@]}"; do wait_port "$port"; done
echo "stackplay-balancer: $BINARY${BASELINE:+ (baseline: $BASELINE)}; HAProxy: $(haproxy -v | head -1); nginx: $(nginx -v 2>&1)"
echo "machine: $(nproc) CPUs, load before run: $(cut -d' ' -f1-3 /proc/loadavg)"

case "$MODE" in
    throughput) throughput ;;
    failover) failover ;;
    all) throughput; failover ;;
    *) echo "usage: $0 [throughput|failover|all]" >&2; exit 2 ;;
esac
