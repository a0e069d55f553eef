# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recovery planning: read and verify a backup, apply the plan's remaps, and list every problem up front.

``read_backup`` checks the schema and the manifest checksums from the files themselves; ``remap`` turns a backed-up
gateway into the desired state of its replacement (new location, port, router, networks, name, BGP addresses);
``check`` validates the replacements against the live catalog and account.  Nothing here changes anything.
"""

import ipaddress
import os

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import catalog_problems
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_state import difference, validate

PLAN_KEYS = ('recover_location_map', 'recover_port_map', 'recover_router_map', 'recover_network_map',
             'recover_name_template', 'recover_limit', 'recover_bgp')
ROLE_KEYS = ('recover_phase', 'recover_report_dir', 'recover_wait_timeout', 'recover_max_concurrency',
             'recover_backup_dir', 'recover_inventory_group', 'recover_start_all_first', 'recover_strategy')
MAX_FILE_BYTES = 1024 * 1024
# What every gateway backup must hold, with its type: the rest is optional or checked against the catalog.
REQUIRED_FIELDS = {'name': str, 'type': str, 'location_name': str, 'speed_mbps': int, 'bgp_asn': int}


class Backup:
    """The gateways of a backup directory, by host, and every problem found reading it."""

    def __init__(self):
        self.gateways = {}
        self.problems = []
        self.manifest = {}


def _read_yaml(path, problems):
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            problems.append(f'{path}: {os.path.getsize(path)} bytes is larger than a gateway backup can be '
                            f'({MAX_FILE_BYTES} bytes at most)')
            return None
        with open(path, encoding='utf-8') as stream:
            text = stream.read()
        return text, files.load(text)
    except FileNotFoundError:
        problems.append(f'{path}: missing')
    except Exception as exc:  # pylint: disable=broad-except
        problems.append(f"{path}: not valid YAML ({' '.join(str(exc).split())})")
    return None


def _check_gateway_document(path, host, document, problems):
    """Problems with the structure of one host's backup."""
    section = document.get(files.BACKUP_KEY) if isinstance(document, dict) else None
    if not isinstance(section, dict):
        problems.append(f'{path}: no {files.BACKUP_KEY} mapping')
        return None
    if section.get('schema_version') != files.SCHEMA_VERSION:
        problems.append(f"{path}: schema_version {section.get('schema_version')!r} is not supported (expected "
                        f'{files.SCHEMA_VERSION})')
        return None
    gateway = section.get('gateway')
    if not isinstance(gateway, dict):
        problems.append(f'{path}: gateway must be a mapping')
        return None
    found = []
    for field, kind in REQUIRED_FIELDS.items():
        if not isinstance(gateway.get(field), kind) or isinstance(gateway.get(field), bool):
            found.append(f"{path}: gateway.{field} is {gateway.get(field)!r}, expected {kind.__name__}")
    for field in ('virtual_connections', 'export_route_filters', 'import_route_filters', 'as_prepends'):
        if field in gateway and not isinstance(gateway[field], list):
            found.append(f'{path}: gateway.{field} must be a list')
    for index, vc in enumerate(gateway.get('virtual_connections') if isinstance(gateway.get('virtual_connections'), list) else []):
        if not isinstance(vc, dict) or not isinstance(vc.get('name'), str) or not isinstance(vc.get('type'), str):
            found.append(f'{path}: gateway.virtual_connections[{index}] must be a mapping with a name and a type')
    if section.get('host') != host:
        found.append(f"{path}: written for host {section.get('host')!r}, found under host {host!r}")
    problems.extend(found)
    return None if found else section


def read_backup(root):
    """Read every gateway of a backup directory, checking schema, structure and manifest checksums."""
    backup = Backup()
    manifest_path = os.path.join(root, files.MANIFEST)
    loaded = _read_yaml(manifest_path, backup.problems) if os.path.isdir(root) else None
    if not os.path.isdir(root):
        backup.problems.append(f'{root}: not a directory (pass the backup directory with -i)')
        return backup
    if loaded is None:
        return backup
    manifest = (loaded[1] or {}).get(files.MANIFEST_KEY) if isinstance(loaded[1], dict) else None
    if not isinstance(manifest, dict) or not isinstance(manifest.get('gateways'), dict):
        backup.problems.append(f'{manifest_path}: no {files.MANIFEST_KEY} mapping with gateways')
        return backup
    if manifest.get('schema_version') != files.SCHEMA_VERSION:
        backup.problems.append(f"{manifest_path}: schema_version {manifest.get('schema_version')!r} is not supported")
        return backup
    backup.manifest = manifest
    host_vars = os.path.join(root, files.HOST_VARS)
    on_disk = set(os.listdir(host_vars)) if os.path.isdir(host_vars) else set()
    for host in sorted(on_disk - set(manifest['gateways'])):
        backup.problems.append(f'{os.path.join(host_vars, host)}: not listed in the manifest (a file added by hand?)')
    for host, entry in sorted(manifest['gateways'].items()):
        path = files.gateway_path(root, host)
        read = _read_yaml(path, backup.problems)
        if read is None:
            continue
        text, document = read
        if files.sha256(text) != (entry or {}).get('sha256'):
            backup.problems.append(f'{path}: checksum does not match the manifest (the file was edited or truncated)')
            continue
        section = _check_gateway_document(path, host, document, backup.problems)
        if section is not None:
            backup.gateways[host] = section
    if not backup.gateways and not backup.problems:
        backup.problems.append(f'{root}: the backup holds no gateway')
    return backup


class Plan:
    """The recovery plan: maps and options, validated."""

    def __init__(self, values):
        self.location_map = values.get('recover_location_map') or {}
        self.port_map = values.get('recover_port_map') or {}
        self.router_map = values.get('recover_router_map') or {}
        self.network_map = values.get('recover_network_map') or {}
        self.name_template = values.get('recover_name_template') or '{name}'
        self.limit = values.get('recover_limit') or []
        self.bgp = values.get('recover_bgp') or 'keep'

    def usable(self):
        """Whether the plan's values have the types remapping needs."""
        maps = (self.location_map, self.port_map, self.router_map, self.network_map)
        return all(isinstance(value, dict) for value in maps) and isinstance(self.limit, list)

    def problems(self, defined_names):
        """Unknown plan keys (typos) and wrongly typed values."""
        problems = []
        known = set(PLAN_KEYS) | set(ROLE_KEYS)
        for name in sorted(set(defined_names) - known):
            close = [key for key in PLAN_KEYS if _similar(name, key)]
            hint = f' (did you mean {close[0]}?)' if close else ''
            problems.append(f'plan: unknown key {name}{hint}; known keys: {", ".join(PLAN_KEYS)}')
        for key, value in (('recover_location_map', self.location_map), ('recover_port_map', self.port_map),
                           ('recover_router_map', self.router_map), ('recover_network_map', self.network_map)):
            if not isinstance(value, dict):
                problems.append(f'plan: {key} must be a mapping of old value to new value, got {type(value).__name__}')
        if not isinstance(self.limit, list):
            problems.append(f'plan: recover_limit must be a list of gateway names, got {type(self.limit).__name__}')
        if self.bgp not in ('keep', 'auto'):
            problems.append(f"plan: recover_bgp is {self.bgp!r}, expected 'keep' or 'auto'")
        if not isinstance(self.name_template, str) or '{name}' not in self.template():
            problems.append(f'plan: recover_name_template {self.name_template!r} must contain {{{{ name }}}}')
        return problems

    def template(self):
        """The name template in ``{name}`` form (``{{ name }}`` is accepted and replaced literally, never templated)."""
        text = str(self.name_template)
        for spelling in ('{{ name }}', '{{name}}'):
            text = text.replace(spelling, '{name}')
        return text

    def new_name(self, name):
        """The replacement gateway's name."""
        return self.template().replace('{name}', name)


def argument_spec():
    """Options of the modules that read a backup with a plan (documented in the ``recovery`` doc fragment)."""
    return dict(
        backup_dir=dict(type='path', required=True),
        plan=dict(type='dict', default={}),
        defined_keys=dict(type='list', elements='str', default=[], no_log=False),
        max_concurrency=dict(type='int', default=DEFAULT_MAX_CONCURRENCY),
    )


def load(params):
    """The plan, the backup and the gateways selected by ``recover_limit``, with every problem found so far."""
    plan = Plan(params['plan'])
    backup = read_backup(params['backup_dir'])
    problems = plan.problems(params['defined_keys']) + backup.problems
    selected = dict(backup.gateways)
    if plan.usable() and plan.limit:
        names = {section['gateway']['name']: host for host, section in backup.gateways.items()}
        problems += [f'plan: recover_limit names {name}, which is not in the backup' for name in plan.limit if name not in names]
        selected = {names[name]: backup.gateways[names[name]] for name in plan.limit if name in names}
    return plan, selected, problems


def _similar(left, right):
    """Whether two keys are at most two edits apart (a typo)."""
    previous = list(range(len(right) + 1))
    for i, left_char in enumerate(left, 1):
        current = [i]
        for j, right_char in enumerate(right, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left_char != right_char)))
        previous = current
    return previous[-1] <= 2


def vpc_region(crn):
    """The region of a VPC CRN."""
    parts = (crn or '').split(':')
    return parts[5] if len(parts) > 5 else None


class Replacement:
    """One gateway to recover: where it was, what replaces it, and what was found wrong."""

    def __init__(self, host, section):
        self.host = host
        self.original = section['gateway']
        self.source = section.get('source') or {}
        self.desired = {}
        self.problems = []
        self.notes = {}

    def where(self):
        """How problems refer to this gateway."""
        return f"gateway '{self.original.get('name')}' (host {self.host})"


def remap(replacement, plan, catalog):
    """Fill ``replacement.desired`` from the backup and the plan; record problems."""
    original = replacement.original
    desired = {key: value for key, value in original.items() if key not in ('id', 'read_only')}
    old_location = original.get('location_name')
    new_location = plan.location_map.get(old_location, old_location)
    desired['location_name'] = new_location
    desired['name'] = plan.new_name(original['name'])
    if plan.bgp == 'auto':
        desired.pop('bgp_cer_cidr', None)
        desired.pop('bgp_ibm_cidr', None)
    problems = replacement.problems
    if original['type'] == 'connect':
        _remap_port(replacement, plan, catalog, desired, old_location, new_location)
    else:
        old_router = original.get('cross_connect_router')
        router = plan.router_map.get(old_router, old_router)
        if router == old_router and new_location != old_location:
            problems.append(f'{replacement.where()}: cross_connect_router {old_router} is at {old_location}; map it to a '
                            f'router at {new_location} with recover_router_map')
        desired['cross_connect_router'] = router
    locations = catalog.locations('dedicated' if original['type'] == 'dedicated' else 'connect')
    target_region = (locations.get(new_location) or {}).get('vpc_region')
    vcs = []
    for vc in original.get('virtual_connections') or []:
        vc = dict(vc)
        if vc.get('type') == 'vpc':
            mapped = plan.network_map.get(vc.get('network_id'), vc.get('network_id'))
            if target_region and vpc_region(mapped) != target_region and mapped == vc.get('network_id'):
                problems.append(f"{replacement.where()}: virtual connection '{vc['name']}' connects VPC {mapped} in "
                                f'{vpc_region(mapped)}, but {new_location} is in {target_region}; map it with '
                                'recover_network_map')
            vc['network_id'] = mapped
        vcs.append(vc)
    desired['virtual_connections'] = vcs
    replacement.desired = desired
    replacement.notes.update({'old_location': old_location, 'new_location': new_location, 'old_name': original['name'],
                              'original_bgp_cer_cidr': original.get('bgp_cer_cidr')})


def _remap_port(replacement, plan, catalog, desired, old_location, new_location):
    old_port = replacement.original.get('port')
    mapped = plan.port_map.get(old_port)
    if isinstance(mapped, dict) and mapped.get('provider'):
        provider = str(mapped['provider']).lower()
        candidates = sorted((p for p in catalog.ports(new_location) if p['provider_name'].lower() == provider),
                            key=lambda p: p['label'])
        if len(candidates) != 1:
            labels = ', '.join(p['label'] for p in candidates) or 'none'
            replacement.problems.append(
                f"{replacement.where()}: recover_port_map picks provider {mapped['provider']} at {new_location}, which has "
                f"{len(candidates)} such ports ({labels}); map the port id instead")
            desired['port'] = old_port
            return
        desired['port'] = candidates[0]['id']
    elif mapped:
        desired['port'] = mapped
    elif new_location != old_location:
        replacement.problems.append(f'{replacement.where()}: port {old_port} is at {old_location}; map it to a port at '
                                    f'{new_location} with recover_port_map (a port id, or {{provider: NAME}})')
    port = catalog.port(desired['port'])
    if port is not None:
        replacement.notes.update({'port_label': port['label'], 'provider': port['provider_name']})
        if port['location_name'] != new_location:
            replacement.problems.append(f"{replacement.where()}: port {desired['port']} is at {port['location_name']}, not at "
                                        f'{new_location}')


def bgp_networks_in_use(live_gateways):
    """BGP /30 (or /31) network → name of the live gateway that uses it."""
    used = {}
    for gateway in live_gateways:
        if gateway.get('bgp_cer_cidr'):
            used[str(ipaddress.ip_interface(gateway['bgp_cer_cidr']).network)] = gateway['name']
    return used


def check(replacement, catalog, live_by_name, used_bgp_networks):
    """Validate a replacement against the rules, the catalog and the live account; returns 'create' or 'adopt'."""
    desired = replacement.desired
    where = replacement.where()
    replacement.problems += [f'{where}: {problem}' for problem in validate(desired, desired['type'])]
    existing = live_by_name.get(desired['name'])
    if existing is not None:
        diff = difference(desired, existing)
        if not diff.immutable:
            return 'adopt'
        fields = ', '.join(field for field, _current, _wanted in diff.immutable)
        replacement.problems.append(f"{where}: the name {desired['name']} is taken by gateway {existing['id']}, which "
                                    f'differs in {fields}; choose another recover_name_template')
    found = set(replacement.problems)
    replacement.problems += [f'{where}: {problem}' for problem in catalog_problems(catalog, desired)
                             if f'{where}: {problem}' not in found]
    cer = desired.get('bgp_cer_cidr')
    if cer:
        try:
            network = str(ipaddress.ip_interface(cer).network)
        except ValueError:
            network = None
        if network in used_bgp_networks:
            replacement.problems.append(f'{where}: BGP addresses {cer} are in use by gateway {used_bgp_networks[network]}; '
                                        "set recover_bgp: auto to let IBM assign new ones")
    return 'create'


def drift(replacement, live):
    """Differences between a replacement's desired state and the live gateway (None when it is missing).

    Returns (drifts, pending): drifts are differences in configuration; pending are virtual connections that
    cannot exist yet because the gateway is not provisioned (dedicated gateways at the LOA stage).
    """
    where = replacement.where()
    desired = replacement.desired
    if live is None:
        return [f"{where}: gateway {desired['name']} is missing"], []
    diff = difference(desired, live)
    drifts = [f'{where}: {field} is {live.get(field)!r}, backup has {wanted!r}' for field, _current, wanted in diff.immutable]
    drifts += [f'{where}: {field} is {live.get(field)!r}, backup has {desired.get(field)!r}' for field in sorted(diff.patch)]
    drifts += [f'{where}: {field} differ from the backup' for field in sorted(diff.replace)]
    live_vcs = {vc['name']: vc for vc in live.get('virtual_connections') or []}
    provisioned = (live.get('read_only') or {}).get('operational_status') == 'provisioned'
    pending = []
    for vc in desired.get('virtual_connections') or []:
        if vc['type'] == 'transit' or desired.get('connection_mode') == 'transit':
            continue
        current = live_vcs.get(vc['name'])
        if current is None:
            (drifts if provisioned else pending).append(f"{where}: virtual connection {vc['name']} is missing")
        elif current.get('network_id') != vc.get('network_id') or current['type'] != vc['type']:
            drifts.append(f"{where}: virtual connection {vc['name']} connects {current.get('network_id') or current['type']}, "
                          f"backup has {vc.get('network_id') or vc['type']}")
    return drifts, pending
