#!/usr/bin/python3
"""Writes the test bed's Ansible inventory (inventory.yml) and an OpenSSH client config (ssh_config).

usage: write_inventory.py TESTBED_DIR HOST...
Addresses come from hosts/etc-hosts (written by Scripts/testbed). The inventory is plain YAML that
stackplay and ansible-playbook both read unchanged.
"""
import json
import os
import sys

# Group layout of the default eight hosts; extra benchmark hosts (node09..) go to group `bench`.
GROUPS = {
    'lb': ['lb1', 'lb2'],
    'site1': ['site1-web1', 'site1-web2'],
    'site2': ['site2-web1', 'site2-web2'],
    # A scale-out test moves site2-web3 from here into site2.
    'site2_spare': ['site2-web3'],
    'spare': ['spare1'],
}


def q(text):
    """A YAML scalar: JSON strings are valid YAML and need no further escaping."""
    return json.dumps(text)


def main():
    tb, hosts = sys.argv[1], sys.argv[2:]
    addresses = {}
    with open(os.path.join(tb, 'hosts', 'etc-hosts')) as handle:
        for line in handle:
            address, name = line.split()
            addresses[name] = address
    key = os.path.join(tb, 'id_ed25519')
    known_hosts = os.path.join(tb, 'known_hosts')
    groups = {g: [h for h in members if h in hosts] for g, members in GROUPS.items()}
    grouped = {h for members in GROUPS.values() for h in members}
    groups['bench'] = [h for h in hosts if h not in grouped]

    lines = ['# Written by Scripts/testbed: the namespaced test hosts.', 'all:', '  vars:',
             '    ansible_user: root',
             '    ansible_ssh_private_key_file: %s' % q(key),
             '    ansible_ssh_common_args: %s' % q(
                 '-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes' % known_hosts),
             '    ansible_python_interpreter: /usr/bin/python3',
             '  children:']
    for group, members in groups.items():
        if not members:
            continue
        lines += ['    %s:' % group, '      hosts:']
        lines += ['        %s:\n          ansible_host: %s' % (h, addresses[h]) for h in members]
    web = [g for g in ('site1', 'site2') if groups[g]]
    if web:
        lines += ['    web:', '      children:'] + ['        %s: {}' % g for g in web]
    write(os.path.join(tb, 'inventory.yml'), '\n'.join(lines) + '\n')

    ssh = ['# Written by Scripts/testbed: ssh -F .testbed/ssh_config <host>']
    for h in hosts:
        ssh += ['Host %s' % h, '  HostName %s' % addresses[h]]
    ssh += ['Host *', '  User root', '  IdentityFile %s' % key, '  IdentitiesOnly yes',
            '  UserKnownHostsFile %s' % known_hosts, '  StrictHostKeyChecking yes',
            '  BatchMode yes', '  ConnectTimeout 5']
    write(os.path.join(tb, 'ssh_config'), '\n'.join(ssh) + '\n')


def write(path, text):
    tmp = path + '.tmp'
    with open(tmp, 'w') as handle:
        handle.write(text)
    os.replace(tmp, path)


if __name__ == '__main__':
    main()
