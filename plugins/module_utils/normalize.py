# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API objects → option-shaped dicts: the shape ``gateway_info`` returns and ``gateway`` accepts.

Configuration keys are named like the ``gateway`` module's options; everything the API computes is kept under
``read_only``.  Absent values are omitted (never ``None``), route filters and AS prepends keep their API order,
virtual connections and CAKs are sorted by name, so the same account always gives the same output.
See docs/architecture.md for the full shape.
"""

from typing import Any, cast

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import gateway_fields as fields
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.shapes import (
    AsPrepend,
    Bfd,
    Cak,
    Gateway,
    Macsec,
    RouteFilter,
    TransitConnection,
    TransitGatewayRef,
    VirtualConnection,
)

# Keys copied as they are, when the API reports them (the field table's VALUE rows).
SCALAR_FIELDS = fields.names(api=fields.VALUE)
# Keys turned from an identity object into its id or CRN.
IDENTITY_FIELDS = tuple((field.name, 'id' if field.api == fields.REF_ID else 'crn') for field in fields.FIELDS
                        if field.api in (fields.REF_ID, fields.REF_CRN))
MACSEC_CONFIG_FIELDS = ('active', 'security_policy', 'sak_rekey', 'window_size')
TRANSIT_READ_ONLY = ('id', 'status', 'request_status', 'network_account_id', 'created_at')


def crn_account(crn):
    """The account id inside a CRN (``crn:v1:...:a/<account>::...``), or ''."""
    parts = str(crn).split(':')
    return parts[6][2:] if len(parts) > 6 and parts[6].startswith('a/') else ''


def crn_accounts(labelled_crns):
    """{account: [labels, sorted]} of the accounts that ``(label, crn)`` pairs name (CRNs without one are skipped)."""
    accounts: dict[str, list[str]] = {}
    for label, crn in labelled_crns:
        account = crn_account(crn or '')
        if account:
            accounts.setdefault(account, []).append(label)
    return {account: sorted(labels) for account, labels in accounts.items()}


def accounts_text(accounts):
    """``crn_accounts``' result as one line: ``account: label, label; account: label``."""
    return '; '.join(f"{account}: {', '.join(labels)}" for account, labels in sorted(accounts.items()))


def route_filter(item) -> RouteFilter:
    """A route filter as an option: action, prefix, and ge/le when set."""
    result: RouteFilter = {'action': item['action'], 'prefix': item['prefix']}
    if item.get('ge'):
        result['ge'] = item['ge']
    if item.get('le'):
        result['le'] = item['le']
    return result


def as_prepend(item) -> AsPrepend:
    """An AS prepend as an option: length, policy, and specific_prefixes when set."""
    result: AsPrepend = {'length': item['length'], 'policy': item['policy']}
    prefixes = item.get('specific_prefixes') or [p for p in (item.get('prefix') or '').split(',') if p]
    if prefixes:
        result['specific_prefixes'] = list(prefixes)
    return result


def cak(item) -> Cak:
    """A MACsec CAK as an option: name, key CRN, session."""
    return {'name': item['name'], 'key': item['key']['crn'], 'session': item['session']}


def macsec(config, caks) -> Macsec:
    """The MACsec configuration of a gateway as an option."""
    result = cast(Macsec, {key: config[key] for key in MACSEC_CONFIG_FIELDS if config.get(key) is not None})
    result['caks'] = sorted((cak(item) for item in caks), key=lambda item: (item['session'] != 'primary', item['name']))
    return result


def virtual_connection(item) -> VirtualConnection:
    """A virtual connection as an option, its computed fields under ``read_only``."""
    result: VirtualConnection = {'name': item['name'], 'type': item['type']}
    if item.get('network_id'):
        result['network_id'] = item['network_id']
    result['read_only'] = {key: item[key] for key in ('id', 'status', 'created_at', 'network_account') if key in item}
    return result


def transit_gateway_ref(api_transit_gateway) -> TransitGatewayRef:
    """Where a Transit Gateway connection was: the transit gateway's id, name, location and routing scope."""
    return cast(TransitGatewayRef, {key: api_transit_gateway[key] for key in ('id', 'name', 'location', 'global')
                                    if api_transit_gateway.get(key) is not None})


def transit_connection(api_connection, api_transit_gateway) -> TransitConnection:
    """A Transit Gateway ``directlink`` connection as an option: its transit gateway, its prefix filters in their
    order (the API lists them in the order they apply), the default; the computed fields under ``read_only``."""
    result: TransitConnection = {'name': api_connection['name'],
                                 'transit_gateway': transit_gateway_ref(api_transit_gateway),
                                 'prefix_filters': [route_filter(item) for item in api_connection.get('prefix_filters') or []]}
    if api_connection.get('prefix_filters_default'):
        result['prefix_filters_default'] = api_connection['prefix_filters_default']
    result['read_only'] = {key: api_connection[key] for key in TRANSIT_READ_ONLY if api_connection.get(key) is not None}
    return result


def gateway(api_gateway, virtual_connections=None, export_filters=None, import_filters=None, macsec_config=None,
            macsec_caks=None, status=None, include_as_prepends=True, transit_connections=None) -> Gateway:
    """An API gateway (plus the sub-resources fetched for it) as an option-shaped dict.

    Sub-resource arguments left as None were not requested and are omitted from the result.
    """
    # The field table's scalar and identity rows: keys from the table, so the dict is typed once it is complete.
    values: dict[str, Any] = {key: api_gateway[key] for key in SCALAR_FIELDS if api_gateway.get(key) is not None}
    for key, attribute in IDENTITY_FIELDS:
        value = (api_gateway.get(key) or {}).get(attribute)
        if value:
            values[key] = value
    result = cast(Gateway, values)
    read_only = {key: value for key, value in api_gateway.items()
                 if key not in SCALAR_FIELDS and key not in dict(IDENTITY_FIELDS)
                 and key not in ('bfd_config', 'as_prepends', 'macsec') and value is not None}
    bfd = api_gateway.get('bfd_config')
    if bfd:
        result['bfd_config'] = cast(Bfd, {key: bfd[key] for key in ('interval', 'multiplier') if bfd.get(key) is not None})
        read_only.update({key: bfd[key] for key in ('bfd_status', 'bfd_status_updated_at') if key in bfd})
    if include_as_prepends and not api_gateway.get('cross_account'):
        result['as_prepends'] = [as_prepend(item) for item in api_gateway.get('as_prepends') or []]
    if export_filters is not None:
        result['export_route_filters'] = [route_filter(item) for item in export_filters]
    if import_filters is not None:
        result['import_route_filters'] = [route_filter(item) for item in import_filters]
    summary = api_gateway.get('macsec')
    if macsec_config is not None:
        result['macsec'] = macsec(macsec_config, macsec_caks or [])
        read_only['macsec_status'] = macsec_config.get('status')
        read_only['macsec'] = {key: value for key, value in macsec_config.items() if key not in MACSEC_CONFIG_FIELDS}
    elif summary:
        read_only['macsec'] = summary
    if virtual_connections is not None:
        result['virtual_connections'] = sorted((virtual_connection(item) for item in virtual_connections),
                                               key=lambda item: item['name'])
    if transit_connections is not None:
        result['transit_connections'] = sorted(transit_connections, key=lambda item: item['name'])
    if status is not None:
        read_only['status'] = sorted(status, key=lambda item: item['type'])
    result['read_only'] = read_only
    return result
