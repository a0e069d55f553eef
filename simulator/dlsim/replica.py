"""A replica of a customer's account, as a backup describes it, for a DR rehearsal.

The spec (``{"replica": {...}}`` as a seed) is written by the collection's ``rehearsal_replica`` module:
``account_id``; ``catalog`` (catalog_info's snapshot: locations, routers, speeds, ports); ``gateways``: for each,
``template`` (the API body that creates it), ``virtual_connections`` ([{name, type, network_id?}]) and
``transit_connections`` ([{name, transit_gateway_id, prefix_filters, prefix_filters_default}]); ``transit_gateways``:
the transit gateways those connections are on ([{id, name, location, global}], kept with their ids, which the
backup and the plan name). Gateways, transit gateways and their connections are created through the same validation
as the API, so a backup the catalog cannot hold is refused with every reason at once.
"""

import uuid

from dlsim.errors import ApiError, bad_request
from dlsim.state import Account, now_iso
from dlsim.transit import TransitGateways


def _catalog(snapshot):
    """The simulator's catalog from a snapshot: the counters a snapshot leaves out start at zero."""
    catalog = {key: snapshot.get(key) for key in ('locations', 'routers', 'speeds', 'ports')}
    if not all(isinstance(catalog[key], (dict, list)) for key in catalog):
        raise bad_request('A replica catalog needs locations, routers, speeds and ports.')
    catalog['ports'] = [dict({'direct_link_count': 0}, **port) for port in catalog['ports']]
    catalog['routers'] = {location: [dict({'total_connections': 0}, **router) for router in routers]
                          for location, routers in catalog['routers'].items()}
    return catalog


def build(spec):
    """The state document of the replica account: every gateway provisioned, every VC attached."""
    if not isinstance(spec, dict) or not isinstance(spec.get('gateways'), list) or not spec.get('account_id'):
        raise bad_request('A replica needs account_id, catalog and gateways.')
    account_id = spec['account_id']
    doc = {'catalog': _catalog(spec.get('catalog') or {}), 'gateways': [], 'route_reports': {}}
    account = Account(doc, provision_delay=0, vc_delay=0)
    problems = []
    for entry in spec['gateways']:
        template = entry.get('template') or {}
        try:
            gateway = account.create_gateway(account_id, template)
        except ApiError as error:
            problems.append(f"gateway {template.get('name')!r}: {error.message}")
            continue
        account.advance(gateway_id=gateway['id'], to='provisioned')
        for vc in entry.get('virtual_connections') or []:
            record = {'created_at': now_iso(), 'id': str(uuid.uuid4()), 'name': vc['name'], 'type': vc['type'],
                      'status': 'attached'}
            if vc.get('network_id'):
                record['network_id'] = vc['network_id']
            gateway['virtual_connections'].append(record)
    if not problems:
        problems += _transit(account, account_id, spec)
    if problems:
        raise bad_request('The backup cannot be replayed in its own catalog: ' + '; '.join(problems))
    account.tick()
    TransitGateways(account).tick()
    return doc


def _transit(account, account_id, spec):
    """The transit gateways, available, and the connections of the replica's transit-mode gateways, attached (their
    ``transit`` virtual connections made by the connection, as in the service); the problems found."""
    transit = TransitGateways(account)
    problems = []
    for entry in spec.get('transit_gateways') or []:
        try:
            created = transit.create_gateway(account_id, {key: entry[key] for key in ('name', 'location', 'global') if key in entry})
        except ApiError as error:
            problems.append(f"transit gateway {entry.get('name')!r}: {error.message}")
            continue
        created.update(id=entry['id'], crn=f"crn:v1:bluemix:public:transit:{created['location']}:a/{account_id}::gateway:{entry['id']}")
    transit.tick()
    by_name = {gateway['name']: gateway for gateway in account.doc['gateways']}
    for entry in spec['gateways']:
        gateway = by_name.get((entry.get('template') or {}).get('name'))
        for item in entry.get('transit_connections') or []:
            body = {'network_type': 'directlink', 'name': item['name'], 'network_id': gateway['crn'],
                    'prefix_filters': item.get('prefix_filters') or [],
                    'prefix_filters_default': item.get('prefix_filters_default') or 'permit'}
            try:
                transit.create_connection(account_id, item['transit_gateway_id'], body)
            except ApiError as error:
                problems.append(f"transit connection {item['name']!r} of gateway {gateway['name']!r}: {error.message}")
    return problems
