# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gathering gateways with their sub-resources: one list call, then per-gateway calls on a bounded pool.

Request economy: ``1 + 3·N`` Direct Link requests for N gateways with virtual connections, route filters and AS
prepends (AS prepends come with the list response), plus 2 per MACsec gateway when MACsec is included.
"""

from collections.abc import Callable
from typing import Any

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api, normalize
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY, map_bounded

INCLUDE_CHOICES = ('virtual_connections', 'route_filters', 'as_prepends', 'macsec', 'status')
DEFAULT_INCLUDE = ('virtual_connections', 'route_filters', 'as_prepends', 'macsec')


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


def gather_gateways(connection, include=DEFAULT_INCLUDE, filters=None, include_cross_account=False, max_concurrency=DEFAULT_MAX_CONCURRENCY):
    """Option-shaped gateways sorted by name, with the requested sub-resources fetched concurrently."""
    include = expand_include(include)
    selected = [g for g in api.list_gateways(connection)
                if (include_cross_account or not g.get('cross_account')) and _matches(g, filters or {})]
    jobs = [(index, key, function, args) for index, gateway in enumerate(selected)
            for key, function, args in _fetches(gateway, include)]
    results = map_bounded(lambda job: job[2](connection, *job[3]), jobs, max_concurrency)
    extra: list[dict[str, Any]] = [{} for _gateway in selected]
    for (index, key, _function, _args), value in zip(jobs, results):
        extra[index][key] = value[0] if key.endswith('_filters') else value
    gathered = [normalize.gateway(gateway, include_as_prepends='as_prepends' in include, **extra[index])
                for index, gateway in enumerate(selected)]
    return sorted(gathered, key=lambda gateway: (gateway['name'], gateway.get('id', '')))
