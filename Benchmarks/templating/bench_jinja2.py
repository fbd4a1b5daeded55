"""Python Jinja2 baseline for the templating benchmark (same templates, variables and settings)."""
import json
import os
import sys
import time

import jinja2

directory = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
iterations = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 10000
# `render-only` as third argument skips the compile + render mode (as TemplatingBenchmark does).
render_only = len(sys.argv) > 3 and sys.argv[3] == "render-only"
variables = json.load(open(os.path.join(directory, "vars.json")))
env = jinja2.Environment(trim_blocks=True, undefined=jinja2.StrictUndefined)
# ansible.utils.ipaddr('address') stand-in: cheaper than the real netaddr-based filter.
env.filters["ansible.utils.ipaddr"] = lambda value, query="": value.split("/")[0]
if len(sys.argv) > 2 and sys.argv[2] == "print":
    for file in ("haproxy.cfg.j2", "nginx-site.j2"):
        source = open(os.path.join(directory, "templates", file)).read()
        sys.stdout.write(env.from_string(source).render(variables) + ("\n" if source.endswith("\n") else ""))
    sys.exit(0)
results = {"iterations": iterations}
for name, file in (("haproxy", "haproxy.cfg.j2"), ("nginx", "nginx-site.j2")):
    source = open(os.path.join(directory, "templates", file)).read()
    template = env.from_string(source)
    template.render(variables)
    start = time.process_time()
    size = 0
    for _ in range(iterations):
        size += len(template.render(variables))
    cached = time.process_time() - start
    start = time.process_time()
    for _ in range(0 if render_only else iterations):
        env.from_string(source).render(variables)
    uncached = time.process_time() - start
    results[name] = {"render": cached, "compile_render": uncached, "bytes": size // iterations}
print(json.dumps(results))
