#!/usr/bin/python3
"""One real call per OpenStack service of the test bed: a token, then one list call per catalog entry.

usage: openstack_status.py CLOUDS_YAML_DIR  (reads the devstack-admin credentials the test bed wrote)
Prints one line per call with its HTTP status and latency; exits 1 if any call fails.
Standard library only, so it checks the services and not a client library.
"""
import json
import sys
import time
import urllib.error
import urllib.request

# service type -> (list path below the catalog URL, JSON key of the listed collection)
LIST_CALLS = {
    'identity': ('/v3/projects', 'projects'),
    'network': ('/v2.0/networks', 'networks'),
    'image': ('/v2/images', 'images'),
    'compute': ('/flavors', 'flavors'),
    'nfv-orchestration': ('/vnfpkgm/v1/vnf_packages', None),
    'placement': ('/resource_providers', 'resource_providers'),
    'orchestration': ('/stacks', 'stacks'),
}
REQUIRED = ('identity', 'network', 'image', 'compute', 'nfv-orchestration')


def call(method, url, body=None, token=None):
    headers = {'Content-Type': 'application/json', 'Accept': 'application/json'}
    if token:
        headers['X-Auth-Token'] = token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = response.read()
            return response.status, response.headers, payload, time.monotonic() - start
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), time.monotonic() - start
    except OSError as error:
        return 0, {}, str(error).encode(), time.monotonic() - start


def admin_auth(tb):
    # clouds.yaml is flat enough to read without a YAML library: take devstack-admin's auth block.
    auth, inside = {}, False
    with open(tb + '/clouds.yaml') as handle:
        for line in handle:
            stripped = line.strip()
            if line.startswith('  ') and not line.startswith('   '):
                inside = stripped == 'devstack-admin:'
            elif inside and ':' in stripped and not stripped.endswith(':'):
                key, value = stripped.split(':', 1)
                auth[key.strip()] = value.strip().strip("'\"")
    return auth


def main():
    auth = admin_auth(sys.argv[1])
    failures = 0
    status, headers, payload, took = call('POST', auth['auth_url'] + '/v3/auth/tokens', {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': auth['username'], 'password': auth['password'], 'domain': {'id': 'default'}}}},
        'scope': {'project': {'name': auth['project_name'], 'domain': {'id': 'default'}}}}})
    print('  %-18s %-46s %3s %6.0f ms' % ('keystone', 'POST /v3/auth/tokens', status, took * 1000))
    if status != 201:
        print('    ' + payload.decode(errors='replace')[:300])
        return 1
    token = headers['X-Subject-Token']
    catalog = {entry['type']: entry for entry in json.loads(payload)['token']['catalog']}
    for service_type, (path, key) in LIST_CALLS.items():
        entry = catalog.get(service_type)
        if entry is None:
            if service_type in REQUIRED:
                print('  %-18s missing from the catalog' % service_type)
                failures += 1
            continue
        url = next(e['url'] for e in entry['endpoints'] if e['interface'] == 'public').rstrip('/')
        status, _, payload, took = call('GET', url + path, token=token)
        ok = status == 200
        if ok:
            listed = json.loads(payload)
            count = len(listed[key]) if key else len(listed)
            detail = '%d listed' % count
        else:
            failures += 1
            detail = payload.decode(errors='replace')[:200]
        print('  %-18s GET %-42s %3s %6.0f ms  %s' % (entry['name'], url + path, status, took * 1000, detail))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
