# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired gateway state: option spec, validation, create template, and the difference with the live gateway.

Pure functions, no API calls: the ``gateway`` module gathers what it needs and asks these what to do.
Options left unset (``None``) are never compared, so a partial desired state changes only what it names.
"""

import ipaddress
import re
from typing import Any, Optional, cast

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import gateway_fields as fields
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import normalize
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.shapes import Gateway

NAME_RE = re.compile(r'^([a-zA-Z]|[a-zA-Z][-_a-zA-Z0-9]*[a-zA-Z0-9])$')
# IBM reserves these customer ASNs (Direct Link ordering documentation). The simulator keeps its own copy on purpose:
# it stands for the service, which checks independently of the client (tests/unit/test_reserved_asns.py: they agree).
RESERVED_ASNS = frozenset((0, 13884, 23456, 36351, 64512, 64513, 65100, 65500))
RESERVED_ASN_RANGES = ((65200, 65234), (65402, 65433), (65516, 65535), (4201065000, 4201065999))
BGP_NETWORKS = tuple(ipaddress.ip_network(n) for n in ('10.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'))

# The rules below are read from the field table (gateway_fields.py).
UPDATABLE = fields.names(change=fields.UPDATE)       # a PATCH can change them
IMMUTABLE = fields.names(change=fields.FIXED)        # a different value needs a new gateway
REPLACEABLE_LISTS = fields.names(change=fields.REPLACE)
CONNECT_ONLY = fields.only_for(fields.CONNECT)
DEDICATED_ONLY = fields.only_for(fields.DEDICATED)
DEDICATED_REQUIRED = fields.DEDICATED_PLACEMENT
CREATE_REQUIRED = fields.names(create_required=True)


def asn_is_valid(asn):
    """Whether a customer BGP ASN may be used."""
    return 1 <= asn <= 4294967295 and asn not in RESERVED_ASNS and not any(lo <= asn <= hi for lo, hi in RESERVED_ASN_RANGES)


def _bgp_problems(cer, ibm):
    if (cer is None) != (ibm is None):
        return ['bgp_cer_cidr and bgp_ibm_cidr must be given together']
    if cer is None:
        return []
    try:
        cer_if, ibm_if = ipaddress.ip_interface(cer), ipaddress.ip_interface(ibm)
    except ValueError as exc:
        return [f'bgp_cer_cidr/bgp_ibm_cidr: {exc}']
    if cer_if.network != ibm_if.network or cer_if.network.prefixlen not in (30, 31) or cer_if.ip == ibm_if.ip:
        return [f'bgp_cer_cidr {cer} and bgp_ibm_cidr {ibm} must be two different addresses of one /30 or /31 network']
    if not any(cer_if.network.subnet_of(network) for network in BGP_NETWORKS  # type: ignore[arg-type]  # same version
               if network.version == cer_if.version):
        return [f'bgp_cer_cidr {cer} must be within 10.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16 or 169.254.0.0/16']
    return []


def _prefix_problems(field, prefix):
    try:
        return [], ipaddress.ip_network(prefix)
    except ValueError:
        return [f"{field}: '{prefix}' is not a network prefix (for example 10.0.0.0/8)"], None


def _filter_problems(field, items):
    problems = []
    for index, item in enumerate(items or []):
        where = f'{field}[{index}]'
        found, network = _prefix_problems(where + '.prefix', item['prefix'])
        problems += found
        if network is None:
            continue
        for bound in ('ge', 'le'):
            value = item.get(bound)
            if value and not network.prefixlen < value <= network.max_prefixlen:
                problems.append(f'{where}.{bound} is {value}: expected between {network.prefixlen + 1} and {network.max_prefixlen}')
        if item.get('ge') and item.get('le') and item['ge'] > item['le']:
            problems.append(f"{where}: ge {item['ge']} is greater than le {item['le']}")
    return problems


def validate(desired, gateway_type):
    """Every problem in a desired state, each naming the field, the value and what is expected."""
    problems = []
    name = desired.get('name')
    if name is not None and (len(name) > 63 or not NAME_RE.match(name)):
        problems.append(f"name '{name}': 1-63 letters, digits, '-' or '_', starting with a letter and not ending with "
                        "'-' or '_'")
    asn = desired.get('bgp_asn')
    if asn is not None and not asn_is_valid(asn):
        problems.append(f'bgp_asn {asn} is out of range or reserved by IBM: expected 1-4294967295 except 0, 13884, '
                        '23456, 36351, 64512, 64513, 65100, 65200-65234, 65402-65433, 65500, 65516-65535')
    problems += _bgp_problems(desired.get('bgp_cer_cidr'), desired.get('bgp_ibm_cidr'))
    vlan = desired.get('vlan')
    if vlan is not None and not 2 <= vlan <= 3967:
        problems.append(f'vlan {vlan} is out of range: expected 2-3967')
    if desired.get('speed_mbps') is not None and desired['speed_mbps'] <= 0:
        problems.append(f"speed_mbps {desired['speed_mbps']} must be positive")
    bfd = desired.get('bfd_config')
    if bfd:
        if not 300 <= bfd['interval'] <= 255000:
            problems.append(f"bfd_config.interval {bfd['interval']} is out of range: expected 300-255000 (milliseconds)")
        if bfd.get('multiplier') is not None and not 1 <= bfd['multiplier'] <= 255:
            problems.append(f"bfd_config.multiplier {bfd['multiplier']} is out of range: expected 1-255")
    key = desired.get('authentication_key')
    if key and not key.startswith('crn:'):
        problems.append(f"authentication_key '{key}' is not a CRN (crn:v1:...) of a key in Key Protect, Hyper Protect "
                        "Crypto Services or Secrets Manager")
    for field in ('export_route_filters', 'import_route_filters'):
        problems += _filter_problems(field, desired.get(field))
    for index, item in enumerate(desired.get('as_prepends') or []):
        if not 3 <= item['length'] <= 10:
            problems.append(f"as_prepends[{index}].length {item['length']} is out of range: expected 3-10")
        for prefix in item.get('specific_prefixes') or []:
            problems += _prefix_problems(f'as_prepends[{index}].specific_prefixes', prefix)[0]
    macsec = desired.get('macsec')
    if macsec:
        if macsec['sak_rekey']['mode'] == 'timer' and not 600 <= (macsec['sak_rekey'].get('interval') or 0) <= 86400:
            problems.append('macsec.sak_rekey.interval: expected 600-86400 seconds with mode timer')
        sessions = [cak['session'] for cak in macsec['caks']]
        if sessions.count('primary') != 1 or sessions.count('fallback') > 1:
            problems.append(f'macsec.caks: expected exactly one primary and at most one fallback CAK, got {sessions}')
    if gateway_type == 'connect':
        problems += [f'{field} is only for dedicated gateways (type is connect)' for field in DEDICATED_ONLY
                     if desired.get(field) is not None]
    elif gateway_type == 'dedicated':
        problems += [f'{field} is only for connect gateways (type is dedicated)' for field in CONNECT_ONLY
                     if desired.get(field) is not None]
    return problems


def missing_for_create(desired):
    """Options a new gateway of the desired type needs but were not given."""
    required = list(CREATE_REQUIRED)
    if desired.get('type') == 'connect':
        required.append('port')
    elif desired.get('type') == 'dedicated':
        required += list(DEDICATED_REQUIRED)
    return [field for field in required if desired.get(field) is None]


def canonical(field, value):
    """A value in the form the comparison uses (and normalize.py returns)."""
    if value is None:
        return None
    if field in ('export_route_filters', 'import_route_filters'):
        return [normalize.route_filter(item) for item in value]
    if field == 'as_prepends':
        return [normalize.as_prepend(item) for item in value]
    if field == 'bfd_config':
        return {'interval': value['interval'], 'multiplier': value.get('multiplier') or 3}
    if field == 'macsec':
        result = {key: value[key] for key in ('active', 'security_policy', 'window_size') if value.get(key) is not None}
        result['sak_rekey'] = {k: v for k, v in value['sak_rekey'].items() if v is not None}
        result['caks'] = sorted(({'name': c['name'], 'key': c['key'], 'session': c['session']} for c in value['caks']),
                                key=lambda cak: (cak['session'] != 'primary', cak['name']))
        return result
    return value


def create_template(desired: Gateway) -> dict[str, Any]:
    """The API template that creates the desired gateway: the field table's VALUE rows as they are, its references
    wrapped as identity objects, the structured fields through their converters (the inverse of normalize.gateway)."""
    template: dict[str, Any] = {'global': bool(desired.get('global')), 'metered': bool(desired.get('metered'))}
    for field in fields.FIELDS:
        value = desired.get(field.name)
        if value is None or field.change == fields.IDENTITY or field.name in template:
            continue
        if field.api == fields.VALUE:
            template[field.name] = value
        elif field.api == fields.REF_ID:
            template[field.name] = {'id': value}
        elif field.api == fields.REF_CRN:
            template[field.name] = {'crn': value}
    if desired['type'] == 'connect':
        template.pop('location_name', None)  # a connect gateway is placed by its port
    if desired.get('bfd_config'):
        template['bfd_config'] = canonical('bfd_config', desired['bfd_config'])
    for name in REPLACEABLE_LISTS:
        if desired.get(name):
            template[name] = canonical(name, desired.get(name))
    if desired.get('macsec'):
        macsec = canonical('macsec', desired['macsec'])
        macsec['caks'] = [{'key': {'crn': cak['key']}, 'name': cak['name'], 'session': cak['session']} for cak in macsec['caks']]
        template['macsec'] = macsec
    return template


class Difference:
    """What it takes to bring a live gateway to the desired state."""

    def __init__(self):
        self.patch = {}
        self.replace = {}
        self.immutable = []

    @property
    def changed(self):
        """Whether anything must change."""
        return bool(self.patch or self.replace)

    def actions(self):
        """Human-readable list of the changes, in the order they are made."""
        actions = [f'update {field}' for field in sorted(self.patch)]
        return actions + [f'replace {field}' for field in sorted(self.replace)]


def difference(desired: Gateway, current: Gateway) -> 'Difference':
    """Compare a desired state with the live option-shaped gateway; immutable differences are collected, not patched."""
    result = Difference()
    for field in IMMUTABLE:
        wanted = canonical(field, desired.get(field))
        if wanted is not None and wanted != canonical(field, current.get(field)):
            result.immutable.append((field, current.get(field), desired.get(field)))
    for field in UPDATABLE:
        wanted = canonical(field, desired.get(field))
        if field == 'name' and not desired.get('id'):
            continue
        have = canonical(field, current.get(field))
        if field == 'authentication_key' and wanted == '':
            if have:
                result.patch[field] = None
        elif wanted is not None and wanted != have:
            result.patch[field] = {'crn': wanted} if field == 'authentication_key' else wanted
    cer, ibm = desired.get('bgp_cer_cidr'), desired.get('bgp_ibm_cidr')
    if cer is not None and (cer, ibm) != (current.get('bgp_cer_cidr'), current.get('bgp_ibm_cidr')):
        result.patch.update({'bgp_cer_cidr': cer, 'bgp_ibm_cidr': ibm})
    for field in REPLACEABLE_LISTS:
        wanted = canonical(field, desired.get(field))
        if wanted is not None and wanted != canonical(field, current.get(field) or []):
            result.replace[field] = wanted
    return result


def immutable_message(name, differences):
    """The failure for changes the API cannot make in place."""
    parts = [f'{field} is {current!r}, desired {wanted!r}' for field, current, wanted in differences]
    return (f"Gateway '{name}' cannot be changed in place: {'; '.join(parts)}. These fields are fixed at creation: "
            'create a new gateway (for example under another name) instead; this module never replaces a gateway.')


def predicted(desired: Gateway, current: Optional[Gateway] = None) -> Gateway:
    """The option-shaped gateway expected after the change (for check mode and diff)."""
    result: dict[str, Any] = {key: value for key, value in (current or {}).items()
                              if key != 'read_only' and key not in fields.CHILD_FIELDS}
    for field, value in desired.items():
        if value is None or field == 'read_only' or field in fields.CHILD_FIELDS:
            continue
        if field == 'authentication_key' and value == '':
            result.pop(field, None)
        elif field != 'id' or current:
            result[field] = canonical(field, value)
    return cast(Gateway, result)
