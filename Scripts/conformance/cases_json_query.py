"""Conformance cases for community.general.json_query (JMESPath), imported by cases.py.

Expectations come from the real filter: generate.py runs these templates through ansible-core's
Templar with the community.general collection and jmespath 1.1.0 that extras.sh installs, so the
filter calls `jmespath.search(expr, data)` exactly as it does in a playbook. Each query is passed
in a variable (`query`) so that quotes and backticks need no template escaping.
"""

DATA = {
    "people": [
        {"first": "James", "last": "d", "age": 30},
        {"first": "Jacob", "last": "e", "age": 25},
        {"first": "Jayden", "last": "f", "age": 40},
        {"missing": "different"},
    ],
    "ops": {"functionA": {"numArgs": 2}, "functionB": {"numArgs": 3}, "functionC": {"variadic": True}},
    "reservations": [
        {"instances": [{"state": "running", "id": "i-1"}, {"state": "stopped", "id": "i-2"}]},
        {"instances": [{"state": "terminated", "id": "i-3"}, {"state": "running", "id": "i-4"}]},
    ],
    "machines": [
        {"name": "a", "state": "running", "cpu": 2, "tags": {"env": "prod"}},
        {"name": "b", "state": "stopped", "cpu": 4, "tags": {"env": "dev"}},
        {"name": "c", "state": "running", "cpu": 1.5, "tags": {}},
    ],
    "nums": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    "deep": [[0, 1], 2, [3], 4, [5, [6, 7]]],
    "mixed": {"a": "foo", "b": "bar", "c": ["x", "y"], "n": None, "zero": 0, "f": 1.5, "e": "", "t": True,
              "empty": [], "obj": {}, "num_str": "42", "float_str": "3.5e2", "uni": "Grüße", "neg": -7},
    "domain_definition": {"domain": {
        "cluster": [{"name": "cluster1"}, {"name": "cluster2"}],
        "server": [
            {"name": "server11", "cluster": "cluster1", "port": "8080"},
            {"name": "server12", "cluster": "cluster1", "port": "8090"},
            {"name": "server21", "cluster": "cluster2", "port": "9080"},
            {"name": "server22", "cluster": "cluster2", "port": "9090"},
        ],
        "library": [{"name": "lib1", "target": "cluster1"}, {"name": "lib2", "target": "cluster2"}],
    }},
}


def q(query, data="people"):
    return {"template": "{{ %s | community.general.json_query(query) }}" % data, "vars": {"query": query}}


CASES = [
    # identifiers, sub-expressions, quoted identifiers
    q("[0].first"), q("ops.functionA.numArgs", "ops_root"), q("a", "mixed"), q("\"a\"", "mixed"),
    q("nope.deeper", "mixed"), q("c[1]", "mixed"), q("domain.cluster[*].name", "domain_definition"),
    q("\"uni\"", "mixed"), q("n.x", "mixed"),
    # index and slice expressions
    q("[1]", "nums"), q("[-1]", "nums"), q("[10]", "nums"), q("[0:5]", "nums"), q("[5:]", "nums"),
    q("[:3]", "nums"), q("[::2]", "nums"), q("[::-1]", "nums"), q("[-3:-1]", "nums"), q("[8:2:-2]", "nums"),
    q("[1:3].first"), q("a[0]", "mixed"),
    # list and object projections, flatten
    q("[*].first"), q("[*].age"), q("ops.*.numArgs", "ops_root"), q("reservations[*].instances[*].state", "ops_root"),
    q("reservations[].instances[].state", "ops_root"), q("[]", "deep"), q("[][]", "deep"), q("[*]", "mixed"),
    q("*", "mixed"), q("[*].tags.env", "machines"), q("[].name", "machines"), q("[*].[first, age]"),
    # filter expressions and comparators
    q("[?age > `30`].first"), q("[?age >= `30`].first"), q("[?age < `30`].first"), q("[?age <= `30`].first"),
    q("[?age == `30`].first"), q("[?age != `30`].first"), q("[?first == 'Jacob'].age"),
    q("[?state=='running'].name", "machines"), q("[?state=='running' && cpu > `1`].name", "machines"),
    q("[?state=='stopped' || cpu < `2`].name", "machines"), q("[?!(state=='running')].name", "machines"),
    q("[?tags.env].name", "machines"), q("[?missing]"), q("[?first < 'Jb'].first"),
    q("domain.server[?cluster=='cluster1'].port", "domain_definition"),
    q("domain.server[?cluster=='cluster2'].{name: name, port: port}", "domain_definition"),
    q("domain.server[?starts_with(name, 'server1')].port", "domain_definition"),
    q("domain.server[?contains(name, '2')].name | [0]", "domain_definition"),
    q("[?@ > `5`]", "nums"), q("[?@ == `0`]", "nums"), q("[?age > 'x']"),
    # multiselect list and hash, pipes, or/and/not, literals, current node
    q("[*].{name: first, years: age}"), q("[0].[first, last]"), q("{first: [0].first, count: length(@)}"),
    q("[*].first | [0]"), q("[*].first | sort(@) | [-1]"), q("n || a", "mixed"), q("e || 'default'", "mixed"),
    q("zero || 'default'", "mixed"), q("a && b", "mixed"), q("empty && b", "mixed"), q("!zero", "mixed"),
    q("!e", "mixed"), q("!obj", "mixed"), q("`{\"k\": [1, 2.5, true, null]}`", "mixed"), q("'raw \\'quoted\\''", "mixed"),
    q("`\"json string\"`", "mixed"), q("`foo`", "mixed"), q("@", "nums"), q("[0] == `{\"first\": \"James\", \"last\": \"d\", \"age\": 30}`"),
    q("zero == `false`", "mixed"), q("t == `true`", "mixed"), q("f == `1.5`", "mixed"),
    # functions
    q("abs(neg)", "mixed"), q("avg(@)", "nums"), q("avg([*].age)"), q("ceil(f)", "mixed"), q("floor(f)", "mixed"),
    q("contains(c, 'x')", "mixed"), q("contains(a, 'oo')", "mixed"), q("ends_with(a, 'oo')", "mixed"),
    q("starts_with(a, 'b')", "mixed"), q("join(', ', [*].first)"), q("join('-', c)", "mixed"), q("keys(@)", "ops_root"),
    q("values(ops)", "ops_root"), q("length(a)", "mixed"), q("length(uni)", "mixed"), q("length(@)", "mixed"),
    q("length(nums)", "ops_root"), q("map(&first, @)"), q("map(&[0], @)", "deep"), q("max([*].age)"), q("min([*].age)"),
    q("max([*].name)", "machines"), q("max_by([?age], &age).first"), q("min_by([?age], &age).first"),
    q("max_by(@, &cpu).name", "machines"), q("merge(`{\"a\": 1}`, `{\"b\": 2}`, `{\"a\": 3}`)", "mixed"),
    q("not_null(n, e, a)", "mixed"), q("not_null(n)", "mixed"), q("reverse(c)", "mixed"), q("reverse(uni)", "mixed"),
    q("sort([*].first)"), q("sort(@)", "deep_nums"), q("sort_by([?age], &age)[*].first"), q("sort_by(@, &name)[*].cpu", "machines"),
    q("sum(@)", "nums"), q("sum([*].cpu)", "machines"), q("sum(`[]`)", "mixed"), q("to_array(a)", "mixed"), q("to_array(c)", "mixed"),
    q("to_number(num_str)", "mixed"), q("to_number(float_str)", "mixed"), q("to_number(a)", "mixed"), q("to_number(f)", "mixed"),
    q("to_string(c)", "mixed"), q("to_string(a)", "mixed"), q("to_string(@)", "ops_root"), q("to_string(uni)", "mixed"),
    q("to_string(`[\"Grüße\", 1.0, null]`)", "mixed"), q("type(a)", "mixed"), q("type(zero)", "mixed"), q("type(t)", "mixed"),
    q("type(n)", "mixed"), q("type(c)", "mixed"), q("type(obj)", "mixed"), q("[*].[type(@), length(to_string(@))]", "deep"),
    q("sort_by(domain.server, &port)[-1].name", "domain_definition"),
    q("length(domain.server[?cluster=='cluster1'])", "domain_definition"),
    # errors: syntax, unknown function, arity, types
    q("[?age >"), q("foo[", "mixed"), q("a.", "mixed"), q("`{bad`", "mixed"), q("a = b", "mixed"), q("", "mixed"),
    q("nope(a)", "mixed"), q("length(a, b)", "mixed"), q("abs(a)", "mixed"), q("sum(c)", "mixed"), q("sort_by(@, &first)"),
    q("max(`[1, \"a\"]`)", "mixed"), q("merge()", "mixed"), q("join(',', `[1, 2]`)", "mixed"), q("\"a\"(b)", "mixed"),
]

VARS = dict(DATA, ops_root={"ops": DATA["ops"], "reservations": DATA["reservations"], "nums": DATA["nums"]},
            deep_nums=[3, 1.5, 2, -1])
