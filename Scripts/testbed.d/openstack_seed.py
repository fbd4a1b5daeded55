"""Idempotent Keystone registration, DevStack-like seed data and client files for the test bed.

usage (with the test bed's venv python):
  openstack_seed.py register      service users, services, endpoints; DevStack's projects and users
  openstack_seed.py register-heat  heat's service user and endpoint, its roles and stack domain (up --heat)
  openstack_seed.py seed          network public (172.24.4.0/24), private + router1, flavors, image
  openstack_seed.py client-files  $TB/clouds.yaml, $TB/openrc, $TB/vim_config.yaml

Environment: STACKPLAY_TB (the .testbed directory), TB_ADMIN_PASSWORD, TB_<SERVICE>_PORT.
Everything is looked up before it is created, so a re-run repairs what is missing and changes nothing else.
"""
import os
import sys

import yaml

TB = os.environ['STACKPLAY_TB']
PASSWORD = os.environ.get('TB_ADMIN_PASSWORD', 'admin')
REGION = 'RegionOne'


def port(name):
    return int(os.environ['TB_%s_PORT' % name])


# DevStack's catalog URL for identity is unversioned; clients discover /v3 from it.
IDENTITY_URL = 'http://127.0.0.1:%d' % port('KEYSTONE')

# (service user, service type, endpoint URL), the way DevStack registers them.
SERVICES = [
    ('neutron', 'network', 'http://127.0.0.1:%d' % port('NEUTRON')),
    ('glance', 'image', 'http://127.0.0.1:%d' % port('GLANCE')),
    ('nova', 'compute', 'http://127.0.0.1:%d/v2.1' % port('NOVA')),
    ('tacker', 'nfv-orchestration', 'http://127.0.0.1:%d/' % port('TACKER')),
]
if os.environ.get('TB_PLACEMENT_PORT'):
    SERVICES.append(('placement', 'placement', 'http://127.0.0.1:%d' % port('PLACEMENT')))


def connect(project='admin', username='admin'):
    import openstack  # only register/seed need the SDK; it takes seconds to import
    return openstack.connect(
        auth_url=IDENTITY_URL + '/v3', username=username, password=PASSWORD,
        project_name=project, user_domain_id='default', project_domain_id='default',
        region_name=REGION, identity_api_version='3')


def ensure_project(idn, name, description):
    project = idn.find_project(name, domain_id='default')
    return project or idn.create_project(name=name, domain_id='default', description=description)


def ensure_user(idn, name, project):
    user = idn.find_user(name, domain_id='default')
    return user or idn.create_user(name=name, password=PASSWORD if project.name != 'service' else name,
                                   domain_id='default', default_project_id=project.id)


def ensure_role(idn, name):
    return idn.find_role(name) or idn.create_role(name=name)


def grant(idn, project, user, role):
    if not idn.validate_user_has_project_role(project, user, role):
        idn.assign_project_role_to_user(project, user, role)


def register_services(idn, services):
    admin_role, service_role = ensure_role(idn, 'admin'), ensure_role(idn, 'service')
    service = ensure_project(idn, 'service', 'Service project')
    for name, stype, url in services:
        user = ensure_user(idn, name, service)
        grant(idn, service, user, admin_role)
        grant(idn, service, user, service_role)
        svc = next((s for s in idn.services() if s.type == stype), None)
        svc = svc or idn.create_service(name=name, type=stype, is_enabled=True)
        existing = {e.interface: e for e in idn.endpoints(service_id=svc.id)}
        for interface in ('public', 'internal', 'admin'):
            endpoint = existing.get(interface)
            if endpoint is None:
                idn.create_endpoint(service_id=svc.id, interface=interface, url=url, region_id=REGION)
            elif endpoint.url != url:
                idn.update_endpoint(endpoint, url=url)
        print('registered %s (%s) at %s' % (name, stype, url))


def register(conn):
    idn = conn.identity
    admin_role, member = ensure_role(idn, 'admin'), ensure_role(idn, 'member')
    another = ensure_role(idn, 'anotherrole')
    register_services(idn, SERVICES)

    # DevStack's lib/keystone create_keystone_accounts: demo, alt_demo and invisible_to_admin.
    admin_user = idn.find_user('admin', domain_id='default')
    demo_project = ensure_project(idn, 'demo', 'DevStack demo project')
    alt_project = ensure_project(idn, 'alt_demo', 'DevStack alternate demo project')
    invisible = ensure_project(idn, 'invisible_to_admin', 'DevStack project the admin has no role in')
    demo = ensure_user(idn, 'demo', demo_project)
    alt = ensure_user(idn, 'alt_demo', alt_project)
    grant(idn, demo_project, demo, member)
    grant(idn, demo_project, demo, another)
    grant(idn, invisible, demo, member)
    grant(idn, alt_project, alt, member)
    grant(idn, alt_project, alt, another)
    grant(idn, demo_project, admin_user, admin_role)
    grant(idn, alt_project, admin_user, admin_role)
    print('projects admin, demo, alt_demo, invisible_to_admin; users admin, demo, alt_demo')


def register_heat(conn):
    # DevStack's lib/heat: the service, its two roles, and the domain for the users Heat creates per stack.
    idn = conn.identity
    register_services(idn, [('heat', 'orchestration', 'http://127.0.0.1:%d/v1/$(project_id)s' % port('HEAT'))])
    for role in ('heat_stack_owner', 'heat_stack_user'):
        ensure_role(idn, role)
    domain = idn.find_domain('heat') or idn.create_domain(name='heat', description='Owns users and projects created by heat')
    user = idn.find_user('heat_domain_admin', domain_id=domain.id) or idn.create_user(
        name='heat_domain_admin', password='heat_domain_admin', domain_id=domain.id)
    admin_role = ensure_role(idn, 'admin')
    if not idn.validate_user_has_domain_role(domain, user, admin_role):
        idn.assign_domain_role_to_user(domain, user, admin_role)
    print('roles heat_stack_owner, heat_stack_user; domain heat with user heat_domain_admin (admin)')


def seed(conn):
    net = conn.network
    public = net.find_network('public') or net.create_network(
        name='public', is_router_external=True, provider_network_type='flat',
        provider_physical_network='public')
    subnet = net.find_subnet('public-subnet', network_id=public.id) or net.create_subnet(
        name='public-subnet', network_id=public.id, ip_version=4, cidr='172.24.4.0/24',
        gateway_ip='172.24.4.1', is_dhcp_enabled=False)
    print('network public, subnet %s %s' % (subnet.name, subnet.cidr))

    # DevStack's demo tenant network and router1 (owned by the demo project).
    demo_id = conn.identity.find_project('demo', domain_id='default').id
    private = net.find_network('private', project_id=demo_id) or net.create_network(
        name='private', project_id=demo_id)
    private_subnet = net.find_subnet('private-subnet', network_id=private.id) or net.create_subnet(
        name='private-subnet', network_id=private.id, project_id=demo_id, ip_version=4,
        cidr='10.0.0.0/26', gateway_ip='10.0.0.1')
    router = net.find_router('router1', project_id=demo_id) or net.create_router(
        name='router1', project_id=demo_id, external_gateway_info={'network_id': public.id})
    if not any(p.fixed_ips and p.fixed_ips[0]['subnet_id'] == private_subnet.id
               for p in net.ports(device_id=router.id)):
        net.add_interface_to_router(router, subnet_id=private_subnet.id)
    print('network private (demo), subnet private-subnet 10.0.0.0/26, router1 -> public')

    # DevStack's flavor ids and sizes.
    for flavor_id, name, ram, vcpus, disk in (('42', 'm1.nano', 128, 1, 1), ('84', 'm1.micro', 192, 1, 1),
                                              ('1', 'm1.tiny', 512, 1, 1), ('2', 'm1.small', 2048, 1, 20),
                                              ('3', 'm1.medium', 4096, 2, 40)):
        if conn.compute.find_flavor(name) is None:
            conn.compute.create_flavor(id=flavor_id, name=name, ram=ram, vcpus=vcpus, disk=disk)
    print('flavors m1.nano, m1.micro, m1.tiny, m1.small, m1.medium')

    # DevStack uploads CirrOS under this name; playbooks look it up by name. Without network access
    # to download CirrOS, a 1 MiB raw image stands in (Glance checks that content matches the format).
    image_name = 'cirros-0.6.3-x86_64-disk'
    if conn.image.find_image(image_name) is None:
        conn.image.create_image(name=image_name, disk_format='raw', container_format='bare',
                                visibility='public', data=b'\0' * 1048576)
    print('public image %s (1 MiB raw stand-in)' % image_name)


def cloud(username, project, **extra):
    auth = {'auth_url': IDENTITY_URL, 'username': username, 'password': PASSWORD,
            'user_domain_id': 'default'}
    if project:
        auth.update(project_name=project, project_domain_id='default')
    auth.update(extra)
    return {'auth': auth, 'region_name': REGION, 'identity_api_version': '3', 'interface': 'public'}


def client_files():
    clouds = {'clouds': {
        'devstack': cloud('demo', 'demo'),
        'devstack-admin': cloud('admin', 'admin'),
        'devstack-admin-demo': cloud('admin', 'demo'),
        'devstack-alt': cloud('alt_demo', 'alt_demo'),
        'devstack-system-admin': cloud('admin', None, system_scope='all'),
    }}
    write(os.path.join(TB, 'clouds.yaml'), '# Written by Scripts/testbed: the clouds DevStack writes.\n'
          + yaml.safe_dump(clouds, default_flow_style=False, sort_keys=False))
    write(os.path.join(TB, 'openrc'), OPENRC % {'url': IDENTITY_URL, 'password': PASSWORD, 'region': REGION})
    write(os.path.join(TB, 'vim_config.yaml'), yaml.safe_dump({
        'auth_url': IDENTITY_URL + '/v3', 'username': 'admin', 'password': PASSWORD,
        'project_name': 'admin', 'project_domain_name': 'Default', 'user_domain_name': 'Default',
        'cert_verify': 'False'}, sort_keys=False))


OPENRC = '''# Written by Scripts/testbed; use it like DevStack's openrc:
#   source .testbed/openrc [username [projectname]]      (default: demo demo)
OS_USERNAME=${1:-demo}
OS_PROJECT_NAME=${2:-$OS_USERNAME}
export OS_USERNAME OS_PROJECT_NAME
export OS_PASSWORD=%(password)s
export OS_AUTH_URL=%(url)s
export OS_AUTH_TYPE=password
export OS_USER_DOMAIN_ID=default
export OS_PROJECT_DOMAIN_ID=default
export OS_REGION_NAME=%(region)s
export OS_IDENTITY_API_VERSION=3
export OS_VOLUME_API_VERSION=3
'''


def write(path, text):
    tmp = path + '.tmp'
    with open(tmp, 'w') as handle:
        handle.write(text)
    os.replace(tmp, path)


def main():
    command = sys.argv[1] if len(sys.argv) == 2 else ''
    if command == 'register':
        register(connect())
    elif command == 'register-heat':
        register_heat(connect())
    elif command == 'seed':
        seed(connect())
    elif command == 'client-files':
        client_files()
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
