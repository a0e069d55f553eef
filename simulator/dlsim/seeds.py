"""Seeds: the ``demo`` account, an empty one, and a generator of N gateways x M virtual connections.

Seeded gateways are created through the same validated code path as API requests (``Account.create_gateway``,
``TransitGateways.create_gateway`` and ``create_connection``), then settled into their final, provisioned state with
deterministic ids and timestamps, so every seed is a state the real service could be in and tests can refer to
fixed ids.
"""

import copy
import json

from dlsim import replica
from dlsim.catalog import default_catalog, port_id, stable_id
from dlsim.errors import bad_request
from dlsim.iam import DEFAULT_ACCOUNT, DEFAULT_API_KEY
from dlsim.state import Account
from dlsim.transit import TransitGateways

SEED_TIME = '2026-01-15T10:00:00.000Z'
PARTNER_ACCOUNT = '7e2f9c3d1a8b4c5d9e0f1a2b3c4d5e6f'
PARTNER_API_KEY = 'dlsim-partner-api-key'
RESOURCE_GROUP = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
KEY_CRN = 'crn:v1:bluemix:public:hs-crypto:us-south:a/{account}:5c7e1a2b-3d4f-4a5b-8c6d-7e8f9a0b1c2d:key:{name}'
VPC_CRN = 'crn:v1:bluemix:public:is:{region}:a/{account}::vpc:{id}'
TGW_CRN = 'crn:v1:bluemix:public:transit:{region}:a/{account}::gateway:{id}'
REGIONS = {'dal10': 'us-south', 'dal12': 'us-south', 'wdc04': 'us-east', 'fra02': 'eu-de', 'lon06': 'eu-gb'}
# The demo's transit gateways: the local hub of Dallas, which connects dal10-connect-transit, and a global one in
# Washington DC, with no connection, for a recovery to connect the gateway to (key, name, region, global).
DEMO_TRANSIT_GATEWAYS = (('hub', 'dal-hub', 'us-south', False), ('wdc-hub', 'wdc-hub', 'us-east', True))
DEMO_TRANSIT_CONNECTION = {
    'network_type': 'directlink', 'name': 'tgw-dal-hub', 'prefix_filters_default': 'permit',
    'prefix_filters': [{'action': 'permit', 'prefix': '10.10.0.0/16', 'le': 24},
                       {'action': 'permit', 'prefix': '172.16.0.0/12', 'ge': 16, 'le': 28},
                       {'action': 'deny', 'prefix': '10.0.0.0/8', 'le': 32}],
}


def default_api_keys():
    """API key → account id for the keys every simulator accepts."""
    return {DEFAULT_API_KEY: DEFAULT_ACCOUNT, PARTNER_API_KEY: PARTNER_ACCOUNT}


def empty(catalog=None):
    """An account without gateways."""
    return {'catalog': copy.deepcopy(catalog) if catalog else default_catalog(), 'gateways': [], 'route_reports': {},
            'transit_gateways': []}


def transit_gateway_id(key):
    """The id of a demo transit gateway (``hub``, ``wdc-hub``)."""
    return stable_id('tgw', key)


def transit_connection_id(key, name):
    """The id of the demo transit gateway ``key``'s connection called ``name`` (``hub``, ``tgw-dal-hub``)."""
    return stable_id('tgw', key, 'connection', name)


def key_crn(name, account=DEFAULT_ACCOUNT):
    """The CRN of a key in the account's key store (a reference, never key material)."""
    return KEY_CRN.format(account=account, name=stable_id('key', name))


def vpc_crn(name, region, account=DEFAULT_ACCOUNT):
    """The CRN of a VPC."""
    return VPC_CRN.format(region=region, account=account, id=stable_id('vpc', name))


def _settle(gateway, vcs=(), account=DEFAULT_ACCOUNT):
    """Make a freshly created gateway a provisioned, long-running one with deterministic ids."""
    name = gateway['name']
    gateway['id'] = stable_id('gateway', account, name)
    gateway['crn'] = f"crn:v1:bluemix:public:directlink:{gateway['location_name']}:a/{account}::{gateway['type']}:{gateway['id']}"
    for stamp in ('created_at', 'bgp_status_updated_at'):
        gateway[stamp] = SEED_TIME
    gateway['operational_status'] = 'provisioned'
    gateway['bgp_status'] = 'established'
    gateway.pop('_ready_at', None)
    if gateway['type'] == 'dedicated':
        gateway.update({'link_status': 'up', 'link_status_updated_at': SEED_TIME})
    if gateway.get('bfd_config'):
        gateway['bfd_config'].update({'bfd_status': 'up', 'bfd_status_updated_at': SEED_TIME})
    for kind in ('export_route_filters', 'import_route_filters', 'as_prepends', 'macsec_caks'):
        for index, item in enumerate(gateway.get(kind) or []):
            item.update({'id': stable_id(name, kind, index), 'created_at': SEED_TIME, 'updated_at': SEED_TIME})
    if gateway.get('macsec_config'):
        gateway['macsec_config'].update({'status': 'secured', 'created_at': SEED_TIME, 'updated_at': SEED_TIME})
    for vc in vcs:
        record = {'created_at': SEED_TIME, 'id': stable_id(name, 'vc', vc['name']), 'name': vc['name'],
                  'type': vc['type'], 'status': vc.get('status', 'attached')}
        for optional in ('network_id', 'network_account'):
            if vc.get(optional):
                record[optional] = vc[optional]
        gateway['virtual_connections'].append(record)
    return gateway


def _connect(name, location, provider, speed, asn, **extra):
    body = {'name': name, 'type': 'connect', 'speed_mbps': speed, 'global': True, 'metered': False, 'bgp_asn': asn,
            'port': {'id': port_id(location, provider, 'PRI')}}
    body.update(extra)
    return body


def demo():
    """A realistic account: connect and dedicated gateways using every feature, in several locations."""
    doc = empty()
    account = Account(doc, provision_delay=0, vc_delay=0)
    region = REGIONS['dal10']
    definitions = [
        (_connect('dal10-connect-primary', 'dal10', 'EQUINIX', 1000, 64999,
                  bgp_cer_cidr='169.254.10.2/30', bgp_ibm_cidr='169.254.10.1/30',
                  bfd_config={'interval': 2000, 'multiplier': 10},
                  authentication_key={'crn': key_crn('bgp-md5-primary')},
                  resource_group={'id': RESOURCE_GROUP},
                  default_export_route_filter='deny', default_import_route_filter='permit',
                  export_route_filters=[{'action': 'permit', 'prefix': '10.10.0.0/16', 'ge': 17, 'le': 24},
                                        {'action': 'permit', 'prefix': '10.20.0.0/16'},
                                        {'action': 'deny', 'prefix': '10.0.0.0/8', 'le': 32}],
                  import_route_filters=[{'action': 'deny', 'prefix': '192.168.0.0/16', 'ge': 24},
                                        {'action': 'permit', 'prefix': '172.16.0.0/12'}],
                  as_prepends=[{'length': 3, 'policy': 'export', 'specific_prefixes': ['10.10.0.0/16']},
                               {'length': 4, 'policy': 'import'}]),
         [{'name': 'vc-app-vpc', 'type': 'vpc', 'network_id': vpc_crn('app', region)},
          {'name': 'vc-classic', 'type': 'classic'}]),
        (_connect('dal10-connect-transit', 'dal10', 'MEGAPORT', 2000, 64998, connection_mode='transit'), []),  # see _transit
        ({'name': 'dal10-dedicated-macsec', 'type': 'dedicated', 'speed_mbps': 10000, 'global': True, 'metered': True,
          'bgp_asn': 64997, 'location_name': 'dal10', 'cross_connect_router': 'xcr01.dal10',
          'carrier_name': 'Lumen', 'customer_name': 'Example Corp', 'vlan': 100, 'macsec_capability': 'macsec',
          'bgp_cer_cidr': '169.254.20.2/30', 'bgp_ibm_cidr': '169.254.20.1/30',
          'macsec': {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
                     'window_size': 512,
                     'caks': [{'key': {'crn': key_crn('macsec-cak-primary')}, 'name': '1000', 'session': 'primary'},
                              {'key': {'crn': key_crn('macsec-cak-fallback')}, 'name': '2000', 'session': 'fallback'}]},
          'export_route_filters': [{'action': 'permit', 'prefix': '10.30.0.0/16'}]},
         [{'name': 'vc-data-vpc', 'type': 'vpc', 'network_id': vpc_crn('data', region)},
          {'name': 'vc-partner-vpc', 'type': 'vpc', 'status': 'approval_pending', 'network_account': PARTNER_ACCOUNT,
           'network_id': vpc_crn('partner', region, PARTNER_ACCOUNT)}]),
        (_connect('wdc04-connect-backup', 'wdc04', 'EQUINIX', 500, 64996,
                  as_prepends=[{'length': 5, 'policy': 'export'}]),
         [{'name': 'vc-app-east', 'type': 'vpc', 'network_id': vpc_crn('app-east', REGIONS['wdc04'])}]),
        ({'name': 'fra02-dedicated', 'type': 'dedicated', 'speed_mbps': 2000, 'global': False, 'metered': False,
          'bgp_asn': 4200000001, 'location_name': 'fra02', 'cross_connect_router': 'xcr02.fra02',
          'carrier_name': 'Colt', 'customer_name': 'Example Corp EU', 'vlan': 200,
          'bfd_config': {'interval': 300, 'multiplier': 3}},
         [{'name': 'vc-classic-eu', 'type': 'classic'}]),
    ]
    for body, vcs in definitions:
        _settle(account.create_gateway(DEFAULT_ACCOUNT, body), vcs)
    partner = account.create_gateway(PARTNER_ACCOUNT, _connect('partner-shared-gateway', 'dal12', 'EQUINIX', 1000, 65010))
    _settle(partner, [{'name': 'vc-to-example', 'type': 'vpc', 'network_account': DEFAULT_ACCOUNT,
                       'network_id': vpc_crn('shared', 'us-south')}], account=PARTNER_ACCOUNT)
    _transit(Account(doc, provision_delay=0, vc_delay=0), 'dal10-connect-transit')  # sees the settled ids
    return doc


def _transit(account, transit_mode_gateway):
    """The demo's transit gateways, available, and the hub's connection to ``transit_mode_gateway`` with its prefix
    filters, attached: the connection makes the gateway's ``transit`` virtual connection, settled like a seeded one."""
    transit = TransitGateways(account)
    for key, name, region, routing in DEMO_TRANSIT_GATEWAYS:
        gateway = transit.create_gateway(DEFAULT_ACCOUNT, {'name': name, 'location': region, 'global': routing,
                                                           'resource_group': {'id': RESOURCE_GROUP}})
        gateway.pop('_ready_at')
        gateway.update(id=transit_gateway_id(key), status='available', created_at=SEED_TIME, updated_at=SEED_TIME,
                       crn=TGW_CRN.format(region=region, account=DEFAULT_ACCOUNT, id=transit_gateway_id(key)))
    network = next(g for g in account.doc['gateways'] if g['name'] == transit_mode_gateway)
    connection = transit.create_connection(DEFAULT_ACCOUNT, transit_gateway_id('hub'),
                                           dict(DEMO_TRANSIT_CONNECTION, network_id=network['crn']))
    name = connection['name']
    connection.pop('_ready_at')
    connection.update(id=transit_connection_id('hub', name), status='attached', created_at=SEED_TIME,
                      updated_at=SEED_TIME)
    for index, item in enumerate(connection['prefix_filters']):
        item.update(id=stable_id(name, 'prefix_filters', index), created_at=SEED_TIME, updated_at=SEED_TIME)
    vc = next(vc for vc in network['virtual_connections'] if vc['id'] == connection['_vc_id'])
    vc.pop('_ready_at')
    vc.update(id=stable_id(network['name'], 'vc', name), status='attached', created_at=SEED_TIME)
    connection['_vc_id'] = vc['id']


def generate(gateways, vcs, account_id=DEFAULT_ACCOUNT):
    """N connect gateways x M virtual connections, spread over the catalog's connect locations."""
    doc = empty()
    account = Account(doc, provision_delay=0, vc_delay=0)
    locations = [location['name'] for location in doc['catalog']['locations']['connect']]
    for index in range(gateways):
        location = locations[index % len(locations)]
        third, fourth = divmod(index, 64)
        body = _connect(f'gw-{index:05d}', location, ('EQUINIX', 'MEGAPORT')[index % 2], 1000, 64600 + index % 500,
                        bgp_cer_cidr=f'169.254.{100 + third}.{fourth * 4 + 2}/30',
                        bgp_ibm_cidr=f'169.254.{100 + third}.{fourth * 4 + 1}/30',
                        export_route_filters=[{'action': 'permit', 'prefix': f'10.{index % 250}.0.0/16', 'le': 24},
                                              {'action': 'deny', 'prefix': '10.0.0.0/8'}],
                        import_route_filters=[{'action': 'permit', 'prefix': '172.16.0.0/12'}],
                        as_prepends=[{'length': 3, 'policy': 'export'}])
        vc_list = [{'name': f'vc-{number}', 'type': 'vpc',
                    'network_id': vpc_crn(f'{index}-{number}', REGIONS[location], account_id)} for number in range(vcs)]
        _settle(account.create_gateway(account_id, body), vc_list, account=account_id)
    return doc


def load(spec):
    """A state document from a seed spec: ``{"seed": "demo"|"empty"|PATH}``, ``{"generate": {...}}``,
    ``{"replica": {...}}`` (see replica.py) or a state."""
    if not isinstance(spec, dict):
        raise bad_request('A seed must be a JSON object.')
    if 'replica' in spec:
        return replica.build(spec['replica'])
    if 'generate' in spec:
        options = spec['generate']
        return generate(int(options.get('gateways', 10)), int(options.get('vcs', 2)))
    if 'gateways' in spec or 'catalog' in spec:
        doc = copy.deepcopy(spec)
        doc.setdefault('catalog', default_catalog())
        doc.setdefault('gateways', [])
        doc.setdefault('route_reports', {})
        doc.setdefault('transit_gateways', [])
        return doc
    name = spec.get('seed', 'demo')
    if name == 'demo':
        return demo()
    if name == 'empty':
        return empty()
    if name.startswith('gen:'):
        gateways, _sep, vcs = name[4:].partition('x')
        return generate(int(gateways), int(vcs or 0))
    try:
        with open(name, encoding='utf-8') as stream:
            return load(json.load(stream))
    except (OSError, ValueError) as exc:
        raise bad_request(f"Cannot load seed '{name}': {exc}.") from exc
