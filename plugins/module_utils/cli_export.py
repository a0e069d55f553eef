# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backups made with IBM's manual procedure: JSON saved with the IBM Cloud CLI, read as option-shaped gateways.

The directory holds ``gateways.json`` (``ibmcloud dl gateways --output json``) and, per gateway,
``virtual-connections-<ID>.json`` (``ibmcloud dl virtual-connections ID --output json``). What those files cannot
carry is recorded per gateway under ``missing`` (``[{field, reason}]``), so that a recovery names the gap and the
plan option that fills it instead of recreating less than there was:

* ``route_filters``: the list has no route filters (they are sub-resources of a gateway);
* ``macsec``: the list shows MACsec settings without the CAKs (and sometimes without the SAK rekey);
* ``virtual_connections``: the gateway's virtual connection file is not in the export.

Files come in the shapes the CLI wrote across versions: a bare array or a ``{"gateways": [...]}`` /
``{"virtual_connections": [...]}`` wrapper, ``OK`` lines around the JSON, a UTF-8 or UTF-16 byte order mark
(PowerShell's ``>``), the older ``macsec_config`` form. Every read is bounded in size.
"""

import codecs
import json
import os

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import normalize

GATEWAYS_FILE = 'gateways.json'
GATEWAYS_MAX_BYTES = 64 * 1024 * 1024
VCS_MAX_BYTES = 16 * 1024 * 1024
ROUTE_FILTERS_REASON = ('the IBM Cloud CLI gateway list carries no route filters (they are sub-resources of the '
                        'gateway); the gateway may have had export or import route filters')
# Fields of an exported gateway checked before conversion: field -> (expected type(s), what to say).
GATEWAY_FIELD_TYPES = {
    'id': (str, 'a string'), 'name': (str, 'a string'), 'type': (str, "'connect' or 'dedicated'"),
    'crn': (str, 'a CRN string'), 'speed_mbps': (int, 'an integer'), 'bgp_asn': (int, 'an integer'),
    'location_name': (str, 'a string'), 'global': (bool, 'true or false'), 'metered': (bool, 'true or false'),
    'vlan': (int, 'an integer'), 'port': (dict, 'a mapping with an id'), 'resource_group': (dict, 'a mapping with an id'),
    'authentication_key': (dict, 'a mapping with a crn'), 'bfd_config': (dict, 'a mapping'),
    'as_prepends': (list, 'a list'), 'macsec': (dict, 'a mapping'), 'macsec_config': (dict, 'a mapping'),
}
# Fields inside ``macsec`` / ``macsec_config`` that the conversion keeps.
MACSEC_FIELD_TYPES = {'active': (bool, 'true or false'), 'security_policy': (str, 'a string'),
                      'sak_rekey': (dict, 'a mapping with a mode'), 'window_size': (int, 'an integer'),
                      'sak_expiry_time': (int, 'an integer (seconds)')}
BFD_FIELD_TYPES = {'interval': (int, 'an integer (milliseconds)'), 'multiplier': (int, 'an integer')}
AS_PREPEND_FIELD_TYPES = {'length': (int, 'an integer'), 'policy': (str, "'import' or 'export'"),
                          'specific_prefixes': (list, 'a list of prefixes'), 'prefix': (str, 'a comma-separated string')}


class CliExportError(Exception):
    """A file of the export cannot be used; the message names the file, the gateway and the field."""


def decode(raw, path):
    """The text of a file written by a shell: UTF-8 (with or without BOM) or UTF-16 with its BOM."""
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode('utf-16')
        return raw.decode('utf-8-sig')
    except UnicodeDecodeError as exc:
        raise CliExportError(f'{path}: not UTF-8 or UTF-16 text ({exc.reason} at byte {exc.start}); save the CLI '
                             'output as a text file') from None


def _is_noise(line):
    """A line the CLI prints around its JSON (blank, or its ``OK``)."""
    return line.strip() in ('', 'OK')


def parse(text, path):
    """The JSON value in a CLI output, tolerating ``OK`` and blank lines before and after it; None when empty."""
    lines = text.splitlines()
    first = next((index for index, line in enumerate(lines) if not _is_noise(line)), None)
    if first is None:
        return None
    if not lines[first].lstrip().startswith(('[', '{')):
        raise CliExportError(f"{path}: line {first + 1} is {lines[first].strip()[:60]!r}, expected JSON (save the "
                             "output of the CLI's --output json)")
    body = '\n'.join(lines[first:])
    try:
        value, end = json.JSONDecoder().raw_decode(body.lstrip())
    except ValueError as exc:
        raise CliExportError(f'{path} is not valid JSON: {exc}') from None
    rest = body.lstrip()[end:]
    extra = next((line for line in rest.splitlines() if not _is_noise(line)), None)
    if extra is not None:
        raise CliExportError(f'{path}: unexpected text after the JSON: {extra.strip()[:60]!r}')
    return value


def read_json(path, limit):
    """The JSON value of a file at most ``limit`` bytes long; None when the file holds nothing."""
    if os.path.lexists(path) and not os.path.isfile(path):
        raise CliExportError(f'{path}: not a regular file')
    try:
        with open(path, 'rb') as stream:
            raw = stream.read(limit + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise CliExportError(f'{path}: cannot be read ({exc.strerror})') from None
    if len(raw) > limit:
        raise CliExportError(f'{path}: larger than {limit} bytes, more than any CLI export of an account holds')
    return parse(decode(raw, path), path)


def unwrap(value, key, path):
    """The list in a bare array or in a ``{key: [...]}`` wrapper; absent or null means empty."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = value.get(key)
        if value is None:
            return []
    if not isinstance(value, list):
        raise CliExportError(f'{path}: expected a list of {key.replace("_", " ")} (or {{"{key}": [...]}}), got '
                             f'{type(value).__name__}')
    return value


def _check_types(mapping, types, label):
    """Refuse the first field of ``mapping`` whose value is not of its type in ``types`` (absent or null is fine)."""
    for field, (kind, expected) in types.items():
        value = mapping.get(field)
        if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
            raise CliExportError(f'{label}{field} is {value!r}, expected {expected}')


def check_gateway(item, index, path):
    """Refuse an exported gateway whose fields do not have the types the conversion needs."""
    if not isinstance(item, dict):
        raise CliExportError(f'{path}: gateway[{index}] is {type(item).__name__}, expected a gateway mapping')
    label = f"{path}: gateway[{index}]" + (f" ({item['name']!r})" if isinstance(item.get('name'), str) else '')
    for field in ('id', 'name'):
        if not isinstance(item.get(field), str) or not item.get(field):
            raise CliExportError(f'{label}: {field} is {item.get(field)!r}, expected a non-empty string')
    _check_types(item, GATEWAY_FIELD_TYPES, f'{label}: ')
    _check_types(item.get('bfd_config') or {}, BFD_FIELD_TYPES, f'{label}: bfd_config.')
    for field in ('macsec', 'macsec_config'):
        _check_types(item.get(field) or {}, MACSEC_FIELD_TYPES, f'{label}: {field}.')
        rekey = (item.get(field) or {}).get('sak_rekey')
        if rekey is not None and not isinstance(rekey.get('mode'), str):
            raise CliExportError(f"{label}: {field}.sak_rekey is {rekey!r}, expected a mapping with a mode "
                                 "('timer' with an interval, or 'packet_number_rollover')")
    for position, prepend in enumerate(item.get('as_prepends') or []):
        if not isinstance(prepend, dict) or prepend.get('length') is None or prepend.get('policy') is None:
            raise CliExportError(f'{label}: as_prepends[{position}] is {prepend!r}, expected a mapping with length and policy')
        _check_types(prepend, AS_PREPEND_FIELD_TYPES, f'{label}: as_prepends[{position}].')
    if item.get('type') not in (None, 'connect', 'dedicated'):
        raise CliExportError(f"{label}: type is {item['type']!r}, expected 'connect' or 'dedicated'")


def check_vcs(vcs, gateway_name, path):
    """Refuse virtual connections without a name and a type."""
    for index, vc in enumerate(vcs):
        if not isinstance(vc, dict):
            raise CliExportError(f"{path}: gateway {gateway_name!r}: virtual_connections[{index}] is "
                                 f'{type(vc).__name__}, expected a mapping')
        for field in ('name', 'type'):
            if not isinstance(vc.get(field), str) or not vc.get(field):
                raise CliExportError(f"{path}: gateway {gateway_name!r}: virtual_connections[{index}].{field} is "
                                     f'{vc.get(field)!r}, expected a non-empty string')
        for field in ('status', 'network_id'):
            if vc.get(field) is not None and not isinstance(vc[field], str):
                raise CliExportError(f"{path}: gateway {gateway_name!r}: virtual connection {vc['name']!r}: {field} "
                                     f'is {vc[field]!r}, expected a string')


def macsec_setting(item):
    """(MACsec option without CAKs, what is missing) from a listed gateway; (None, None) without MACsec.

    The list shows ``macsec`` ({active, security_policy, status, ...}, sometimes sak_rekey and window_size) and
    never the CAKs; the older API showed ``macsec_config`` with the CAK key CRNs (``primary_cak``/``fallback_cak``)
    and ``sak_expiry_time`` but not the CAK names.
    """
    summary, older = item.get('macsec'), item.get('macsec_config')
    config = summary or older
    if not config:
        return None, None
    setting = {key: config[key] for key in ('active', 'security_policy', 'sak_rekey', 'window_size') if config.get(key) is not None}
    if 'sak_rekey' not in setting and isinstance(config.get('sak_expiry_time'), int):
        setting['sak_rekey'] = {'mode': 'timer', 'interval': config['sak_expiry_time']}
    state = 'active' if setting.get('active') else 'configured but inactive'
    lacking = ['the CAKs (name, key, session)'] + ([] if 'sak_rekey' in setting else ['the SAK rekey setting'])
    reason = f"MACsec was {state} ({setting.get('security_policy', 'policy unknown')}) at export time; the CLI " \
             f"gateway list does not carry {' nor '.join(lacking)}"
    keys = [f"{(config.get(session + '_cak') or {}).get('crn')} ({session})" for session in ('primary', 'fallback')
            if isinstance(config.get(session + '_cak'), dict) and (config.get(session + '_cak') or {}).get('crn')]
    if not summary and keys:
        reason += f"; the older macsec_config form names the keys {', '.join(keys)} but not the CAK names"
    return setting, {'field': 'macsec', 'reason': reason}


def convert(item, vcs, vcs_file):
    """One listed gateway and its virtual connections (None when the file is absent) as an option-shaped gateway
    with ``missing``."""
    listed = {key: value for key, value in item.items() if key not in ('macsec', 'macsec_config')}
    gateway = normalize.gateway(listed, virtual_connections=vcs)
    missing = [{'field': 'route_filters', 'reason': ROUTE_FILTERS_REASON}]
    setting, gap = macsec_setting(item)
    if setting is not None:
        gateway['macsec'] = setting
        missing.append(gap)
    if vcs is None:
        missing.append({'field': 'virtual_connections',
                        'reason': f'{vcs_file} is not in the export, so its virtual connections are unknown'})
    gateway['missing'] = sorted(missing, key=lambda entry: entry['field'])
    return gateway


def account_of_gateways(gateways, path):
    """The account every owned gateway's CRN names; a clear error when they disagree; None without CRNs."""
    accounts = normalize.crn_accounts((gateway['name'], (gateway.get('read_only') or {}).get('crn')) for gateway in gateways)
    if len(accounts) > 1:
        raise CliExportError(f'{path}: the gateways belong to different accounts ({normalize.accounts_text(accounts)}); '
                             'export one account per directory')
    return next(iter(accounts), None)


def read_cli_export(directory):
    """(option-shaped gateways, source facts) from a CLI export; gateways carry ``missing`` ([{field, reason}]).

    The source facts hold the ``account_id`` named by the owned gateways' CRNs (when any gateway has one).
    """
    path = os.path.join(directory, GATEWAYS_FILE)
    try:
        listed = unwrap(read_json(path, GATEWAYS_MAX_BYTES), 'gateways', path)
    except FileNotFoundError:
        raise CliExportError(f"{path} is missing: save it with 'ibmcloud dl gateways --output json > {GATEWAYS_FILE}'") from None
    for index, item in enumerate(listed):
        check_gateway(item, index, path)
    gateways = []
    for item in listed:
        if item.get('cross_account'):
            continue
        vcs_file = os.path.join(directory, f"virtual-connections-{item['id']}.json")
        try:
            vcs = unwrap(read_json(vcs_file, VCS_MAX_BYTES), 'virtual_connections', vcs_file)
        except FileNotFoundError:
            vcs = None
        check_vcs(vcs or [], item['name'], vcs_file)
        gateways.append(convert(item, vcs, os.path.basename(vcs_file)))
    account = account_of_gateways(gateways, path)
    return gateways, ({'account_id': account} if account else {})
