# shellcheck shell=bash
# Shared helpers for Scripts/testbed (sourced after Scripts/lib.sh).
# Everything the test bed creates lives under $TB; timings go to $TB/log/timings.txt.

TB=${STACKPLAY_TESTBED_DIR:-$STACKPLAY_ROOT/.testbed}
# shellcheck disable=SC2034 # used by the files sourced after this one
TBD=$STACKPLAY_ROOT/Scripts/testbed.d

die() { printf 'testbed: error: %s\n' "$*" >&2; exit 1; }

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# Seconds with two decimals since a now_ms value.
since() { awk -v d=$(( $(now_ms) - $1 )) 'BEGIN { printf "%.2f", d / 1000 }'; }

# Prints "what was done (N.NN s)" and appends it to the timings file.
did() { # start_ms message...
    local t0=$1; shift
    local s; s=$(since "$t0")
    printf '  %-52s %7s s\n' "$*" "$s" >&2
    printf '%s %-52s %7s s\n' "$(date -u +%FT%TZ)" "$*" "$s" >>"$TB/log/timings.txt"
}

note() { printf '  %s\n' "$*" >&2; }

# A PID that is running (a zombie waiting to be reaped by a slow PID 1 does not count).
alive() {
    kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]
}

pidfile_alive() { [ -s "$1" ] && alive "$(cat "$1")"; }

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# Sends TERM to the PIDs, waits up to timeout seconds, then KILLs what is left.
stop_pids() { # timeout pid...
    local tmo=$1 pid i left; shift
    [ $# -eq 0 ] && return 0
    kill -TERM "$@" 2>/dev/null || true
    for ((i = 0; i < tmo * 10; i++)); do
        left=0
        for pid in "$@"; do alive "$pid" && left=1; done
        [ $left = 0 ] && return 0
        sleep 0.1
    done
    for pid in "$@"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
    return 0
}

# The PID in a pidfile plus its direct children (gunicorn master + workers).
pid_and_children() { # pidfile
    local pid; pid=$(cat "$1")
    # shellcheck disable=SC2046 # one PID per word
    echo "$pid" $(pgrep -P "$pid" || true)
}
