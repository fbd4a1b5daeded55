#!/usr/bin/env bash
# Runs the templating benchmark: stackplay's engine (release build) against Python Jinja2 3.1
# in the same run, and prints the speed ratios. Usage: Benchmarks/templating/run.sh [iterations]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
iterations=${1:-10000}
venv=${STACKPLAY_ANSIBLE_VENV:-$root/.venv/ansible}
cd "$root"
swift build -c release --product TemplatingBenchmark >/dev/null
swift_json=$("$root/.build/release/TemplatingBenchmark" "$here" "$iterations")
python_json=$("$venv/bin/python" "$here/bench_jinja2.py" "$here" "$iterations")
python3 - "$swift_json" "$python_json" <<'PY'
import json, sys
swift, python = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{swift['iterations']} renders each")
print(f"{'template':10} {'mode':15} {'stackplay s':>12} {'Jinja2 s':>10} {'speed-up':>9}")
for name in ("haproxy", "nginx"):
    for mode in ("render", "compile_render"):
        s, p = swift[name][mode], python[name][mode]
        print(f"{name:10} {mode:15} {s:12.3f} {p:10.3f} {p / s:8.1f}x")
PY
