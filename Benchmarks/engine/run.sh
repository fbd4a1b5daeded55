#!/usr/bin/env bash
# Runs stackplay and ansible-playbook side by side on the same playbooks and prints median
# wall-clock times and ratios: --version, an empty play, 1/50/200 × set_fact, 50 × command.
#
# Usage: Benchmarks/engine/run.sh [RUNS]
#   STACKPLAY      path to the stackplay binary (default: .build/release/stackplay)
#   ANSIBLE_VENV   venv with ansible-core (default: $STACKPLAY_ANSIBLE_VENV or .venv/ansible)
set -euo pipefail

runs=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
stackplay=${STACKPLAY:-$root/.build/release/stackplay}
venv=${ANSIBLE_VENV:-${STACKPLAY_ANSIBLE_VENV:-$root/.venv/ansible}}
ansible="$venv/bin/ansible-playbook"
[ -x "$stackplay" ] || { echo "build first: swift build -c release --product stackplay" >&2; exit 1; }
[ -x "$ansible" ] || { echo "ansible-playbook not found in $venv" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "localhost ansible_connection=local ansible_python_interpreter=$venv/bin/python" > "$work/inventory"

# playbook NAME TASK COUNT: a localhost play with COUNT copies of TASK.
playbook() {
    local file="$work/$1.yml"
    if [ "$3" -eq 0 ]; then
        printf -- '- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks: []\n' > "$file"
    else
        printf -- '- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n' > "$file"
        for i in $(seq 1 "$3"); do printf '    - %s\n' "$(printf "$2" "$i")" >> "$file"; done
    fi
    echo "$file"
}

# median of RUNS timings (seconds) of a command, after one warm-up run.
median() {
    "$@" > /dev/null 2>&1 || true
    local times=()
    for _ in $(seq 1 "$runs"); do
        local start end
        start=$(date +%s.%N)
        "$@" > /dev/null 2>&1 || true
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc -l)")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

empty=$(playbook empty "" 0)
fact1=$(playbook fact1 'set_fact: v%s=1' 1)
fact50=$(playbook fact50 'set_fact: v%s=1' 50)
fact200=$(playbook fact200 'set_fact: v%s=1' 200)
command50=$(playbook command50 'command: /bin/true' 50)

printf '%-24s %12s %12s %10s\n' "case" "stackplay s" "ansible s" "ratio"
row() {
    local name=$1; shift
    local ours theirs
    ours=$(median "$stackplay" "$@")
    theirs=$(median "$ansible" "$@")
    printf '%-24s %12.4f %12.4f %9.1fx\n' "$name" "$ours" "$theirs" "$(echo "$theirs / $ours" | bc -l)"
    eval "ours_$name=$ours theirs_$name=$theirs"
}
row version --version
row empty_play -i "$work/inventory" "$empty"
row set_fact_1 -i "$work/inventory" "$fact1"
row set_fact_50 -i "$work/inventory" "$fact50"
row set_fact_200 -i "$work/inventory" "$fact200"
row command_50 -i "$work/inventory" "$command50"

# Per-task costs: slopes between runs of different lengths, without startup.
per_fact_ours=$(echo "($ours_set_fact_200 - $ours_set_fact_1) / 199 * 1000000" | bc -l)
per_fact_theirs=$(echo "($theirs_set_fact_200 - $theirs_set_fact_1) / 199 * 1000000" | bc -l)
per_command_ours=$(echo "($ours_command_50 - $ours_empty_play) / 50 * 1000" | bc -l)
per_command_theirs=$(echo "($theirs_command_50 - $theirs_empty_play) / 50 * 1000" | bc -l)
printf '\nper set_fact: stackplay %.1f µs, ansible %.1f µs\n' "$per_fact_ours" "$per_fact_theirs"
printf 'per command:  stackplay %.2f ms, ansible %.2f ms\n' "$per_command_ours" "$per_command_theirs"
