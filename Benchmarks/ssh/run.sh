#!/usr/bin/env bash
# config.yml (gather_facts, template, copy, file, service + handler, command) on N test hosts:
# stackplay vs ansible-playbook (forks 5 and forks 16, pipelining on) in the same run; for each
# runner a first run from a clean state (clean.yml, not timed) and an unchanged re-run.
#
# Usage: Benchmarks/ssh/run.sh [HOSTS...]    default: 4 16
#   The test bed must be up with enough hosts (the balancer hosts lb1/lb2 are left out, their port 80
#   is the balancer's): Scripts/testbed up --hosts 18
#   STACKPLAY      the stackplay binary (default: .build/release/stackplay, built when missing)
set -euo pipefail
. "$(dirname "$0")/../../Scripts/lib.sh"
cd "$STACKPLAY_ROOT"
[ -x "${STACKPLAY_ANSIBLE_VENV:-/nonexistent}/bin/ansible-playbook" ] || ensure_ansible_venv

stackplay=${STACKPLAY:-$STACKPLAY_ROOT/.build/release/stackplay}
ansible=$STACKPLAY_ANSIBLE_VENV/bin/ansible-playbook
here=$STACKPLAY_ROOT/Benchmarks/ssh
testbed=$STACKPLAY_ROOT/.testbed
[ -x "$stackplay" ] || { log "swift build -c release --product stackplay"; swift build -c release --product stackplay >/dev/null; }
[ -f "$testbed/hosts/etc-hosts" ] || { echo "the test hosts are not up: Scripts/testbed up --hosts 18" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ANSIBLE_PIPELINING=True ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_NOCOLOR=1

# inventory N: the first N test hosts as group `targets`.
inventory() {
    local file=$work/inventory-$1
    {
        echo "[targets]"
        grep -vE ' (localhost|gateway|lb[0-9]+)$' "$testbed/hosts/etc-hosts" | head -n "$1" | awk '{print $2 " ansible_host=" $1}'
        echo "[targets:vars]"
        echo "ansible_user=root"
        echo "ansible_ssh_private_key_file=$testbed/id_ed25519"
        echo "ansible_ssh_common_args='-o UserKnownHostsFile=$testbed/known_hosts -o StrictHostKeyChecking=yes'"
        echo "ansible_python_interpreter=/usr/bin/python3"
    } >"$file"
    [ "$(grep -c ansible_host= "$file")" -eq "$1" ] || { echo "the test bed has fewer than $1 hosts" >&2; exit 1; }
    echo "$file"
}

timed() { timed_run "$work" "$@"; }
changed() { grep -oE 'changed=[0-9]+' "$work/$1.log" | sort -t= -k2 -n | tail -1; }

printf '| hosts | runner | first run | re-run | first-run ratio | re-run ratio |\n|---|---|---|---|---|---|\n'
for count in "${@:-4 16}"; do
    for n in $count; do
        inv=$(inventory "$n")
        declare -A first=() rerun=()
        for runner in stackplay ansible-f5 ansible-f16; do
            case $runner in
                stackplay) cmd=("$stackplay" -i "$inv" "$here/config.yml") ;;
                ansible-f5) cmd=("$ansible" -f 5 -i "$inv" "$here/config.yml") ;;
                ansible-f16) cmd=("$ansible" -f 16 -i "$inv" "$here/config.yml") ;;
            esac
            "$stackplay" -i "$inv" "$here/clean.yml" >/dev/null
            first[$runner]=$(timed "$n-$runner-first" "${cmd[@]}")
            rerun[$runner]=$(timed "$n-$runner-rerun" "${cmd[@]}")
            grep -q 'changed=0' "$work/$n-$runner-rerun.log" ||
                { echo "$runner's re-run on $n hosts changed something" >&2; tail -20 "$work/$n-$runner-rerun.log" >&2; exit 1; }
        done
        for runner in stackplay ansible-f5 ansible-f16; do
            printf '| %s | %s | %.2f s | %.2f s | %.1f× | %.1f× |\n' "$n" "$runner" "${first[$runner]}" "${rerun[$runner]}" \
                "$(echo "${first[$runner]} / ${first[stackplay]}" | bc -l)" "$(echo "${rerun[$runner]} / ${rerun[stackplay]}" | bc -l)"
        done
        "$stackplay" -i "$inv" "$here/clean.yml" >/dev/null
    done
done
