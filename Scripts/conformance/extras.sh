#!/usr/bin/env bash
# Installs what the conformance generator needs beyond ansible-core: the ansible.utils and
# community.general collections (from the `ansible` package on PyPI) and netaddr/jmespath.
# Usage: extras.sh VENV_DIR EXTRAS_DIR
set -euo pipefail
venv=$1
extras=$2
[ -d "$extras/ansible_collections/ansible/utils" ] && [ -d "$extras/py/netaddr" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$venv/bin/pip" download -q --no-deps -d "$tmp" "ansible==14.5.0"
mkdir -p "$extras"
"$venv/bin/python" - "$tmp" "$extras" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/ansible-*.whl")[0]
archive = zipfile.ZipFile(wheel)
wanted = ("ansible_collections/ansible/utils/", "ansible_collections/community/general/")
archive.extractall(sys.argv[2], [n for n in archive.namelist() if n.startswith(wanted)])
PY
"$venv/bin/pip" install -q --target "$extras/py" "netaddr==1.3.0" "jmespath==1.1.0"
