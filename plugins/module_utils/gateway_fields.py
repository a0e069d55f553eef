# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateway's fields, one row each: the table that the info, state, backup and recovery code derive from.

The gateway shape (what ``gateway_info`` returns, ``gateway``/``gateways`` accept and a backup stores) has one key
per row below, named like the module option. Each row says how the field looks in the Direct Link API (``api``),
what changing it on an existing gateway takes (``change``), which offering it belongs to and whether a create needs
it. ``normalize.gateway`` (API → shape) and ``gateway_state.create_template`` (shape → API) are the one pair of
converters; the rules of ``gateway_state`` (what a PATCH may change, what needs a new gateway, what each offering
takes), the module's argument spec and the backup reader's required fields are read from here. Adding a field is a
row here, its documentation in the ``gateway`` module, and tests (see CONTRIBUTING.md).
"""

from typing import Any, NamedTuple

# How a field is carried by the API.
VALUE = 'value'      # the same value in the API object and in the shape
REF_ID = 'ref_id'    # an identity object in the API ({"id": ...}), its id in the shape
REF_CRN = 'ref_crn'  # an identity object in the API ({"crn": ...}), its CRN in the shape
OWN = 'own'          # a sub-resource or structured value with a converter of its own in normalize/gateway_state

# What changing a field on an existing gateway takes.
IDENTITY = 'identity'  # names the gateway (id), never changed
UPDATE = 'update'      # a PATCH of the gateway
REPLACE = 'replace'    # a list replaced as a whole through its own API (route filters, AS prepends)
FIXED = 'fixed'        # set at creation only: a different value needs a new gateway
CHILDREN = 'children'  # reconciled one by one (virtual connections)
BGP_PAIR = 'bgp_pair'  # the two BGP addresses: changed together, by their own rule (gateway_state.difference)

BOTH, CONNECT, DEDICATED = 'both', 'connect', 'dedicated'

ROUTE_FILTER_SPEC = dict(action=dict(type='str', required=True, choices=['permit', 'deny']),
                         prefix=dict(type='str', required=True), ge=dict(type='int'), le=dict(type='int'))
AS_PREPEND_SPEC = dict(length=dict(type='int', required=True), policy=dict(type='str', required=True, choices=['import', 'export']),
                       specific_prefixes=dict(type='list', elements='str'))
CAK_SPEC = dict(name=dict(type='str', required=True), key=dict(type='str', required=True, no_log=False),
                session=dict(type='str', required=True, choices=['primary', 'fallback']))
VC_SPEC = dict(name=dict(type='str', required=True), type=dict(type='str', required=True, choices=['classic', 'vpc', 'transit']),
               network_id=dict(type='str'), read_only=dict(type='dict'))
TRANSIT_GATEWAY_SPEC = {'id': dict(type='str'), 'name': dict(type='str'), 'location': dict(type='str'),
                        'global': dict(type='bool')}
# A Transit Gateway connection to the gateway: made from the transit gateway's side, kept with the gateway it reaches.
TRANSIT_CONNECTION_SPEC = dict(
    name=dict(type='str', required=True),
    transit_gateway=dict(type='dict', required=True, options=TRANSIT_GATEWAY_SPEC),
    prefix_filters=dict(type='list', elements='dict', options=ROUTE_FILTER_SPEC),
    prefix_filters_default=dict(type='str', choices=['permit', 'deny']),
    read_only=dict(type='dict'))
BFD_SPEC = dict(interval=dict(type='int', required=True), multiplier=dict(type='int'))
MACSEC_SPEC = dict(
    active=dict(type='bool', required=True),
    security_policy=dict(type='str', required=True, choices=['must_secure', 'should_secure']),
    sak_rekey=dict(type='dict', required=True, no_log=False, options=dict(
        mode=dict(type='str', required=True, choices=['timer', 'packet_number_rollover']), interval=dict(type='int'))),
    window_size=dict(type='int'),
    caks=dict(type='list', elements='dict', required=True, options=CAK_SPEC))
FILTER_CHOICES = ['permit', 'deny']


class Field(NamedTuple):
    """One gateway field: its option spec, API form, change rule, offering, and whether a create requires it."""

    name: str
    spec: dict
    api: str = VALUE
    change: str = FIXED
    offering: str = BOTH
    create_required: bool = False


FIELDS = (
    Field('id', dict(type='str'), change=IDENTITY),
    Field('name', dict(type='str'), change=UPDATE, create_required=True),
    Field('type', dict(type='str', choices=['connect', 'dedicated']), create_required=True),
    Field('speed_mbps', dict(type='int'), change=UPDATE, create_required=True),
    Field('global', dict(type='bool'), change=UPDATE),
    Field('metered', dict(type='bool'), change=UPDATE),
    Field('bgp_asn', dict(type='int'), change=UPDATE, create_required=True),
    Field('bgp_cer_cidr', dict(type='str'), change=BGP_PAIR),
    Field('bgp_ibm_cidr', dict(type='str'), change=BGP_PAIR),
    Field('bfd_config', dict(type='dict', options=BFD_SPEC), api=OWN, change=UPDATE),
    Field('authentication_key', dict(type='str', no_log=False), api=REF_CRN, change=UPDATE),
    Field('connection_mode', dict(type='str', choices=['direct', 'transit']), change=UPDATE),
    Field('resource_group', dict(type='str'), api=REF_ID),
    Field('default_export_route_filter', dict(type='str', choices=FILTER_CHOICES), change=UPDATE),
    Field('default_import_route_filter', dict(type='str', choices=FILTER_CHOICES), change=UPDATE),
    Field('export_route_filters', dict(type='list', elements='dict', options=ROUTE_FILTER_SPEC), api=OWN, change=REPLACE),
    Field('import_route_filters', dict(type='list', elements='dict', options=ROUTE_FILTER_SPEC), api=OWN, change=REPLACE),
    Field('as_prepends', dict(type='list', elements='dict', options=AS_PREPEND_SPEC), api=OWN, change=REPLACE),
    Field('location_name', dict(type='str'), offering=BOTH),
    Field('port', dict(type='str'), api=REF_ID, offering=CONNECT),
    Field('cross_connect_router', dict(type='str'), offering=DEDICATED),
    Field('carrier_name', dict(type='str'), offering=DEDICATED),
    Field('customer_name', dict(type='str'), offering=DEDICATED),
    Field('vlan', dict(type='int'), change=UPDATE, offering=DEDICATED),
    Field('macsec_capability', dict(type='str', choices=['non_macsec', 'macsec', 'macsec_optional']), offering=DEDICATED),
    Field('macsec', dict(type='dict', options=MACSEC_SPEC), api=OWN, offering=DEDICATED),
    Field('virtual_connections', dict(type='list', elements='dict', options=VC_SPEC), api=OWN, change=CHILDREN),
    Field('transit_connections', dict(type='list', elements='dict', options=TRANSIT_CONNECTION_SPEC), api=OWN,
          change=CHILDREN),
)

BY_NAME = {field.name: field for field in FIELDS}
# A dedicated gateway is placed by its location and router and ordered for a carrier and customer.
DEDICATED_PLACEMENT = ('location_name', 'cross_connect_router', 'carrier_name', 'customer_name')
PYTHON_TYPES = {'str': str, 'int': int, 'bool': bool, 'dict': dict, 'list': list}


def names(**criteria: Any) -> tuple[str, ...]:
    """The names of the fields whose attributes equal ``criteria`` (e.g. ``change=UPDATE``), in table order."""
    return tuple(field.name for field in FIELDS if all(getattr(field, key) == value for key, value in criteria.items()))


# Reconciled one by one after the gateway itself: never part of its create template, patch or field diff.
CHILD_FIELDS = names(change=CHILDREN)


def only_for(offering: str) -> tuple[str, ...]:
    """The fields that only gateways of ``offering`` take."""
    return names(offering=offering)


def argument_spec() -> dict:
    """The desired-state options of the ``gateway`` module (without its state/wait options), plus ``read_only``
    (the computed fields a gathered gateway carries, accepted and ignored)."""
    spec = {field.name: dict(field.spec) for field in FIELDS}
    spec['read_only'] = dict(type='dict')
    return spec


def python_type(name: str) -> type:
    """The Python type of a field's value in the gateway shape."""
    return PYTHON_TYPES[BY_NAME[name].spec['type']]
