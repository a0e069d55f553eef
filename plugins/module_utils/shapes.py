# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The records the module core passes around, typed for mypy (``make lint``).

``Gateway`` is the one gateway shape: the options of the ``gateway`` module, what ``gateway_info`` returns and what a
backup stores as a host's ``direct_link_backup.gateway``. Its keys are the rows of ``gateway_fields.FIELDS`` plus
``read_only`` (a unit test keeps the two in agreement, sub-records included); the converters of ``normalize`` (API →
shape) and ``gateway_state`` (shape → API) build it from that table, so they construct plain dicts and declare the
shape they return. Every key is optional: an absent value is omitted, never ``None``.
"""

from typing import Any, TypedDict

# The sub-records below are alike by nature (a TypedDict of a few typed keys each, as the API defines them): the
# repetition a duplicate-code finder sees among them is declarations, not logic, and is kept on purpose.


class RouteFilter(TypedDict, total=False):
    action: str
    prefix: str
    ge: int
    le: int


class AsPrepend(TypedDict, total=False):
    length: int
    policy: str
    specific_prefixes: list[str]


class Cak(TypedDict, total=False):
    name: str
    key: str
    session: str


class SakRekey(TypedDict, total=False):
    mode: str
    interval: int


class Macsec(TypedDict, total=False):
    active: bool
    security_policy: str
    sak_rekey: SakRekey
    window_size: int
    caks: list[Cak]


class Bfd(TypedDict, total=False):
    interval: int
    multiplier: int


class VirtualConnection(TypedDict, total=False):
    name: str
    type: str
    network_id: str
    read_only: dict[str, Any]


# The functional form: 'global' is a Python keyword.
TransitGatewayRef = TypedDict('TransitGatewayRef', {'id': str, 'name': str, 'location': str, 'global': bool}, total=False)


class TransitConnection(TypedDict, total=False):
    """A Transit Gateway connection to the gateway (``network_type: directlink``), its filters in their order."""
    name: str
    transit_gateway: TransitGatewayRef
    prefix_filters: list[RouteFilter]
    prefix_filters_default: str
    read_only: dict[str, Any]


Gateway = TypedDict('Gateway', {
    'id': str,
    'name': str,
    'type': str,
    'speed_mbps': int,
    'global': bool,
    'metered': bool,
    'bgp_asn': int,
    'bgp_cer_cidr': str,
    'bgp_ibm_cidr': str,
    'bfd_config': Bfd,
    'authentication_key': str,
    'connection_mode': str,
    'resource_group': str,
    'default_export_route_filter': str,
    'default_import_route_filter': str,
    'export_route_filters': list[RouteFilter],
    'import_route_filters': list[RouteFilter],
    'as_prepends': list[AsPrepend],
    'location_name': str,
    'port': str,
    'cross_connect_router': str,
    'carrier_name': str,
    'customer_name': str,
    'vlan': int,
    'macsec_capability': str,
    'macsec': Macsec,
    'virtual_connections': list[VirtualConnection],
    'transit_connections': list[TransitConnection],
    'read_only': dict[str, Any],
    # Only between a CLI export's import and the backup file, which stores it beside the gateway (BackupSection).
    'missing': list[dict[str, Any]],
}, total=False)


class BackupSection(TypedDict, total=False):
    """A host's ``direct_link_backup`` in a backup: the gateway, where it came from, and the fields a CLI export
    could not carry (``missing``: entries with ``field`` and ``reason``)."""
    schema_version: int
    host: str
    present: bool
    gateway: Gateway
    source: dict[str, Any]
    missing: list[dict[str, Any]]


class ManifestEntry(TypedDict, total=False):
    """One gateway in the manifest (``group_vars/all/direct_link_manifest.yml``)."""
    name: str
    id: str
    present: bool
    file: str
    sha256: str
