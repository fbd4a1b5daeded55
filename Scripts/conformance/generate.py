#!/usr/bin/env python3
"""Generates (or, with --check, verifies) the templating conformance suite.

Every case in cases.py is run through the real tools and the result is stored as the case's
expectation in Tests/TemplatingTests/Conformance/<group>.json:

  * engine "jinja":   Python Jinja2 3.1, Environment(undefined=StrictUndefined) plus the case's
                      options (trim_blocks, lstrip_blocks, keep_trailing_newline).
  * engine "ansible": ansible-core's Templar: mode "string" (Templar.template on a trusted string:
                      native types), "expression" (Templar.evaluate_expression, as `when:` uses),
                      "file" (the template module's settings: trim_blocks on).

Run with the Python of a venv holding ansible-core and Jinja2:
    $VENV/bin/python Scripts/conformance/generate.py           # rewrite the stored expectations
    $VENV/bin/python Scripts/conformance/generate.py --check   # exit 1 when they no longer match
"""
import json
import os
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("ANSIBLE_DEPRECATION_WARNINGS", "False")
os.environ.setdefault("ANSIBLE_LOCALHOST_WARNING", "False")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "Tests", "TemplatingTests", "Conformance")
sys.path.insert(0, HERE)

# ansible.utils (ipaddr family, needs netaddr) and community.general (dict_kv, json_query) come
# from the `ansible` community package; extras.sh installs just those two collections here.
EXTRAS = os.environ.get("STACKPLAY_CONFORMANCE_EXTRAS", os.path.join(ROOT, ".venv", "conformance-extras"))
if os.path.isdir(EXTRAS):
    sys.path.insert(0, os.path.join(EXTRAS, "py"))
    os.environ["ANSIBLE_COLLECTIONS_PATH"] = EXTRAS

import jinja2  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.template import Templar, trust_as_template  # noqa: E402
from ansible.module_utils.datatag import native_type_name  # noqa: E402

import cases  # noqa: E402

if os.path.isdir(EXTRAS):
    # Outside ansible-playbook nobody installs the collection finder; do what the CLI does.
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

    _AnsibleCollectionFinder(paths=[EXTRAS])._install()


def type_name(value):
    for python_type, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"), (list, "list"),
                              (tuple, "list"), (dict, "dict")):
        if isinstance(value, python_type):
            return name
    if value is None:
        return "NoneType"
    return native_type_name(value)


def plain(value):
    """Strips Ansible's tagged subclasses so repr() is Python's."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def error_text(exc):
    message = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {message[0] if message else ''}"


def run_jinja(case, variables):
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, loader=jinja2.DictLoader(case.get("files", {})),
                             **case.get("options", {}))
    return {"output": env.from_string(case["template"]).render(variables)}


def run_ansible(case, variables, mode):
    with tempfile.TemporaryDirectory() as directory:
        for name, text in case.get("files", {}).items():
            with open(os.path.join(directory, name), "w") as handle:
                handle.write(text)
        templar = Templar(loader=DataLoader(), variables=variables).copy_with_new_env(searchpath=[directory])
        if mode == "expression":
            value = templar.evaluate_expression(trust_as_template(case["template"]))
        elif mode == "file":
            value = templar.template(trust_as_template(case["template"]), escape_backslashes=False,
                                     overrides=dict(trim_blocks=True, **case.get("options", {})))
            return {"output": value if isinstance(value, str) else str(plain(value))}
        else:
            value = templar.template(trust_as_template(case["template"]))
        return {"type": type_name(value), "repr": repr(plain(value))}


def expectation(group, case):
    variables = dict(group.get("vars", {}))
    variables.update(case.get("vars", {}))
    try:
        if group["engine"] == "jinja":
            return run_jinja(case, variables)
        return run_ansible(case, variables, group["mode"])
    except Exception as exc:  # the expected result of an error case is the error itself
        return {"error": error_text(exc)}


def build():
    files = {}
    for name, group in cases.GROUPS.items():
        entries = []
        for index, case in enumerate(group["cases"], 1):
            entry = {"id": f"{name}-{index:03d}", "template": case["template"]}
            for key in ("vars", "options", "files"):
                if case.get(key):
                    entry[key] = case[key]
            entry["expected"] = expectation(group, case)
            entries.append(entry)
        files[name] = {"group": name, "engine": group["engine"], "mode": group["mode"],
                       "vars": group.get("vars", {}), "cases": entries}
    return files


def render(document):
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    files = build()
    mismatched = []
    os.makedirs(OUT, exist_ok=True)
    for name, document in files.items():
        path = os.path.join(OUT, f"{name}.json")
        text = render(document)
        if check:
            stored = open(path).read() if os.path.exists(path) else ""
            if stored != text:
                mismatched.append(path)
        else:
            with open(path, "w") as handle:
                handle.write(text)
    total = sum(len(d["cases"]) for d in files.values())
    errors = sum(1 for d in files.values() for c in d["cases"] if "error" in c["expected"])
    if check:
        if mismatched:
            print("conformance expectations differ from the real tools in:", *mismatched, sep="\n  ")
            return 1
        print(f"conformance: {total} cases ({errors} error cases) match Jinja2 {jinja2.__version__} and ansible-core")
        return 0
    print(f"wrote {total} cases ({errors} error cases) in {len(files)} groups to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
