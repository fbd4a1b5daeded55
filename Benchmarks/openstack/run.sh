#!/usr/bin/env bash
# Playbooks/devstack-infra.yml on the test bed: stackplay vs ansible-playbook + openstack.cloud in the
# same run, from a fresh state before each runner: first run, unchanged re-run, teardown
# (Playbooks/devstack-teardown.yml). Prints wall times, ratios and the HTTP requests stackplay sent.
#
# Usage: Benchmarks/openstack/run.sh        (the test bed must be up: Scripts/testbed up)
#   STACKPLAY      the stackplay binary (default: .build/release/stackplay, built when missing)
#   PEER_VENV      venv for the peer (default: .venv/ansible-openstack, created when missing)
set -euo pipefail
. "$(dirname "$0")/../../Scripts/lib.sh"
cd "$STACKPLAY_ROOT"

stackplay=${STACKPLAY:-$STACKPLAY_ROOT/.build/release/stackplay}
venv=${PEER_VENV:-$STACKPLAY_ROOT/.venv/ansible-openstack}
collections=$venv/collections
here=Benchmarks/openstack

if [ ! -x "$stackplay" ]; then
    log "swift build -c release --product stackplay"
    swift build -c release --product stackplay >/dev/null
fi
if [ ! -x "$venv/bin/ansible-playbook" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements"; then
    log "creating the peer's venv at $venv"
    python=python3
    if command -v pyenv >/dev/null 2>&1 && pyenv versions --bare 2>/dev/null | grep -q '^3\.1[2-9]'; then
        python="env PYENV_VERSION=$(pyenv versions --bare | grep '^3\.1[2-9]' | tail -1) python3"
    fi
    $python -m venv "$venv"
    "$venv/bin/pip" install -q -r "$here/requirements.txt"
    tmp=$(mktemp -d)
    "$venv/bin/pip" download -q --no-deps -d "$tmp" "ansible==14.5.0"
    "$venv/bin/python" - "$tmp" "$collections" <<'PY'
import glob, sys, zipfile
archive = zipfile.ZipFile(glob.glob(sys.argv[1] + "/ansible-*.whl")[0])
archive.extractall(sys.argv[2], [n for n in archive.namelist() if n.startswith("ansible_collections/openstack/cloud/")])
PY
    rm -rf "$tmp"
    cp "$here/requirements.txt" "$venv/.requirements"
fi

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
