#!/usr/bin/env bash
# Runs stackplay and ansible-playbook side by side on the same playbooks and prints median
# wall-clock times (and stackplay's minimum) and ratios: --version, an empty play, 1/50/200 ×
# set_fact, 50 × command.
#
# Usage: Benchmarks/engine/run.sh [RUNS]
#   STACKPLAY      path to the stackplay binary (default: .build-static/release/stackplay, else
#                  .build/release/stackplay)
#   ANSIBLE_VENV   venv with ansible-core (default: $STACKPLAY_ANSIBLE_VENV or .venv/ansible)
set -euo pipefail

runs=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
default=$root/.build-static/release/stackplay
[ -x "$default" ] || default=$root/.build/release/stackplay
stackplay=${STACKPLAY:-$default}
venv=${ANSIBLE_VENV:-${STACKPLAY_ANSIBLE_VENV:-$root/.venv/ansible}}
ansible="$venv/bin/ansible-playbook"
[ -x "$stackplay" ] || {
    echo "build first: swift build -c release --static-swift-stdlib --product stackplay --scratch-path .build-static" >&2
    exit 1
}
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

empty=$(playbook empty "" 0)
fact1=$(playbook fact1 'set_fact: v%s=1' 1)
fact50=$(playbook fact50 'set_fact: v%s=1' 50)
fact200=$(playbook fact200 'set_fact: v%s=1' 200)
command50=$(playbook command50 'command: /bin/true' 50)

names=(version empty_play set_fact_1 set_fact_50 set_fact_200 command_50)
arguments=(
    "--version" "-i $work/inventory $empty" "-i $work/inventory $fact1" "-i $work/inventory $fact50"
    "-i $work/inventory $fact200" "-i $work/inventory $command50"
)

# measure RUNNER PREFIX: RUNS samples of every case, taken round-robin (one sample of each case per
# round, after a warm-up round) so that a change in the machine's load hits all cases alike and the
# differences between cases (the per-task slopes) stay meaningful. Stores PREFIX_median_NAME and
# PREFIX_min_NAME. $EPOCHREALTIME, not $(date): two extra processes per sample would cost milliseconds.
measure() {
    local runner=$1 prefix=$2 round index
    local -A samples=()
    for round in $(seq 0 "$runs"); do
        for index in "${!names[@]}"; do
            local start=$EPOCHREALTIME
            # shellcheck disable=SC2086
            "$runner" ${arguments[$index]} > /dev/null 2>&1 || true
            local end=$EPOCHREALTIME
            [ "$round" -eq 0 ] || samples[${names[$index]}]+="$(echo "$end - $start" | bc -l) "
        done
    done
    for name in "${names[@]}"; do
        local median minimum
        read -r median minimum < <(printf '%s\n' ${samples[$name]} | sort -g \
            | awk '{a[NR]=$1} END {print ((NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1]}')
        eval "${prefix}_median_$name=$median ${prefix}_min_$name=$minimum"
    done
}
measure "$stackplay" ours
measure "$ansible" theirs

# On a shared machine the minimum is the better estimate of a command's own cost; the median shows
# what the load adds.
printf '%-16s %14s %14s %14s %9s\n' "case" "stackplay s" "(minimum)" "ansible s" "ratio"
for name in "${names[@]}"; do
    eval "ours=\$ours_median_$name best=\$ours_min_$name theirs=\$theirs_median_$name"
    printf '%-16s %14.4f %14.4f %14.4f %8.1fx\n' "$name" "$ours" "$best" "$theirs" "$(echo "$theirs / $ours" | bc -l)"
done

# Per-task costs: slopes between runs of different lengths, without startup.
per_fact_ours=$(echo "($ours_median_set_fact_200 - $ours_median_set_fact_1) / 199 * 1000000" | bc -l)
best_fact=$(echo "($ours_min_set_fact_200 - $ours_min_set_fact_1) / 199 * 1000000" | bc -l)
per_fact_theirs=$(echo "($theirs_median_set_fact_200 - $theirs_median_set_fact_1) / 199 * 1000000" | bc -l)
per_command_ours=$(echo "($ours_median_command_50 - $ours_median_empty_play) / 50 * 1000" | bc -l)
best_command=$(echo "($ours_min_command_50 - $ours_min_empty_play) / 50 * 1000" | bc -l)
per_command_theirs=$(echo "($theirs_median_command_50 - $theirs_median_empty_play) / 50 * 1000" | bc -l)
printf '\nper set_fact: stackplay %.1f µs (minima: %.1f µs), ansible %.1f µs\n' "$per_fact_ours" "$best_fact" "$per_fact_theirs"
printf 'per command:  stackplay %.2f ms (minima: %.2f ms), ansible %.2f ms\n' "$per_command_ours" "$best_command" "$per_command_theirs"
