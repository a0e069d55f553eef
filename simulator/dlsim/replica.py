"""A replica of a customer's account, as a backup describes it, for a DR rehearsal.

The spec (``{"replica": {...}}`` as a seed) is written by the collection's ``rehearsal_replica`` module:
``account_id``; ``catalog`` (catalog_info's snapshot: locations, routers, speeds, ports); ``gateways``: for each,
``template`` (the API body that creates it) and ``virtual_connections`` ([{name, type, network_id?}]).
Gateways are created through the same validation as the API, so a backup the catalog cannot hold is refused
with every reason at once.
"""

import uuid

from dlsim.errors import ApiError, bad_request
from dlsim.state import Account, now_iso


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
    if problems:
        raise bad_request('The backup cannot be replayed in its own catalog: ' + '; '.join(problems))
    account.tick()
    return doc
