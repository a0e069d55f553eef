# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A gateway's Transit Gateway connections: checked before any change, created once the gateway is provisioned.

A transit-mode Direct Link gateway carries traffic only through a Transit Gateway connection (``network_type:
directlink``, ``network_id`` the gateway's CRN), which is made from the transit gateway's side. The desired
connections name their transit gateway by id or by name; ``TransitGateways`` looks each one up once per module run,
so that a run over many gateways checks them all before it creates anything. A connection that exists (same transit
gateway, same name) is left as it is: differences of its prefix filters are reported, never changed.
"""

import re
import threading

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import normalize, transit_api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY, map_bounded
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.lifecycle import create_once
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.waiters import wait_until

UUID_RE = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
ATTACHED = 'attached'
CONNECTION_FAILED = ('failed', 'detached')
DEFAULT_PREFIX_FILTER = 'permit'


class TransitGateways:
    """The transit gateways and Transit Gateway locations of one module run, each fetched once (thread-safe)."""

    def __init__(self, transit):
        self.transit = transit
        self._lock = threading.Lock()
        self._by_id = {}
        self._listed = None
        self._locations = {}
        self._connections = {}

    def find(self, reference):
        """The API transit gateway a desired connection's ``transit_gateway`` names (its id, else its name), or None."""
        reference = reference or {}
        if reference.get('id'):
            with self._lock:
                if reference['id'] not in self._by_id:
                    self._by_id[reference['id']] = transit_api.get_transit_gateway(self.transit, reference['id'])
                return self._by_id[reference['id']]
        with self._lock:
            if self._listed is None:
                self._listed = transit_api.list_transit_gateways(self.transit)
        return next((item for item in self._listed if item.get('name') == reference.get('name')), None)

    def connections(self, transit_gateway_id):
        """The connections of one transit gateway (API objects)."""
        with self._lock:
            if transit_gateway_id not in self._connections:
                self._connections[transit_gateway_id] = transit_api.list_connections(self.transit, transit_gateway_id)
            return self._connections[transit_gateway_id]

    def reachable(self, location_name):
        """The Direct Link locations a transit gateway with local routing in ``location_name`` (a region) reaches."""
        with self._lock:
            if location_name not in self._locations:
                found = transit_api.get_location(self.transit, location_name) or {}
                self._locations[location_name] = sorted(item['name'] for item in found.get('local_connection_locations') or [])
            return self._locations[location_name]


def reference_text(reference):
    """How messages name a desired connection's transit gateway."""
    reference = reference or {}
    return ' '.join(part for part in (reference.get('name'), f"({reference['id']})" if reference.get('id') else '') if part)


def problems(transit_gateways, desired, gateway_crn=None):
    """Everything wrong with the desired gateway's ``transit_connections``, found before any change; ``gateway_crn``
    is the CRN of the gateway when it exists (its own connections are no conflict)."""
    connections = desired.get('transit_connections') or []
    if not connections:
        return []
    if desired.get('connection_mode') != 'transit':
        return ['transit_connections need connection_mode transit: only a transit-mode gateway can be attached to a '
                'transit gateway']
    found = []
    names = [item['name'] for item in connections]
    found += [f"transit connection '{name}' is given twice" for name in sorted(set(names)) if names.count(name) > 1]
    for item in connections:
        reference = item.get('transit_gateway') or {}
        label = f"transit connection '{item['name']}'"
        if not reference.get('id') and not reference.get('name'):
            found.append(f'{label}: transit_gateway needs an id or a name')
            continue
        api_tgw = transit_gateways.find(reference)
        if api_tgw is None:
            found.append(f'{label}: transit gateway {reference_text(reference)} does not exist in this account (lost '
                         "with its region, or another account's); name an existing one (recover_transit_gateway_map "
                         'in a recovery plan)')
        else:
            found += _placement_problems(transit_gateways, api_tgw, item, desired, gateway_crn)
    return found


def _placement_problems(transit_gateways, api_tgw, item, desired, gateway_crn):
    """A local transit gateway that does not reach the gateway's location; a connection name the transit gateway
    already gives to another network (a connection to a lost gateway stays, detached, until it is deleted)."""
    label = f"transit connection '{item['name']}'"
    found = []
    if not api_tgw.get('global'):
        reachable = transit_gateways.reachable(api_tgw.get('location'))
        if desired.get('location_name') not in reachable:
            found.append(f"{label}: transit gateway {api_tgw['name']} has local routing in {api_tgw.get('location')}, "
                         f"which does not reach {desired.get('location_name')} (it reaches "
                         f"{', '.join(reachable) or 'no Direct Link location'}); use a transit gateway with global "
                         "routing or one in the gateway's region")
    taken = next((other for other in transit_gateways.connections(api_tgw['id'])
                  if other.get('name') == item['name'] and (gateway_crn is None or other.get('network_id') != gateway_crn)), None)
    if taken is not None:
        found.append(f"{label}: transit gateway {api_tgw['name']} already has a connection of that name (to "
                     f"{taken.get('network_id')}, {taken.get('status')}); delete it there, or give the new one another "
                     'name (recover_name_template in a recovery plan)')
    return found


def _canonical_filters(filters):
    return [normalize.route_filter(item) for item in filters or []]


def differences(item, existing):
    """What differs between a desired connection and the live one (reported; prefix filters are changed on the
    transit gateway, never by this module)."""
    found = []
    if _canonical_filters(item.get('prefix_filters')) != _canonical_filters(existing.get('prefix_filters')):
        found.append('prefix_filters')
    wanted = item.get('prefix_filters_default') or DEFAULT_PREFIX_FILTER
    if wanted != (existing.get('prefix_filters_default') or DEFAULT_PREFIX_FILTER):
        found.append('prefix_filters_default')
    return found


def template(item, gateway_crn):
    """The create request of one connection: the gateway's CRN, the prefix filters in their order, the default."""
    body = {'name': item['name'], 'network_id': gateway_crn,
            'prefix_filters': _canonical_filters(item.get('prefix_filters')),
            'prefix_filters_default': item.get('prefix_filters_default') or DEFAULT_PREFIX_FILTER}
    return body


def _result(item, api_tgw, action, connection=None, **extra):
    result = {'name': item['name'], 'transit_gateway': normalize.transit_gateway_ref(api_tgw or item.get('transit_gateway') or {}),
              'action': action}
    if connection:
        result.update({'id': connection['id'], 'status': connection.get('status')})
        if connection.get('request_status'):
            result['request_status'] = connection['request_status']
    result.update(extra)
    return result


class TransitRun:
    """Bring one gateway's Transit Gateway connections to the desired ones (``desired['transit_connections']``)."""

    def __init__(self, transit_gateways, check_mode, wait, timeout, max_concurrency=DEFAULT_MAX_CONCURRENCY):
        self.transit_gateways = transit_gateways
        self.transit = transit_gateways.transit
        self.check_mode = check_mode
        self.wait = wait
        self.timeout = timeout
        self.max_concurrency = max_concurrency
        self.actions = []

    def reconcile(self, desired, api_gateway):
        """Results (one per desired connection) and whether anything changed (would change, in check mode)."""
        connections = desired.get('transit_connections')
        if not connections:
            return [], False
        resolved = [(item, self.transit_gateways.find(item.get('transit_gateway'))) for item in connections]
        missing = [item['name'] for item, api_tgw in resolved if api_tgw is None]
        if missing:
            raise DirectLinkError(f"Gateway '{api_gateway.get('name')}': the transit gateway of {', '.join(missing)} does "
                                  'not exist in this account')
        ready = api_gateway.get('operational_status') == 'provisioned' and api_gateway.get('crn')
        if not ready:
            self.actions += [f"create transit connection {item['name']}" for item, _tgw in resolved]
            if self.check_mode:
                return [_result(item, api_tgw, 'would_create') for item, api_tgw in resolved], True
            reason = (f"the gateway is {api_gateway.get('operational_status')}: its Transit Gateway connections are "
                      'created once it is provisioned (re-run then)')
            return [_result(item, api_tgw, 'pending_gateway', reason=reason) for item, api_tgw in resolved], False
        live = transit_api.list_direct_link_connections(self.transit, network_id=api_gateway['crn'])
        by_key = {(item['transit_gateway']['id'], item['name']): item for item in live}
        results, create = [], []
        for item, api_tgw in resolved:
            existing = by_key.get((api_tgw['id'], item['name']))
            if existing is None:
                create.append((item, api_tgw))
            else:
                differs = differences(item, existing)
                results.append(_result(item, api_tgw, 'exists', existing, **({'differs': differs} if differs else {})))
        self.actions += [f"create transit connection {item['name']} on {api_tgw['name']}" for item, api_tgw in create]
        if self.check_mode:
            return results + [_result(item, api_tgw, 'would_create') for item, api_tgw in create], bool(create)
        created = map_bounded(lambda pair: self._create(pair[0], pair[1], api_gateway['crn']), create, self.max_concurrency)
        return results + created, bool(create)

    def _create(self, item, api_tgw, gateway_crn):
        body = template(item, gateway_crn)

        def lookup():
            return next((found for found in transit_api.list_direct_link_connections(self.transit, network_id=gateway_crn)
                         if found['transit_gateway']['id'] == api_tgw['id'] and found['name'] == item['name']), None)

        connection = create_once(lambda: transit_api.create_direct_link_connection(self.transit, api_tgw['id'], body),
                                 lookup, f"transit connection '{item['name']}'", self.transit.retry)
        if self.wait:
            connection = self._await(api_tgw, connection)
        return _result(item, api_tgw, 'created', connection)

    def _await(self, api_tgw, connection):
        """Poll the connection until it is attached; a cross-account request waiting for approval is returned as is."""
        def settled(found):
            return found is not None and (found.get('status') == ATTACHED or found.get('request_status') == 'pending')

        def failed(found):
            if found is None:
                return f"Transit connection '{connection['name']}' disappeared from transit gateway {api_tgw['name']}"
            if found.get('status') in CONNECTION_FAILED:
                return f"Transit connection '{found['name']}' on {api_tgw['name']} is {found['status']}"
            return None

        return wait_until(lambda: transit_api.get_connection(self.transit, api_tgw['id'], connection['id']), settled,
                          self.timeout, f"transit connection '{connection['name']}' to be attached", failed=failed,
                          describe=lambda found: (found or {}).get('status', 'gone'))
