# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gathering gateways with their sub-resources: one list call, then per-gateway calls on a bounded pool.

Request economy: ``1 + 3·N`` Direct Link requests for N gateways with virtual connections, route filters and AS
prepends (AS prepends come with the list response), plus 2 per MACsec gateway when MACsec is included. Transit
Gateway connections cost ``1 + T`` Transit Gateway requests (the account's ``directlink`` connections, prefix filters
included, then each of the T transit gateways they belong to), and none when no gateway is in transit mode.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api, normalize, transit_api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY, map_bounded
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError

INCLUDE_CHOICES = ('virtual_connections', 'route_filters', 'as_prepends', 'macsec', 'transit_connections', 'status')
DEFAULT_INCLUDE = ('virtual_connections', 'route_filters', 'as_prepends', 'macsec', 'transit_connections')
NO_ACCESS = (401, 403)


def expand_include(include):
    """The set of sub-resources asked for; ``all`` means every one."""
    include = set(include or ())
    return set(INCLUDE_CHOICES) if 'all' in include else include


def _matches(api_gateway, filters):
    return all(value is None or api_gateway.get(key) == value for key, value in filters.items())


def _fetches(api_gateway, include):
    """The (key, function, args) calls one gateway needs."""
    if api_gateway.get('cross_account'):
        return []
    gateway_id = api_gateway['id']
    calls: list[tuple[str, Callable[..., Any], tuple[Any, ...]]] = []
    if 'virtual_connections' in include:
        calls.append(('virtual_connections', api.list_virtual_connections, (gateway_id,)))
    if 'route_filters' in include:
        calls.append(('export_filters', api.list_route_filters, (gateway_id, 'export')))
        calls.append(('import_filters', api.list_route_filters, (gateway_id, 'import')))
    if 'macsec' in include and api_gateway.get('macsec'):
        calls.append(('macsec_config', api.get_macsec, (gateway_id,)))
        calls.append(('macsec_caks', api.list_macsec_caks, (gateway_id,)))
    if 'status' in include:
        calls.append(('status', api.get_gateway_status, (gateway_id,)))
    return calls


def transit_connections(transit, gateways, max_concurrency=DEFAULT_MAX_CONCURRENCY):
    """{gateway CRN: [option-shaped Transit Gateway connections]} for the transit-mode ``gateways`` (API objects)."""
    crns = {gateway['crn'] for gateway in gateways if gateway.get('connection_mode') == 'transit' and gateway.get('crn')}
    if not crns:
        return {}
    try:
        connections = [item for item in transit_api.list_direct_link_connections(transit) if item.get('network_id') in crns]
        transit_gateway_ids = sorted({item['transit_gateway']['id'] for item in connections})
        found = map_bounded(lambda tgw_id: transit_api.get_transit_gateway(transit, tgw_id), transit_gateway_ids,
                            max_concurrency)
    except DirectLinkError as error:
        if error.status_code not in NO_ACCESS:
            raise
        names = ', '.join(sorted(gateway['name'] for gateway in gateways if gateway.get('crn') in crns))
        raise dataclasses.replace(error, message=f'{error.message}. The gateways {names} are in transit mode: their Transit '
                                  'Gateway connections are read with the Transit Gateway API, which these credentials '
                                  'may not read (grant them the Viewer role on Transit Gateway, or leave '
                                  'transit_connections out of include)') from None
    by_id = {tgw_id: api_tgw or {'id': tgw_id} for tgw_id, api_tgw in zip(transit_gateway_ids, found)}
    result: dict[str, list[Any]] = {crn: [] for crn in crns}
    for item in connections:
        result[item['network_id']].append(normalize.transit_connection(item, by_id[item['transit_gateway']['id']]))
    return result


def gather_gateways(connection, include=DEFAULT_INCLUDE, filters=None, include_cross_account=False,
                    max_concurrency=DEFAULT_MAX_CONCURRENCY, transit=None):
    """Option-shaped gateways sorted by name, with the requested sub-resources fetched concurrently.

    ``transit`` is the Transit Gateway connection; without it, ``transit_connections`` is not gathered.
    """
    include = expand_include(include)
    selected = [g for g in api.list_gateways(connection)
                if (include_cross_account or not g.get('cross_account')) and _matches(g, filters or {})]
    jobs = [(index, key, function, args) for index, gateway in enumerate(selected)
            for key, function, args in _fetches(gateway, include)]
    results = map_bounded(lambda job: job[2](connection, *job[3]), jobs, max_concurrency)
    extra: list[dict[str, Any]] = [{} for _gateway in selected]
    for (index, key, _function, _args), value in zip(jobs, results):
        extra[index][key] = value[0] if key.endswith('_filters') else value
    if 'transit_connections' in include and transit is not None:
        by_crn = transit_connections(transit, [g for g in selected if not g.get('cross_account')], max_concurrency)
        for index, gateway in enumerate(selected):
            if gateway.get('crn') in by_crn:
                extra[index]['transit_connections'] = by_crn[gateway['crn']]
    gathered = [normalize.gateway(gateway, include_as_prepends='as_prepends' in include, **extra[index])
                for index, gateway in enumerate(selected)]
    return sorted(gathered, key=lambda gateway: (gateway['name'], gateway.get('id', '')))
