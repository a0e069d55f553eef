"""The offering catalog: locations, cross-connect routers, speeds and provider ports, and the Transit Gateway
locations.

The catalog is part of the simulator's state document (key ``catalog``) so that a seed, a state file or a
rehearsal can bring its own.  ``default_catalog()`` is the one the ``demo`` seed and the generator use.
"""

import uuid

NAMESPACE = uuid.UUID('6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6b')

# name, display name, market, geography, VPC region, offers dedicated
METROS = [
    ('dal10', 'Dallas 10', 'Dallas', 'N/S America', 'us-south', True),
    ('dal12', 'Dallas 12', 'Dallas', 'N/S America', 'us-south', True),
    ('wdc04', 'Washington DC 04', 'Washington DC', 'N/S America', 'us-east', True),
    ('fra02', 'Frankfurt 02', 'Frankfurt', 'Europe', 'eu-de', True),
    ('lon06', 'London 06', 'London', 'Europe', 'eu-gb', False),
]
PROVIDERS = ('EQUINIX', 'MEGAPORT')
CONNECT_SPEEDS = [50, 100, 200, 500, 1000, 2000, 5000, 10000]
# What a Transit Gateway region connects locally (TSLocalLocation.supported_connection_types): the region itself
# every network type of the service, each of its Direct Link locations (a data center or PoP) these.
REGION_CONNECTION_TYPES = ['classic', 'directlink', 'gre_tunnel', 'power_virtual_server', 'redundant_gre',
                           'unbound_gre_tunnel', 'vpc', 'vpn_gateway']
DC_CONNECTION_TYPES = ['classic', 'directlink']
ZONES_PER_REGION = 3
DEDICATED_SPEEDS = [1000, 2000, 5000, 10000]


def stable_id(*parts):
    """A deterministic UUID for catalog and seed objects."""
    return str(uuid.uuid5(NAMESPACE, '/'.join(str(part) for part in parts)))


def port_id(location, provider, side):
    """The id of a provider port (``side`` is ``PRI`` or ``SEC``)."""
    return stable_id('port', location, provider, side)


def _location(name, display, market, geography, region, offering):
    location = {
        'billing_location': 'us' if geography == 'N/S America' else 'eu',
        'display_name': display, 'location_type': 'PoP', 'market': market, 'market_geography': geography,
        'mzr': True, 'name': name, 'offering_type': offering, 'provision_enabled': True, 'vpc_region': region,
    }
    if offering == 'dedicated':
        location['building_colocation_owner'] = 'Digital Realty' if name.startswith('dal') else 'Equinix'
        location['macsec_enabled'] = True
    return location


def default_catalog():
    """The catalog of the demo account: five metros, two providers, MACsec-capable routers."""
    connect = [_location(n, d, m, g, r, 'connect') for n, d, m, g, r, _has in METROS]
    dedicated = [_location(n, d, m, g, r, 'dedicated') for n, d, m, g, r, has in METROS if has]
    routers = {}
    for name, *_rest, has_dedicated in METROS:
        if has_dedicated:
            routers[name] = [
                {'capabilities': ['macsec', 'macsec_optional'], 'router_name': f'xcr01.{name}', 'total_connections': 4},
                {'capabilities': ['non_macsec'], 'router_name': f'xcr02.{name}', 'total_connections': 2},
            ]
    ports = []
    for name, display, *_rest in METROS:
        for provider in PROVIDERS:
            for side in ('PRI', 'SEC'):
                ports.append({
                    'id': port_id(name, provider, side), 'label': f'{provider[:3]}-{name.upper()}-CX-{side}-01',
                    'direct_link_count': 0, 'location_name': name, 'location_display_name': display,
                    'provider_name': provider, 'supported_link_speeds': list(CONNECT_SPEEDS),
                })
    catalog = {
        'locations': {'connect': connect, 'dedicated': dedicated},
        'routers': routers,
        'speeds': {
            'connect': [{'capabilities': ['metered', 'unmetered'], 'link_speed': s} for s in CONNECT_SPEEDS],
            'dedicated': [{'capabilities': ['metered', 'unmetered'], 'link_speed': s, 'macsec_enabled': s >= 10000}
                          for s in DEDICATED_SPEEDS],
        },
        'ports': ports,
    }
    catalog['transit_locations'] = transit_locations(catalog)
    return catalog


def transit_locations(catalog):
    """The Transit Gateway locations (``TSLocation``) a Direct Link catalog implies: one region per ``vpc_region``
    of its locations, named by their market, whose local connection locations are the region and each Direct Link
    location in it (type ``dc``): a local transit gateway reaches exactly those.  A location without a
    ``vpc_region`` (a catalog snapshot may lack it) belongs to no region."""
    regions = {}
    for offering in ('connect', 'dedicated'):
        for location in (catalog.get('locations') or {}).get(offering, []):
            name = location.get('vpc_region')
            if not name:
                continue
            region = regions.setdefault(name, {
                'billing_location': location.get('billing_location') or name, 'name': name, 'type': 'region',
                'local_connection_locations': [{'display_name': location.get('market') or name, 'name': name,
                                                'supported_connection_types': list(REGION_CONNECTION_TYPES),
                                                'type': 'region'}],
                'zones': [{'name': f'{name}-{zone}'} for zone in range(1, ZONES_PER_REGION + 1)]})
            if all(local['name'] != location['name'] for local in region['local_connection_locations']):
                region['local_connection_locations'].append({
                    'display_name': location.get('display_name') or location['name'], 'name': location['name'],
                    'supported_connection_types': list(DC_CONNECTION_TYPES), 'type': 'dc'})
    return sorted(regions.values(), key=lambda region: region['name'])
