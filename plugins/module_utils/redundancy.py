# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The redundancy audit: protected paths, their diversity level, and whether the redundancy is real.

IBM's "Models for diversity and redundancy in Direct Link": a Direct Link is not redundant at the cross-connect
router (XCR); redundancy comes from several links on separate XCRs, and diversity comes in levels — separate XCRs in
one PoP, separate PoPs in one market (Dallas, Washington, Frankfurt, London), separate markets with global routing.
With equal local preference BGP takes the shortest AS path, so an AS prepend of three or more makes a path the
less preferred one; equal paths are ECMP, which is not redundancy.

A *protected path* is a set of gateways with the same customer ASN that reach the same networks (VPC CRNs, the
classic infrastructure, transit gateways): gateways sharing a network are in one path. Each path gets a diversity
level and findings, each with its fix:

* ``spof``: one failure takes every path to a network (a single gateway, one XCR or provider port for all, a network
  that only one gateway reaches);
* ``gap``: the backup path exists but cannot take over as it is (a network it does not reach, a lower speed, route
  filters that drop what the primary carries, local routing to another region, BFD or MACsec that differ, a
  gateway that is not provisioned);
* ``warning``: ECMP, a weak AS-prepend difference, one PoP or one market for every path, one provider, a provider
  port whose XCR IBM does not publish.

Pure functions over option-shaped gateways (``gateway_info``'s shape, or a backup's) and a catalog snapshot
(``catalog_info``'s shape): nothing here makes a request or touches a file.
"""

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Optional

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.report_files import SCHEMA_VERSION, json_path

LEVELS = ('single_gateway', 'same_xcr', 'separate_xcrs_same_pop', 'separate_pops_same_market', 'separate_markets')
LEVEL_TEXT = {
    'single_gateway': 'single gateway',
    'same_xcr': 'same XCR',
    'separate_xcrs_same_pop': 'separate XCRs, same PoP',
    'separate_pops_same_market': 'separate PoPs, same market',
    'separate_markets': 'separate markets',
}
SEVERITIES = ('spof', 'gap', 'warning')  # worst first
# What a finding is about.
CHECKS = ('placement', 'provider', 'networks', 'speed', 'route_filters', 'bfd', 'macsec', 'path_preference', 'global_routing', 'status')
FAIL_ON = ('never',) + SEVERITIES
# IBM: prepending the local ASN three or more times makes a path the less preferred one.
MIN_PREPEND = 3
# Virtual connection statuses that carry traffic; None: a backup or export that did not record the status.
REACHING_VC_STATUSES = (None, 'attached')
# Gateway statuses that carry traffic; None: a backup, which does not record the status.
WORKING_STATUSES = (None, 'provisioned')
# AS prepends by policy: export prepends lengthen the routes IBM advertises, so they steer traffic towards IBM;
# import prepends lengthen the routes IBM learns, so they steer traffic from IBM.
DIRECTIONS = {'to_ibm': 'export', 'from_ibm': 'import'}
DIRECTION_TEXT = {'to_ibm': 'traffic to IBM Cloud', 'from_ibm': 'traffic from IBM Cloud'}


class Finding(NamedTuple):
    """One problem of a protected path, with the change that fixes it."""

    severity: str
    check: str
    gateways: tuple[str, ...]
    message: str
    fix: str

    def as_dict(self) -> dict[str, Any]:
        """The finding as the report holds it."""
        return {'severity': self.severity, 'check': self.check, 'gateways': list(self.gateways), 'message': self.message, 'fix': self.fix}


class CatalogView(NamedTuple):
    """What the audit reads of the offering catalog: locations by name (with the offerings that list them), ports
    by id, and the cross-connect routers of each dedicated location with their capabilities."""

    locations: dict[str, dict[str, Any]]
    ports: dict[str, dict[str, Any]]
    routers: dict[str, dict[str, list[str]]]
    known: bool


class Placement(NamedTuple):
    """Where a gateway's traffic goes through: market, PoP (location), the attachment that fails as one (the XCR
    of a dedicated gateway, the provider port of a connect gateway) and the provider (or carrier)."""

    gateway: str
    type: str
    location: str
    market: str
    attachment: str
    attachment_text: str
    provider: str


def _named(items: Any, key: str) -> dict[str, dict[str, Any]]:
    """The dicts of a list that have a string ``key``, by that key (a hostile snapshot's other entries are skipped)."""
    return {item[key]: item for item in items or [] if isinstance(item, dict) and isinstance(item.get(key), str)} if isinstance(items, list) else {}


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def catalog_view(snapshot: Optional[dict[str, Any]]) -> CatalogView:
    """The audit's view of a catalog snapshot (catalog_info's shape, or a backup's .catalog); None: no catalog.

    A backup's snapshot is data from a file: entries of the wrong shape are left out, never trusted."""
    if not isinstance(snapshot, dict):
        return CatalogView({}, {}, {}, False)
    locations: dict[str, dict[str, Any]] = {}
    for offering in ('connect', 'dedicated'):
        for name, location in _named(_mapping(snapshot.get('locations')).get(offering), 'name').items():
            merged = locations.setdefault(name, dict(location, offerings=[]))
            merged['offerings'].append(offering)
    routers = {
        location: {name: _strings(router.get('capabilities')) for name, router in _named(found, 'router_name').items()}
        for location, found in _mapping(snapshot.get('routers')).items()
        if isinstance(location, str)
    }
    return CatalogView(locations, _named(snapshot.get('ports'), 'id'), routers, True)


def _letters(name: str) -> str:
    """The letters a location name starts with (dal10: dal)."""
    return re.sub(r'[^a-z].*$', '', name, flags=re.DOTALL) or name


def market_of(location: str, view: CatalogView) -> str:
    """The market of a location: the catalog's ``market`` (IBM's LocationOutput), else that of a catalog location
    whose name starts with the same letters (dal13 with dal10), else those letters (dal10, dal12, dal13: dal)."""
    for name in [location] + sorted(view.locations):
        market = view.locations.get(name, {}).get('market')
        if isinstance(market, str) and market and (name == location or _letters(name) == _letters(location)):
            return market
    return _letters(location)


def placement(gateway: dict[str, Any], view: CatalogView) -> Placement:
    """A gateway's placement; a connect gateway's attachment is its provider port (IBM does not publish the XCR)."""
    location = gateway['location_name']
    if gateway['type'] == 'connect':
        port_id = gateway.get('port') or ''
        port = view.ports.get(port_id, {})
        label = port.get('label') or port_id or 'an unknown port'
        provider = port.get('provider_name') or 'an unknown provider'
        return Placement(gateway['name'], 'connect', location, market_of(location, view), f'port:{port_id}', f'port {label} ({provider})', provider)
    router = gateway.get('cross_connect_router') or ''
    return Placement(
        gateway['name'],
        'dedicated',
        location,
        market_of(location, view),
        f'xcr:{router}',
        router or 'an unknown XCR',
        gateway.get('carrier_name') or 'an unknown carrier',
    )


def network_key(vc: dict[str, Any]) -> str:
    """The network a virtual connection reaches: ``classic``, ``vpc:CRN`` or ``transit:CRN``."""
    if vc['type'] == 'classic':
        return 'classic'
    return f"{vc['type']}:{vc.get('network_id') or vc['name']}"


def network_text(key: str) -> str:
    """A network in words: the classic infrastructure, or a VPC or transit gateway by id and region."""
    if key == 'classic':
        return 'the classic infrastructure'
    kind, _sep, crn = key.partition(':')
    parts = crn.split(':')
    what = 'VPC' if kind == 'vpc' else 'transit gateway'
    if len(parts) > 9:
        return f'{what} {parts[9]} ({parts[5]})'
    return f'{what} {crn}'


def network_region(key: str) -> Optional[str]:
    """The region in a network's CRN (None for the classic infrastructure)."""
    parts = key.partition(':')[2].split(':')
    return parts[5] if key != 'classic' and len(parts) > 5 and parts[5] else None


def reached(gateway: dict[str, Any]) -> set[str]:
    """The networks a gateway carries traffic to (its virtual connections that are attached)."""
    return {network_key(vc) for vc in gateway.get('virtual_connections') or [] if (vc.get('read_only') or {}).get('status') in REACHING_VC_STATUSES}


def waiting(gateway: dict[str, Any]) -> dict[str, str]:
    """The networks a gateway has a virtual connection to that carries no traffic, with its status."""
    return {
        network_key(vc): str((vc.get('read_only') or {}).get('status'))
        for vc in gateway.get('virtual_connections') or []
        if (vc.get('read_only') or {}).get('status') not in REACHING_VC_STATUSES
    }


def gateway_status(gateway: dict[str, Any]) -> Optional[str]:
    """The operational status, when known (the live account; a backup does not record it)."""
    return (gateway.get('read_only') or {}).get('operational_status')


def protected_paths(gateways: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Gateways grouped into protected paths: the same customer ASN, linked by shared networks (gateways that reach
    no network are grouped by ASN). Each path sorted by name; paths sorted by ASN and first name."""
    by_asn: dict[int, list[dict[str, Any]]] = {}
    for gateway in gateways:
        by_asn.setdefault(gateway['bgp_asn'], []).append(gateway)
    paths = []
    for members in by_asn.values():
        paths += _linked(members)
    return sorted(paths, key=lambda path: (path[0]['bgp_asn'], path[0]['name']))


def _root(parent: list[int], index: int) -> int:
    while parent[index] != index:
        index = parent[index]
    return index


def _linked(members: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Gateways linked by the networks they share (union-find), each group sorted by name."""
    parent = list(range(len(members)))
    first_by_network: dict[str, int] = {}
    for index, gateway in enumerate(members):
        for key in sorted(reached(gateway) | set(waiting(gateway))) or ['']:
            other = first_by_network.setdefault(key, index)
            parent[_root(parent, index)] = _root(parent, other)
    grouped: dict[int, list[dict[str, Any]]] = {}
    for index, gateway in enumerate(members):
        grouped.setdefault(_root(parent, index), []).append(gateway)
    return [sorted(group, key=lambda gateway: gateway['name']) for group in grouped.values()]


def diversity_level(placements: list[Placement]) -> str:
    """The coarsest failure domain the gateways do not all share."""
    if len(placements) < 2:
        return 'single_gateway'
    for level, attribute in (('separate_markets', 'market'), ('separate_pops_same_market', 'location'), ('separate_xcrs_same_pop', 'attachment')):
        if len({getattr(item, attribute) for item in placements}) > 1:
            return level
    return 'same_xcr'


def prepend_lengths(gateway: Mapping[str, Any]) -> dict[str, int]:
    """Per direction, the AS-prepend length that applies to every prefix (0 without one)."""
    lengths = {}
    for direction, policy in DIRECTIONS.items():
        lengths[direction] = max(
            (item['length'] for item in gateway.get('as_prepends') or [] if item['policy'] == policy and not item.get('specific_prefixes')), default=0
        )
    return lengths


def prefix_prepends(gateway: dict[str, Any]) -> list[str]:
    """AS prepends limited to some prefixes, in words (they steer only those prefixes; not rated)."""
    return [
        f"{item['policy']} ×{item['length']} for {', '.join(item['specific_prefixes'])}"
        for item in gateway.get('as_prepends') or []
        if item.get('specific_prefixes')
    ]


def preferred(gateways: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per direction, the gateways with the shortest AS path (more than one: ECMP)."""
    result = {}
    for direction in DIRECTIONS:
        lengths = {gateway['name']: prepend_lengths(gateway)[direction] for gateway in gateways}
        shortest = min(lengths.values(), default=0)
        result[direction] = sorted(name for name, length in lengths.items() if length == shortest)
    return result


def primaries(gateways: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gateways that carry traffic while all are up: the shortest AS path in both directions together."""
    totals = {gateway['name']: sum(prepend_lengths(gateway).values()) for gateway in gateways}
    shortest = min(totals.values(), default=0)
    return [gateway for gateway in gateways if totals[gateway['name']] == shortest]


def _filter_matches(item: dict[str, Any], prefix: Any) -> bool:
    """Whether a route filter matches a prefix: inside its prefix, with a length between ge and le (neither: the
    exact length; ge alone: up to the longest; le alone: from the filter's own length)."""
    try:
        network = ipaddress.ip_network(item['prefix'], strict=False)
    except ValueError:
        return False
    if network.version != prefix.version or not prefix.subnet_of(network):
        return False
    low = item.get('ge') or network.prefixlen
    high = item.get('le') or (network.max_prefixlen if item.get('ge') else network.prefixlen)
    return low <= prefix.prefixlen <= high


def filter_action(filters: list[dict[str, Any]], default: Optional[str], prefix: Any) -> str:
    """What a route filter list does with a prefix: the first matching filter's action, else the default."""
    for item in filters:
        if _filter_matches(item, prefix):
            return item['action']
    return default or 'permit'


def dropped_prefixes(primary: dict[str, Any], backup: dict[str, Any], policy: str) -> list[str]:
    """Prefixes the primary's route filters of ``policy`` permit and the backup's deny (each permit filter is tried
    at its shortest length), plus ``routes no filter matches`` when only the primary's default permits."""
    filters, default = primary.get(f'{policy}_route_filters') or [], primary.get(f'default_{policy}_route_filter')
    other, other_default = backup.get(f'{policy}_route_filters') or [], backup.get(f'default_{policy}_route_filter')
    if (filters, default or 'permit') == (other, other_default or 'permit'):
        return []
    dropped = []
    for item in filters:
        if item['action'] != 'permit':
            continue
        try:
            network = ipaddress.ip_network(item['prefix'], strict=False)
            prefix = next(network.subnets(new_prefix=min(item['ge'], network.max_prefixlen))) if item.get('ge') else network
        except ValueError:
            continue
        if filter_action(filters, default, prefix) == 'permit' and filter_action(other, other_default, prefix) == 'deny':
            dropped.append(str(prefix))
    if (default or 'permit') == 'permit' and other_default == 'deny':
        dropped.append('routes no filter matches')
    return dropped


def macsec_policy(gateway: dict[str, Any]) -> str:
    """``must_secure`` or ``should_secure`` when MACsec is active, else ``none``."""
    macsec = gateway.get('macsec') or {}
    return (macsec.get('security_policy') or 'none') if macsec.get('active') else 'none'


def names(gateways: Iterable[dict[str, Any]]) -> tuple[str, ...]:
    """The gateways' names, sorted."""
    return tuple(sorted(gateway['name'] for gateway in gateways))


def _listing(items: Iterable[str]) -> str:
    return ', '.join(sorted(items))


# ---------------------------------------------------------------------------------------------------- fixes


def _offered(location: dict[str, Any], offering: str) -> str:
    """``; connect only`` when a location does not offer ``offering``."""
    return '' if offering in location.get('offerings', []) else f"; {'/'.join(location.get('offerings', []))} only"


def _router_choices(view: CatalogView, location: str, gateway: dict[str, Any], used: set[str]) -> list[str]:
    """Routers of a dedicated location the gateway is not on, MACsec-capable ones only when it uses MACsec."""
    secure = macsec_policy(gateway) != 'none'
    return sorted(
        name for name, capabilities in view.routers.get(location, {}).items() if f'xcr:{name}' not in used and (not secure or 'macsec' in capabilities)
    )


def same_pop_fix(place: Placement, gateway: dict[str, Any], view: CatalogView, used: set[str]) -> Optional[str]:
    """Another XCR (dedicated) or provider port (connect, another provider's first) at the gateway's PoP."""
    if not view.known:
        return f'order a second gateway on another XCR or provider port at {place.location}'
    if place.type == 'dedicated':
        routers = _router_choices(view, place.location, gateway, used)
        return f'order a second gateway on {routers[0]}' if routers else None
    ports = sorted(
        (port for port in view.ports.values() if port.get('location_name') == place.location and f"port:{port['id']}" not in used),
        key=lambda port: (port.get('provider_name') == place.provider, str(port.get('label'))),
    )
    if not ports:
        return None
    port = ports[0]
    return f"order a second gateway on {port.get('provider_name')}'s port {port.get('label')} at {place.location}"


def _standby_router(view: CatalogView, location: str, gateway: dict[str, Any]) -> str:
    routers = _router_choices(view, location, gateway, set()) if gateway['type'] == 'dedicated' else []
    return f' on {routers[0]}' if routers else ''


def _open_locations(view: CatalogView, exclude: set[str]) -> list[dict[str, Any]]:
    return [location for name, location in sorted(view.locations.items()) if name not in exclude and location.get('provision_enabled', True) is not False]


def other_pop_fix(place: Placement, gateway: dict[str, Any], view: CatalogView, used_locations: set[str]) -> Optional[str]:
    """A standby in another PoP of the same market (one offering the gateway's type first)."""
    if not view.known:
        return f'add a standby in another PoP of the {place.market} market'
    candidates = sorted(
        (location for location in _open_locations(view, used_locations) if market_of(location['name'], view) == place.market),
        key=lambda location: place.type not in location['offerings'],
    )
    if not candidates:
        return None
    name = candidates[0]['name']
    return f'add a standby in {name}{_standby_router(view, name, gateway)} (another PoP of the {place.market} market{_offered(candidates[0], place.type)})'


def other_market_fix(place: Placement, gateway: dict[str, Any], view: CatalogView, used_markets: set[str]) -> str:
    """A standby in another market (the same geography and offering first), with global routing."""
    geography = view.locations.get(place.location, {}).get('market_geography')
    candidates = sorted(
        (location for location in _open_locations(view, set()) if market_of(location['name'], view) not in used_markets),
        key=lambda location: (location.get('market_geography') != geography, place.type not in location['offerings']),
    )
    if not candidates:
        return 'add a standby in another market, with global routing'
    location = candidates[0]
    return (
        f"add a standby in {location['name']}{_standby_router(view, location['name'], gateway)} "
        f"(the {market_of(location['name'], view)} market{_offered(location, place.type)}), with global routing"
    )


def _either(*fixes: Optional[str]) -> str:
    """The first fixes that exist, joined: 'a, or better b'."""
    found = [fix for fix in fixes if fix]
    return ', or better '.join(found[:2])


# ---------------------------------------------------------------------------------------------------- checks


def placement_findings(level: str, gateways: list[dict[str, Any]], places: list[Placement], view: CatalogView) -> list[Finding]:
    """The failure domain every gateway of the path shares, and what adds diversity."""
    first, place = gateways[0], places[0]
    used = {item.attachment for item in places}
    locations, markets = {item.location for item in places}, {item.market for item in places}
    market_fix = other_market_fix(place, first, view, markets)
    pop_fix = other_pop_fix(place, first, view, locations)
    gateway_names = names(gateways)
    networks = _listing(network_text(key) for key in set().union(*(reached(g) for g in gateways))) or 'no network yet'
    if level == 'single_gateway':
        return [
            Finding(
                'spof',
                'placement',
                gateway_names,
                f"{place.gateway} is the only gateway to {networks} (ASN {first['bgp_asn']}): a failure of "
                f'{place.attachment_text} at {place.location}, of the PoP or of the gateway cuts them off',
                _either(same_pop_fix(place, first, view, used), pop_fix or market_fix),
            )
        ]
    if level == 'same_xcr':
        return [
            Finding(
                'spof',
                'placement',
                gateway_names,
                f'every gateway of the path ({_listing(gateway_names)}) is on {place.attachment_text} at '
                f'{place.location}: Direct Link is not redundant at the XCR, one failure there takes every path',
                _either(same_pop_fix(place, first, view, used), pop_fix or market_fix),
            )
        ]
    found = []
    if level == 'separate_xcrs_same_pop':
        found.append(
            Finding(
                'warning',
                'placement',
                gateway_names,
                f'every gateway of the path is in {place.location}: a failure of the PoP takes every path',
                pop_fix or market_fix,
            )
        )
        ports = sorted(item.attachment_text for item in places if item.type == 'connect')
        if ports:
            found.append(
                Finding(
                    'warning',
                    'placement',
                    gateway_names,
                    f"IBM does not publish which XCR a provider port lands on: {', '.join(ports)} may share an XCR with the other gateways of the path",
                    'ask the provider to confirm that the ports land on separate XCRs',
                )
            )
    elif level == 'separate_pops_same_market':
        found.append(
            Finding(
                'warning',
                'placement',
                gateway_names,
                f"every gateway of the path is in the {place.market} market ({_listing(locations)}): a "
                'failure of the market takes every path (IBM: a highly available connection needs a '
                'redundant connection in a second region)',
                market_fix,
            )
        )
    return found


def provider_findings(places: list[Placement], view: CatalogView) -> list[Finding]:
    """One provider for every path of a connect-only path."""
    providers = {item.provider for item in places}
    if len(places) < 2 or any(item.type != 'connect' for item in places) or len(providers) != 1 or not view.known:
        return []
    provider = next(iter(providers))
    others = sorted(
        {str(port.get('provider_name')) for port in view.ports.values() if port.get('location_name') in {item.location for item in places}} - providers
    )
    fix = f"order one of the gateways through another provider ({', '.join(others)})" if others else 'order one of the gateways through another provider'
    return [
        Finding(
            'warning',
            'provider',
            tuple(item.gateway for item in places),
            f'every gateway of the path goes through {provider}: an outage at the provider takes every path',
            fix,
        )
    ]


def coverage_findings(working: list[dict[str, Any]]) -> list[Finding]:
    """Networks of a path with several gateways that only one gateway reaches."""
    found = []
    for key in sorted(sole_networks(working)):
        reaching = [gateway for gateway in working if key in reached(gateway)]
        others = [gateway for gateway in working if gateway is not reaching[0]]
        pending = [f"{gateway['name']}'s is {waiting(gateway)[key]}" for gateway in others if key in waiting(gateway)]
        note = f" (the virtual connection of {'; '.join(pending)})" if pending else ''
        found.append(
            Finding(
                'spof',
                'networks',
                (reaching[0]['name'],),
                f"{network_text(key)} is reached only through {reaching[0]['name']}{note}",
                f'add a virtual connection to {network_text(key)} on {_listing(names(others))}',
            )
        )
    return found


def sole_networks(working: list[dict[str, Any]]) -> set[str]:
    """The networks only one of the gateways reaches."""
    return {key for key in set().union(*(reached(gateway) for gateway in working)) if sum(1 for gateway in working if key in reached(gateway)) == 1}


def takeover_findings(primary: dict[str, Any], backup: dict[str, Any], sole: set[str]) -> list[Finding]:
    """What stops ``backup`` from carrying ``primary``'s traffic: networks (``sole``, those only one gateway reaches,
    are single points of failure, reported by coverage_findings), speed, route filters."""
    pair = (primary['name'], backup['name'])
    found = []
    for key in sorted(reached(primary) - reached(backup) - sole):
        found.append(
            Finding(
                'gap',
                'networks',
                pair,
                f"{backup['name']} does not reach {network_text(key)}, which {primary['name']} reaches",
                f"add a virtual connection to {network_text(key)} on {backup['name']}",
            )
        )
    if backup['speed_mbps'] < primary['speed_mbps']:
        found.append(
            Finding(
                'gap',
                'speed',
                pair,
                f"{backup['name']} ({backup['speed_mbps']} Mbps) cannot carry the traffic of {primary['name']} ({primary['speed_mbps']} Mbps)",
                f"raise the speed_mbps of {backup['name']} to {primary['speed_mbps']}",
            )
        )
    for policy in ('export', 'import'):
        dropped = dropped_prefixes(primary, backup, policy)
        if dropped:
            found.append(
                Finding(
                    'gap',
                    'route_filters',
                    pair,
                    f"{backup['name']}'s {policy} route filters deny what {primary['name']}'s permit: {', '.join(dropped)}",
                    f"give {backup['name']} the {policy} route filters and default of {primary['name']}",
                )
            )
    return found


def _same_everywhere(working: list[dict[str, Any]], value: Any, check: str, what: str, fix: str) -> list[Finding]:
    values = {gateway['name']: value(gateway) for gateway in working}
    if len(set(values.values())) < 2:
        return []
    text = ', '.join(f'{name} {setting}' for name, setting in sorted(values.items()))
    return [Finding('gap', check, names(working), f'{what} differs between the gateways of the path: {text}', fix)]


def consistency_findings(working: list[dict[str, Any]]) -> list[Finding]:
    """BFD on every gateway or on none; the same MACsec policy everywhere."""
    return _same_everywhere(
        working,
        lambda gateway: 'on' if gateway.get('bfd_config') else 'off',
        'bfd',
        'BFD',
        'configure bfd_config on every gateway of the path, or on none, so that a failure is detected alike on each path',
    ) + _same_everywhere(
        working,
        macsec_policy,
        'macsec',
        'the MACsec policy',
        'give every gateway the same MACsec policy (MACsec is set when a dedicated gateway is '
        'created, on a MACsec-capable XCR), or traffic fails over to a path secured differently',
    )


def _standby_candidate(gateways: list[dict[str, Any]]) -> dict[str, Any]:
    """The gateway a prepend should make the standby: the slowest, then the last by name."""
    return sorted(gateways, key=lambda gateway: (-gateway['speed_mbps'], gateway['name']))[-1]


def preference_findings(working: list[dict[str, Any]], winners: dict[str, list[str]]) -> list[Finding]:
    """ECMP, weak AS-prepend differences and paths that win in one direction only."""
    found = []
    for direction, policy in DIRECTIONS.items():
        best = winners[direction]
        if len(best) > 1:
            standby = _standby_candidate([gateway for gateway in working if gateway['name'] in best])
            found.append(
                Finding(
                    'warning',
                    'path_preference',
                    tuple(best),
                    f"ECMP for {DIRECTION_TEXT[direction]}: {_listing(best)} have equal AS paths; ECMP "
                    'alone is not redundancy (past the XCRs only one link is used)',
                    f"prepend {MIN_PREPEND} or more on the backup path: as_prepends [{{length: {MIN_PREPEND}, policy: {policy}}}] on {standby['name']}",
                )
            )
            continue
        lengths = sorted(prepend_lengths(gateway)[direction] for gateway in working)
        if lengths[1] - lengths[0] < MIN_PREPEND:
            found.append(
                Finding(
                    'warning',
                    'path_preference',
                    names(working),
                    f"{best[0]} wins {DIRECTION_TEXT[direction]} by {lengths[1] - lengths[0]} AS "
                    f'prepend(s) only; IBM advises {MIN_PREPEND} or more on the backup path',
                    f'make the {policy} AS prepend of the backup path {lengths[0] + MIN_PREPEND} or more',
                )
            )
    if winners['to_ibm'] != winners['from_ibm'] and len(winners['to_ibm']) == len(winners['from_ibm']) == 1:
        found.append(
            Finding(
                'warning',
                'path_preference',
                tuple(winners['to_ibm'] + winners['from_ibm']),
                f"asymmetric paths: {DIRECTION_TEXT['to_ibm']} takes {winners['to_ibm'][0]}, {DIRECTION_TEXT['from_ibm']} takes {winners['from_ibm'][0]}",
                'prepend the export and import policies of the same gateway',
            )
        )
    return found


def routing_findings(gateway: dict[str, Any], view: CatalogView) -> list[Finding]:
    """Networks in another region than the gateway's location, reached with local routing."""
    region = view.locations.get(gateway['location_name'], {}).get('vpc_region')
    if gateway.get('global') or not isinstance(region, str):
        return []
    far = sorted(key for key in reached(gateway) | set(waiting(gateway)) if network_region(key) not in (None, region))
    if not far:
        return []
    return [
        Finding(
            'gap',
            'global_routing',
            (gateway['name'],),
            f"{gateway['name']} in {gateway['location_name']} ({region}) has local routing but reaches {_listing(network_text(key) for key in far)}",
            f"set global: true on {gateway['name']} (a non-disruptive change)",
        )
    ]


def status_findings(gateways: list[dict[str, Any]]) -> list[Finding]:
    """Gateways that carry no traffic yet (or any more)."""
    return [
        Finding(
            'gap',
            'status',
            (gateway['name'],),
            f"{gateway['name']} is {gateway_status(gateway)}: it protects nothing until it is provisioned",
            f"complete the provisioning of {gateway['name']} (LOA and cross-connect, or the provider's order)",
        )
        for gateway in gateways
        if gateway_status(gateway) not in WORKING_STATUSES
    ]


# ---------------------------------------------------------------------------------------------------- the report


def _gateway_entry(gateway: dict[str, Any], place: Placement) -> dict[str, Any]:
    return {
        'name': gateway['name'],
        'type': gateway['type'],
        'location': place.location,
        'market': place.market,
        'attachment': place.attachment_text,
        'provider': place.provider,
        'speed_mbps': gateway['speed_mbps'],
        'status': gateway_status(gateway) or 'unknown',
        'global': bool(gateway.get('global')),
        'bfd': bool(gateway.get('bfd_config')),
        'macsec': macsec_policy(gateway),
        'prepend_lengths': prepend_lengths(gateway),
        'prefix_as_prepends': prefix_prepends(gateway),
        'networks': sorted(reached(gateway)),
        'waiting_networks': waiting(gateway),
    }


def rate_path(path: list[dict[str, Any]], view: CatalogView) -> dict[str, Any]:
    """One protected path: its gateways, networks, diversity level, preferred gateways and findings."""
    working = [gateway for gateway in path if gateway_status(gateway) in WORKING_STATUSES] or path
    places = [placement(gateway, view) for gateway in working]
    level = diversity_level(places)
    winners = preferred(working)
    findings = placement_findings(level, working, places, view) + status_findings(path)
    if len(working) > 1:
        findings += provider_findings(places, view) + coverage_findings(working)
        sole = sole_networks(working)
        findings += [
            finding for primary in primaries(working) for backup in working if backup is not primary for finding in takeover_findings(primary, backup, sole)
        ]
        findings += consistency_findings(working) + preference_findings(working, winners)
    findings += [finding for gateway in working for finding in routing_findings(gateway, view)]
    findings.sort(key=lambda finding: (SEVERITIES.index(finding.severity), CHECKS.index(finding.check)))
    everything = set().union(*(reached(gateway) | set(waiting(gateway)) for gateway in path))
    all_places = {gateway['name']: placement(gateway, view) for gateway in path}
    return {
        'id': f"AS{path[0]['bgp_asn']}/{path[0]['name']}",
        'bgp_asn': path[0]['bgp_asn'],
        'level': level,
        'level_text': LEVEL_TEXT[level],
        'level_rank': LEVELS.index(level),
        'gateways': [_gateway_entry(gateway, all_places[gateway['name']]) for gateway in path],
        'networks': [{'key': key, 'text': network_text(key)} for key in sorted(everything)],
        'preferred': winners,
        'ecmp': len(working) > 1 and any(len(best) > 1 for best in winners.values()),
        'findings': [finding.as_dict() for finding in findings],
    }


def counts(findings: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Findings by severity."""
    found = list(findings)
    return {severity: sum(1 for finding in found if finding['severity'] == severity) for severity in SEVERITIES}


def worst(findings: Iterable[dict[str, Any]]) -> str:
    """The report's status: the worst severity found, or ``clean``."""
    found = {finding['severity'] for finding in findings}
    return next((severity for severity in SEVERITIES if severity in found), 'clean')


def audit(gateways: list[dict[str, Any]], view: CatalogView, source: dict[str, Any]) -> dict[str, Any]:
    """The audit report document (``docs/schemas/audit-report.schema.json``) of an account's own gateways, as
    gateway_info or a backup gives them; ``source`` says where they come from (kind, account, endpoint or backup
    directory, catalog)."""
    paths = [rate_path(path, view) for path in protected_paths(gateways)]
    notes = []
    if not view.known:
        notes.append(
            'no catalog: markets come from the location names (dal10 and dal12: dal), provider ports are '
            'known by id only, and the fixes name no XCR, port or location'
        )
    if not gateways:
        notes.append('the account has no gateway of its own')
    everything = [finding for path in paths for finding in path['findings']]
    levels = {level: sum(1 for path in paths if path['level'] == level) for level in LEVELS}
    return {
        'schema_version': SCHEMA_VERSION,
        'kind': 'audit',
        'status': worst(everything),
        'source': source,
        'summary': {'paths': len(paths), 'gateways': len(gateways), 'findings': counts(everything), 'levels': levels},
        'paths': paths,
        'notes': notes,
    }


def breaches(report: dict[str, Any], fail_on: str) -> list[str]:
    """The findings at or above ``fail_on`` (``never``: none), one line each with its fix."""
    if fail_on == 'never':
        return []
    worst = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    return [
        f"{finding['severity']}: {finding['message']} (fix: {finding['fix']})"
        for path in report['paths']
        for finding in path['findings']
        if finding['severity'] in worst
    ]


def summary(report: dict[str, Any], path: str) -> dict[str, Any]:
    """What the audit playbook publishes with set_stats (``cloud_dr_audit``): status, counts, levels, every single
    point of failure with its fix, and the report files (empty when none was written)."""
    spofs = [
        {'path': item['id'], 'message': finding['message'], 'fix': finding['fix']}
        for item in report['paths']
        for finding in item['findings']
        if finding['severity'] == 'spof'
    ]
    return dict(
        report['summary'],
        schema_version=SCHEMA_VERSION,
        status=report['status'],
        single_points_of_failure=spofs,
        report=path,
        report_json=json_path(path) if path else '',
    )


def table(report: dict[str, Any]) -> list[str]:
    """A short fixed-width table for the terminal, one line per protected path."""
    lines = [f"{'protected path':40} {'level':28} {'spof':>4} {'gap':>4} {'warn':>4}"]
    for path in report['paths']:
        found = counts(path['findings'])
        lines.append(f"{path['id'][:40]:40} {path['level_text']:28} {found['spof']:>4} {found['gap']:>4} {found['warning']:>4}")
    return lines


def _cell(text: Any) -> str:
    """Text for a Markdown table cell (no pipes, no newlines)."""
    return ' '.join(str(text).replace('|', '\\|').split())


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: the paths and their levels, every single point of failure with its fix, then each
    path's gateways, preferred paths and findings."""
    source = report['source']
    where = (
        f"backup {source.get('backup_dir')}"
        if source.get('kind') == 'backup'
        else f"account {source.get('account_id') or '?'} at {source.get('endpoint') or '?'}"
    )
    found = report['summary']['findings']
    out = [
        '# Direct Link redundancy audit',
        '',
        f"Source: {_cell(where)}; catalog: {source.get('catalog')}.",
        '',
        f"{report['summary']['paths']} protected path(s), {report['summary']['gateways']} gateway(s): "
        f"**{found['spof']} single point(s) of failure**, {found['gap']} gap(s), {found['warning']} warning(s).",
        '',
        '| protected path | level | gateways | spof | gap | warning |',
        '|---|---|---|---|---|---|',
    ]
    for path in report['paths']:
        path_counts = counts(path['findings'])
        out.append(
            f"| {_cell(path['id'])} | {path['level_text']} | "
            f"{_cell(', '.join(gateway['name'] for gateway in path['gateways']))} | {path_counts['spof']} | "
            f"{path_counts['gap']} | {path_counts['warning']} |"
        )
    spofs = [finding for path in report['paths'] for finding in path['findings'] if finding['severity'] == 'spof']
    out += ['', '## Single points of failure', '']
    out += [f"- {_cell(finding['message'])}. **Fix:** {_cell(finding['fix'])}." for finding in spofs] or ['None.']
    for path in report['paths']:
        out += [
            '',
            f"## {_cell(path['id'])}: {path['level_text']}",
            '',
            '| gateway | type | location | market | attachment | speed | status | global | BFD | MACsec | prepends export/import |',
            '|---|---|---|---|---|---|---|---|---|---|---|',
        ]
        for gateway in path['gateways']:
            out.append(
                f"| {_cell(gateway['name'])} | {gateway['type']} | {_cell(gateway['location'])} | "
                f"{_cell(gateway['market'])} | {_cell(gateway['attachment'])} | {gateway['speed_mbps']} Mbps | "
                f"{_cell(gateway['status'])} | {'yes' if gateway['global'] else 'no'} | "
                f"{'on' if gateway['bfd'] else 'off'} | {_cell(gateway['macsec'])} | "
                f"{gateway['prepend_lengths']['to_ibm']}/{gateway['prepend_lengths']['from_ibm']} |"
            )
        out += ['', 'Networks: ' + (_cell(', '.join(network['text'] for network in path['networks'])) or 'none') + '.']
        if len(path['gateways']) > 1:
            out.append(
                f"Preferred: {DIRECTION_TEXT['to_ibm']} {_cell(', '.join(path['preferred']['to_ibm']))}; "
                f"{DIRECTION_TEXT['from_ibm']} {_cell(', '.join(path['preferred']['from_ibm']))}" + (' (ECMP)' if path['ecmp'] else '') + '.'
            )
        out += [''] + [
            f"- **{finding['severity']}** ({finding['check']}): {_cell(finding['message'])}. Fix: {_cell(finding['fix'])}." for finding in path['findings']
        ]
    if report['notes']:
        out += ['', '## Notes', ''] + [f'- {_cell(note)}' for note in report['notes']]
    return '\n'.join(out).rstrip('\n') + '\n'
