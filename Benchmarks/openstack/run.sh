#!/usr/bin/env bash
# Playbooks/devstack-infra.yml on the test bed: stackplay vs ansible-playbook + openstack.cloud in the
# same run, from a fresh state before each runner: first run, unchanged re-run, teardown
# (Playbooks/devstack-teardown.yml). Prints wall times, ratios and the HTTP requests stackplay sent.
#
# Usage: Benchmarks/openstack/run.sh        (the test bed must be up: Scripts/testbed up)
#   STACKPLAY      the stackplay binary (default: .build/release/stackplay, built when missing)
#   STACKPLAY_ANSIBLE_VENV  the peers' venv (default: .venv/ansible, made by Scripts/lib.sh when missing:
#                  ansible-core, openstacksdk and the openstack.cloud collection)
set -euo pipefail
. "$(dirname "$0")/../../Scripts/lib.sh"
cd "$STACKPLAY_ROOT"

stackplay=${STACKPLAY:-$STACKPLAY_ROOT/.build/release/stackplay}
here=Benchmarks/openstack

if [ ! -x "$stackplay" ]; then
    log "swift build -c release --product stackplay"
    swift build -c release --product stackplay >/dev/null
fi
ensure_ansible_venv
venv=$STACKPLAY_ANSIBLE_VENV
collections=$venv/collections

curl -s --max-time 3 -o /dev/null http://127.0.0.1:5000/ || { echo "the test bed is not up: Scripts/testbed up" >&2; exit 1; }
eval "$(Scripts/testbed env)"
export ANSIBLE_COLLECTIONS_PATH=$collections ANSIBLE_HOST_KEY_CHECKING=false
export ANSIBLE_PYTHON_INTERPRETER=$venv/bin/python

results=$(mktemp -d)
timed() { timed_run "$results" "$@"; }
changed() { grep -oE 'changed=[0-9]+' "$results/$1.log" | head -1; }
requests() { grep -oE '^HTTP requests: [0-9]+' "$results/$1.log" | grep -oE '[0-9]+$'; }

infra=(Playbooks/devstack-infra.yml -i Inventory/hosts.yml)
teardown=(Playbooks/devstack-teardown.yml -i Inventory/hosts.yml)
log "fresh state"
"$stackplay" "${teardown[@]}" >/dev/null
log "stackplay"
s_first=$(timed s-first "$stackplay" -vvv "${infra[@]}")
s_rerun=$(timed s-rerun "$stackplay" -vvv "${infra[@]}")
s_down=$(timed s-down "$stackplay" -vvv "${teardown[@]}")
log "ansible-playbook + openstack.cloud"
a_first=$(timed a-first "$venv/bin/ansible-playbook" "${infra[@]}")
a_rerun=$(timed a-rerun "$venv/bin/ansible-playbook" "${infra[@]}")
a_down=$(timed a-down "$venv/bin/ansible-playbook" "${teardown[@]}")

printf '\n| | stackplay | ansible-playbook + openstack.cloud | ratio |\n|---|---|---|---|\n'
row() {
    printf '| %s | %.1f s (%s HTTP requests, %s) | %.1f s (%s) | %.1f× |\n' "$1" "$2" "$(requests "$3")" "$(changed "$3")" \
        "$4" "$(changed "$5")" "$(echo "$4 / $2" | bc -l)"
}
row "first run" "$s_first" s-first "$a_first" a-first
row "unchanged re-run" "$s_rerun" s-rerun "$a_rerun" a-rerun
row "teardown" "$s_down" s-down "$a_down" a-down
echo "logs: $results"
