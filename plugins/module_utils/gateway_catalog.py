# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of a new gateway against the offering catalog, before anything is created.

Each problem names the field, the value and what the catalog offers instead, so a recovery plan can be fixed in
one pass.  Look-ups are cached per ``Catalog`` so that checking many gateways costs few requests.
"""

import functools
from collections.abc import Callable
from typing import Any

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import map_bounded

OFFERINGS = ('connect', 'dedicated')
# Counters that change with every order anywhere: left out of a snapshot, so that an unchanged catalog gives an
# identical backup.
VOLATILE_FIELDS = ('direct_link_count', 'total_connections')


class Catalog:
    """Cached catalog look-ups for one module invocation."""

    def __init__(self, connection):
        self.connection = connection
        self._cache = {}

    def _get(self, key, loader):
        if key not in self._cache:
            self._cache[key] = loader()
        return self._cache[key]

    def port(self, port_id):
        """A port by id, or None."""
        return self._get(('port', port_id), lambda: api.get_port(self.connection, port_id))

    def locations(self, offering):
        """Offered locations by name."""
        return self._get(('locations', offering),
                         lambda: {loc['name']: loc for loc in api.list_locations(self.connection, offering)})

    def offerings_at(self, location):
        """The offering types (``connect``, ``dedicated``) whose catalog lists ``location``."""
        return [offering for offering in OFFERINGS if location in self.locations(offering)]

    def speeds(self, offering):
        """Offered speeds by link speed."""
        return self._get(('speeds', offering),
                         lambda: {speed['link_speed']: speed for speed in api.list_speeds(self.connection, offering)})

    def ports(self, location):
        """Provider ports at a location."""
        return self._get(('ports', location), lambda: api.list_ports(self.connection, location))

    def routers(self, location):
        """Cross-connect routers of a dedicated location by name."""
        return self._get(('routers', location), lambda: {
            router['router_name']: router
            for router in api.list_cross_connect_routers(self.connection, 'dedicated', location)})


def snapshot(connection, max_workers):
    """The catalog a recovery depends on, each part sorted: {locations, speeds: by offering; ports; routers: by
    dedicated location}. Five requests, one per dedicated location and one per 100 ports, ``max_workers`` at once."""
    reads: list[Callable[[], Any]] = [functools.partial(api.list_locations, connection, offering) for offering in OFFERINGS]
    reads += [functools.partial(api.list_speeds, connection, offering) for offering in OFFERINGS]
    reads.append(functools.partial(api.list_ports, connection))
    results = map_bounded(lambda read: read(), reads, max_workers)
    locations = {offering: sorted(found, key=lambda location: location['name'])
                 for offering, found in zip(OFFERINGS, results[:2])}
    speeds = {offering: sorted(found, key=lambda speed: speed['link_speed']) for offering, found in zip(OFFERINGS, results[2:4])}
    ports = sorted((_stable(port) for port in results[4]),
                   key=lambda port: (port.get('location_name', ''), port.get('provider_name', ''), port['id']))
    dedicated = [location['name'] for location in locations['dedicated']]
    routers = map_bounded(lambda name: api.list_cross_connect_routers(connection, 'dedicated', name), dedicated, max_workers)
    return {'locations': locations, 'speeds': speeds, 'ports': ports,
            'routers': {name: sorted((_stable(router) for router in found), key=lambda router: router.get('router_name', ''))
                        for name, found in zip(dedicated, routers)}}


def _stable(item):
    return {key: value for key, value in item.items() if key not in VOLATILE_FIELDS}


def _connect_problems(catalog, desired):
    port = catalog.port(desired['port'])
    if port is None:
        return [f"port {desired['port']} does not exist"]
    problems = []
    where = f"port {desired['port']} ({port['label']}, {port['provider_name']} at {port['location_name']})"
    if desired['speed_mbps'] not in port['supported_link_speeds']:
        problems.append(f"speed_mbps {desired['speed_mbps']} is not offered on {where}: offered "
                        f"{sorted(port['supported_link_speeds'])}")
    if desired.get('location_name') and desired['location_name'] != port['location_name']:
        problems.append(f"location_name {desired['location_name']} does not match the location of {where}")
    location = catalog.locations('connect').get(port['location_name'])
    if location is not None and not location.get('provision_enabled', True):
        problems.append(f"location {port['location_name']} of {where} does not accept new gateways")
    return problems


def _dedicated_problems(catalog, desired):
    name = desired['location_name']
    location = catalog.locations('dedicated').get(name)
    if location is None:
        return [f"location_name {name} does not offer dedicated gateways: offered {sorted(catalog.locations('dedicated'))}"]
    problems = []
    if not location.get('provision_enabled', True):
        problems.append(f'location_name {name} does not accept new gateways')
    speed = catalog.speeds('dedicated').get(desired['speed_mbps'])
    if speed is None:
        problems.append(f"speed_mbps {desired['speed_mbps']} is not offered for dedicated gateways: offered "
                        f"{sorted(catalog.speeds('dedicated'))}")
    routers = catalog.routers(name)
    router = routers.get(desired['cross_connect_router'])
    if router is None:
        problems.append(f"cross_connect_router {desired['cross_connect_router']} does not exist at {name}: routers "
                        f"{sorted(routers)}")
    wants_macsec = desired.get('macsec') or desired.get('macsec_capability') in ('macsec', 'macsec_optional')
    if wants_macsec and router is not None and 'macsec' not in (router.get('capabilities') or []):
        problems.append(f"cross_connect_router {router['router_name']} is not MACsec-capable: MACsec routers at {name}: "
                        f"{sorted(r for r, v in routers.items() if 'macsec' in (v.get('capabilities') or []))}")
    if wants_macsec and speed is not None and not speed.get('macsec_enabled'):
        problems.append(f"speed_mbps {desired['speed_mbps']} does not support MACsec")
    return problems


def catalog_problems(catalog, desired):
    """Problems of a gateway to be created with ``desired`` (type, port or location already known valid)."""
    if desired['type'] == 'connect':
        return _connect_problems(catalog, desired)
    return _dedicated_problems(catalog, desired)
