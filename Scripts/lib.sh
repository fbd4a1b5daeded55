# Shared helpers for the project's scripts. Source it: `. "$(dirname "$0")/lib.sh"`.
set -euo pipefail

STACKPLAY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export STACKPLAY_ROOT

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs Debian packages that are missing; one apt-get update per machine boot at most.
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "apt-get install ${missing[*]}"
    if [ ! -f /var/lib/apt/periodic/stackplay-updated ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
        apt-get update -qq
        mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/stackplay-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The C libraries and tools the Swift build needs.
install_build_deps() {
    apt_install pkg-config libssh-dev libyaml-dev libcurl4-openssl-dev
}

# A Python 3.12 venv with the real peers the differential tests and benchmarks compare against:
# ansible-core and Jinja2, and openstacksdk with the collections named in the requirements file (openstack.cloud,
# and ansible.posix for authorized_key; in $ANSIBLE_VENV/collections,
# taken from the `ansible` package's wheel named in the requirements file: Galaxy is not reachable here).
# ansible-core 2.21 needs Python >= 3.12; Debian 12's python3 is 3.11, so pyenv's 3.12 is used when present.
ANSIBLE_VENV=${STACKPLAY_ANSIBLE_VENV:-$STACKPLAY_ROOT/.venv/ansible}
ensure_ansible_venv() {
    local requirements=$STACKPLAY_ROOT/Scripts/requirements-ansible.txt
    if [ ! -x "$ANSIBLE_VENV/bin/ansible-playbook" ] || ! cmp -s "$requirements" "$ANSIBLE_VENV/.requirements"; then
        log "creating Python venv for ansible-core at $ANSIBLE_VENV"
        local python=python3 versions=""
        # Captured first: `pyenv … | grep -q` under pipefail fails at random (grep exits at the first
        # match and pyenv, still writing, dies of SIGPIPE).
        if command -v pyenv >/dev/null 2>&1; then
            versions=$(pyenv versions --bare 2>/dev/null | grep '^3\.1[2-9]' || true)
        fi
        if [ -n "$versions" ]; then
            python="env PYENV_VERSION=$(tail -1 <<<"$versions") python3"
        elif command -v python3.12 >/dev/null 2>&1; then
            python=python3.12
        fi
        $python -m venv "$ANSIBLE_VENV"
        "$ANSIBLE_VENV/bin/pip" install -q -r "$requirements"
        local wheel tmp
        wheel=$(sed -n 's/^# collections from: *//p' "$requirements")
        tmp=$(mktemp -d)
        "$ANSIBLE_VENV/bin/pip" download -q --no-deps -d "$tmp" "$wheel"
        rm -rf "$ANSIBLE_VENV/collections"
        local collections
        collections=$(sed -n 's/^# collections taken: *//p' "$requirements")
        # shellcheck disable=SC2086 # one argument per collection directory
        "$ANSIBLE_VENV/bin/python" - "$tmp" "$ANSIBLE_VENV/collections" $collections <<'PY'
import glob, sys, zipfile
archive = zipfile.ZipFile(glob.glob(sys.argv[1] + "/ansible-*.whl")[0])
prefixes = tuple("ansible_collections/%s/" % name for name in sys.argv[3:])
archive.extractall(sys.argv[2], [n for n in archive.namelist() if n.startswith(prefixes)])
PY
        rm -rf "$tmp"
        cp "$requirements" "$ANSIBLE_VENV/.requirements"
    fi
    export STACKPLAY_ANSIBLE_VENV=$ANSIBLE_VENV
}

# The options of the test run's `Scripts/testbed up`: Heat and full Nova compute, so that the VNF
# instantiation test (TackerInstantiationTests) runs. Compute needs Nova's databases on MariaDB, which is
# chosen when a state is created; a state made without --compute (Nova on sqlite, e.g. a developer's
# shared test bed) gets --heat only, and the instantiation test, which asks the cloud, stays disabled.
# Both options are remembered by the state, so later plain `up`s keep them.
testbed_test_options() {
    local data=${STACKPLAY_TESTBED_DIR:-$STACKPLAY_ROOT/.testbed}/openstack/data
    local backend
    backend=$(cat "$data/nova/backend" 2>/dev/null || true)
    if [ "$backend" = mysql ] || { [ -z "$backend" ] && [ ! -e "$data/.done-nova-db" ]; }; then
        echo --compute --heat
    else
        echo --heat
    fi
}

# Brings the test bed (Scripts/testbed) up for the integration tests, checks it with
# `Scripts/testbed status` and exports what the tests read: STACKPLAY_TESTBED (the .testbed directory),
# STACKPLAY_TESTBED_INVENTORY, OS_CLIENT_CONFIG_FILE and OS_CLOUD. A test bed this call started is
# taken down when the calling script exits; one that was already running stays up.
# STACKPLAY_TESTBED=off skips all of it (the integration tests are then disabled).
testbed_for_tests() {
    [ "${STACKPLAY_TESTBED:-}" = off ] && { unset STACKPLAY_TESTBED; return 0; }
    local testbed=$STACKPLAY_ROOT/Scripts/testbed
    if ! curl -s --max-time 3 -o /dev/null http://127.0.0.1:5000/; then
        trap '"$STACKPLAY_ROOT/Scripts/testbed" down' EXIT
    fi
    # shellcheck disable=SC2046
    "$testbed" up $(testbed_test_options)
    "$testbed" status
    eval "$("$testbed" env)"
}

# timed_run DIR LABEL COMMAND...: runs COMMAND once, prints its wall-clock seconds and keeps its output
# in DIR/LABEL.log; a failing command shows the end of that output and ends the script (benchmarks).
timed_run() {
    local dir=$1 label=$2
    shift 2
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$dir/$label.log" 2>&1; then
        echo "$label failed; its output:" >&2
        tail -40 "$dir/$label.log" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
