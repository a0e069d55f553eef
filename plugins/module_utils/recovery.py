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
from typing import Any, cast

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import approvals, gateway_fields, transit_state, vc_state
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import OFFERINGS, catalog_problems
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_state import difference, validate
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.shapes import BackupSection, Gateway

PLAN_KEYS = ('recover_location_map', 'recover_port_map', 'recover_router_map', 'recover_network_map',
             'recover_transit_gateway_map', 'recover_name_template', 'recover_limit', 'recover_bgp', 'recover_macsec',
             'recover_accept_missing', 'recover_inactive_vcs', 'recover_approvals')
# What a backup can record as missing (its section's ``missing: [{field, reason}]``), with how a plan fills the gap.
MISSING_FIELDS = {
    'macsec': 'give the MACsec settings with recover_macsec: {{{name}: {{caks: [{{name, key, session}}]}}}} (with sak_rekey '
              'when the backup lacks it too)',
    'route_filters': 'no plan option can supply them: recreate them after the recovery, or back up from the API',
    'virtual_connections': 'add the file to the CLI export and import it again',
}
# Virtual connection statuses that mean the connection was gone or going at backup time: not recreated by default.
INACTIVE_VC_STATUSES = ('deleting', 'detached_by_network', 'detached_by_network_pending', 'rejected', 'expired')
MACSEC_KEYS = {'active': bool, 'security_policy': str, 'sak_rekey': dict, 'window_size': int, 'caks': list}
MACSEC_REQUIRED = ('active', 'security_policy', 'sak_rekey', 'caks')
CAK_SESSIONS = ('primary', 'fallback')
FILTER_ACTIONS = ('permit', 'deny')
ROLE_KEYS = ('recover_phase', 'recover_report_dir', 'recover_wait_timeout', 'recover_progress_interval', 'recover_max_concurrency',
             'recover_backup_dir', 'recover_inventory_group', 'recover_start_all_first', 'recover_strategy')
# What every gateway backup must hold, with its type: the rest is optional or checked against the catalog.
# The fields every backed-up gateway must have, with their types from the field table.
REQUIRED_FIELDS = {name: gateway_fields.python_type(name) for name in ('name', 'type', 'location_name', 'speed_mbps', 'bgp_asn')}


# Reading a backup is bounded: a manifest listing more gateways than this is refused, and so are gateway files that
# add up to more than MAX_BACKUP_BYTES (a real gateway file holds a few kilobytes).
MAX_GATEWAYS = 5000
MAX_BACKUP_BYTES = 128 * 1024 * 1024
DEFAULT_GROUP = 'direct_link_gateways'
GROUP_VARS = 'group_vars'
CATALOG_DIR = os.path.dirname(files.CATALOG)
# Top-level files Ansible skips in an inventory directory with the default inventory_ignore_extensions.
IGNORED_TOP_LEVEL = ('.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry')


class Backup:
    """The gateways of a backup directory, by host, and every problem found reading it."""

    def __init__(self):
        self.gateways: dict[str, BackupSection] = {}
        self.problems: list[str] = []
        self.manifest: dict[str, Any] = {}


def _read_yaml(root, relative, problems):
    """(text, document) of a file of the backup, bounded and never through a symbolic link; None after a problem."""
    path = os.path.join(root, relative)
    try:
        text = files.read_inside(root, relative, files.MAX_FILE_BYTES)
    except files.BackupPathError as error:
        problems.append(str(error))
        return None
    if text is None:
        problems.append(f'{path}: missing')
        return None
    try:
        return text, files.load(text)
    except files.RefusedYAML as exc:
        problems.append(f'{path}: {exc}')
    except Exception as exc:  # pylint: disable=broad-except
        problems.append(f"{path}: not valid YAML ({' '.join(str(exc).split())})")
    return None


def _only_key(path, document, key, problems):
    """Whether ``document`` holds nothing but ``key``: Ansible loads every top-level key of a vars file as a variable."""
    extra = sorted(str(name) for name in document if name != key) if isinstance(document, dict) else []
    problems.extend(f'{path}: top-level key {name!r} is not written by the backup (Ansible would load it as a variable); '
                    f'only {key} may be there' for name in extra)
    return not extra


def transit_connection_problems(item):
    """What is wrong with one stored Transit Gateway connection (each problem starts with the path inside it)."""
    if not isinstance(item, dict) or not isinstance(item.get('name'), str):
        return [' must be a mapping with a name, a transit_gateway and prefix_filters']
    transit_gateway = item.get('transit_gateway')
    if not isinstance(transit_gateway, dict) or not isinstance(transit_gateway.get('id'), str):
        return ['.transit_gateway must be a mapping with the id of the transit gateway']
    filters = item.get('prefix_filters', [])
    if not isinstance(filters, list):
        return ['.prefix_filters must be a list']
    problems = [f'.prefix_filters[{index}] must be a mapping with an action (permit or deny) and a prefix'
                for index, entry in enumerate(filters)
                if not isinstance(entry, dict) or entry.get('action') not in FILTER_ACTIONS
                or not isinstance(entry.get('prefix'), str)]
    if item.get('prefix_filters_default', 'permit') not in FILTER_ACTIONS:
        problems.append(f".prefix_filters_default is {item.get('prefix_filters_default')!r}, expected permit or deny")
    return problems


def _check_gateway_document(path, host, document, problems):
    """Problems with the structure of one host's backup."""
    section = document.get(files.BACKUP_KEY) if isinstance(document, dict) else None
    if not isinstance(section, dict):
        problems.append(f'{path}: no {files.BACKUP_KEY} mapping')
        return None
    if not _only_key(path, document, files.BACKUP_KEY, problems):
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
    for field in ('virtual_connections', 'transit_connections', 'export_route_filters', 'import_route_filters',
                  'as_prepends'):
        if field in gateway and not isinstance(gateway[field], list):
            found.append(f'{path}: gateway.{field} must be a list')
    vcs = gateway.get('virtual_connections')
    for index, vc in enumerate(vcs if isinstance(vcs, list) else []):
        if not isinstance(vc, dict) or not isinstance(vc.get('name'), str) or not isinstance(vc.get('type'), str):
            found.append(f'{path}: gateway.virtual_connections[{index}] must be a mapping with a name and a type')
    connections = gateway.get('transit_connections')
    for index, item in enumerate(connections if isinstance(connections, list) else []):
        found += [f'{path}: gateway.transit_connections[{index}]{problem}' for problem in transit_connection_problems(item)]
    if section.get('host') != host:
        found.append(f"{path}: written for host {section.get('host')!r}, found under host {host!r}")
    problems.extend(found)
    return None if found else section


def read_backup(root):
    """Read every gateway of a backup directory, checking its layout, schema, structure and manifest checksums.

    Only what the backup writes may be there (see _layout_problems); nothing is followed through a symbolic link
    below ``root``, nothing read is larger than files.MAX_FILE_BYTES, anchors, aliases and deep nesting are refused, and
    nothing is ever written (a directory with a journal is refused with the command that completes it).
    """
    backup = Backup()
    if not os.path.isdir(root):
        backup.problems.append(f'{root}: not a directory (pass the backup directory with -e backup_dir=DIR or -i DIR)')
        return backup
    if os.path.lexists(os.path.join(root, files.JOURNAL)):
        backup.problems.append(files.resume_hint(root))
        return backup
    manifest = _read_manifest(root, backup.problems)
    if manifest is None:
        return backup
    backup.manifest = manifest
    backup.problems += _layout_problems(root, manifest['gateways'])
    _check_inventory(root, manifest, backup.problems)
    budget = MAX_BACKUP_BYTES
    for host, entry in sorted(manifest['gateways'].items()):
        path = files.gateway_path(root, host)
        read = _read_yaml(root, os.path.relpath(path, root), backup.problems)
        if read is None:
            continue
        text, document = read
        budget -= len(text)
        if budget < 0:
            backup.problems.append(f'{root}: the gateway files add up to more than {MAX_BACKUP_BYTES} bytes, more than a '
                                   'backup holds')
            break
        if files.sha256(text) != entry.get('sha256'):
            backup.problems.append(f'{path}: checksum does not match the manifest (the file was edited or truncated)')
            continue
        section = _check_gateway_document(path, host, document, backup.problems)
        if section is not None:
            backup.gateways[host] = section
    if not backup.gateways and not backup.problems:
        backup.problems.append(f'{root}: the backup holds no gateway')
    return backup


# A catalog snapshot holds every location, router, speed and port of the offering: a few hundred kilobytes.
MAX_CATALOG_BYTES = 16 * 1024 * 1024


def saved_catalog(root, manifest):
    """The catalog snapshot of a backup, checked against its manifest checksum; None when it has none.

    Raises DirectLinkError naming the file when the snapshot is missing, edited or not a snapshot."""
    entry = manifest.get('catalog')
    if not entry:
        return None
    path = os.path.join(root, files.CATALOG)
    try:
        text = files.read_inside(root, files.CATALOG, MAX_CATALOG_BYTES)
    except files.BackupPathError as error:
        raise DirectLinkError(str(error)) from None
    if text is None or files.sha256(text) != entry.get('sha256'):
        raise DirectLinkError(f'{path}: missing or does not match the checksum in the manifest (the catalog snapshot '
                              'was edited or truncated); run the backup again or use catalog_source=live')
    try:
        document = files.load(text)
    except Exception as exc:  # pylint: disable=broad-except
        raise DirectLinkError(f"{path}: not a catalog snapshot ({' '.join(str(exc).split())})") from None
    section = document.get(files.CATALOG_KEY) if isinstance(document, dict) else None
    if not isinstance(section, dict) or not isinstance(section.get('catalog'), dict):
        raise DirectLinkError(f'{path}: no {files.CATALOG_KEY} mapping with a catalog; run the backup again or use '
                              'catalog_source=live')
    return section['catalog']


def _read_manifest(root, problems):
    """The manifest, when it is one and its host names are safe to use as paths; None after a problem."""
    path = os.path.join(root, files.MANIFEST)
    loaded = _read_yaml(root, files.MANIFEST, problems)
    if loaded is None:
        return None
    manifest = loaded[1].get(files.MANIFEST_KEY) if isinstance(loaded[1], dict) else None
    if not isinstance(manifest, dict) or not isinstance(manifest.get('gateways'), dict):
        problems.append(f'{path}: no {files.MANIFEST_KEY} mapping with gateways')
        return None
    if not _only_key(path, loaded[1], files.MANIFEST_KEY, problems):
        return None
    if manifest.get('schema_version') != files.SCHEMA_VERSION:
        problems.append(f"{path}: schema_version {manifest.get('schema_version')!r} is not supported")
        return None
    if len(manifest['gateways']) > MAX_GATEWAYS:
        problems.append(f"{path}: gateways lists {len(manifest['gateways'])} gateways, more than a backup holds "
                        f'({MAX_GATEWAYS} at most)')
        return None
    bad = [host for host, entry in manifest['gateways'].items() if not files.valid_host(host) or not isinstance(entry, dict)]
    problems.extend(f'{path}: gateways entry {host!r} is not a host the backup writes (expected a mapping under a host '
                    f'name {files.HOST_RULE})' for host in bad)
    return None if bad else manifest


def _layout_problems(root, hosts):
    """Entries Ansible would load as inventory or variables that the backup did not write, and symbolic links.

    Hidden entries (.git, .catalog, the lock, temporaries) are never read by Ansible; at the top level, files with
    an extension Ansible's default inventory_ignore_extensions skips (a README.md) are left alone too.
    """
    problems = []
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if os.path.islink(path) and (name in (files.INVENTORY, files.HOST_VARS, GROUP_VARS) or name == CATALOG_DIR):
            problems.append(files.symlink_message(path))
        elif name.startswith('.') or name in (files.INVENTORY, files.HOST_VARS, GROUP_VARS):
            continue
        elif not (os.path.isfile(path) and not os.path.islink(path) and name.endswith(IGNORED_TOP_LEVEL)):
            problems.append(f'{path}: not written by the backup, and Ansible would read it as an inventory source; move it '
                            'out of the backup directory')
    if os.path.islink(os.path.join(root, files.CATALOG)):
        problems.append(files.symlink_message(os.path.join(root, files.CATALOG)))
    problems += _unlisted(os.path.join(root, files.HOST_VARS), {host: {files.GATEWAY_FILE: None} for host in hosts})
    problems += _unlisted(os.path.join(root, GROUP_VARS), {'all': {os.path.basename(files.MANIFEST): None}})
    return problems


def _unlisted(directory, expected):
    """Non-hidden entries of ``directory`` outside ``expected`` ({name: sub-tree, or None for a file}), and links."""
    if not os.path.isdir(directory) or os.path.islink(directory):
        return []
    problems = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if name.startswith('.'):
            continue
        if os.path.islink(path):
            problems.append(files.symlink_message(path))
        elif name not in expected:
            problems.append(f'{path}: not listed in the manifest (a file added by hand?); Ansible would load it as '
                            'variables of the recovery, so the backup is refused')
        elif expected[name] is not None:
            problems += _unlisted(path, expected[name])
    return problems


def _check_inventory(root, manifest, problems):
    """inventory.yml must be exactly what the backup writes for the manifest's hosts and group (no vars, no hosts added)."""
    group = manifest.get('inventory_group', DEFAULT_GROUP)
    path = os.path.join(root, files.INVENTORY)
    try:
        text = files.read_inside(root, files.INVENTORY, files.MAX_FILE_BYTES)
    except files.BackupPathError as error:
        problems.append(str(error))
        return
    if text is None:
        problems.append(f'{path}: missing')
    elif not isinstance(group, str) or text != files.inventory_document(group, manifest['gateways']):
        problems.append(f'{path}: not the inventory the backup writes for the manifest (its hosts in group {group!r}, no '
                        'other hosts, groups or vars); run the backup again or restore the file from its history')


# The variable prefixes of the collection's roles and playbooks: a role's check of its own keys never takes another's
# variable for a misspelled key of its own.
VARIABLE_PREFIXES = ('recover_', 'rehearse_', 'backup_', 'verify_', 'decommission_', 'audit_', 'standby_')


class Plan:
    """The recovery plan: maps and options, validated.

    ``prefix`` is that of its variables: another role's plan (the standby's) reuses the remapping with its own keys,
    and the problems name them. Keys that prefix lacks (say standby_network_map) read as not set.
    """

    KEYS: tuple[str, ...] = PLAN_KEYS
    ROLE_KEYS: tuple[str, ...] = ROLE_KEYS
    prefix = 'recover'
    default_name_template = '{name}'
    # Networks in another region than the new location: a problem asking for recover_network_map, or (True) reached
    # with global routing, the new gateway made global.
    global_for_far_networks = False

    def __init__(self, values):
        key = f'{self.prefix}_{{}}'.format
        self.location_map = values.get(key('location_map')) or {}
        self.port_map = values.get(key('port_map')) or {}
        self.router_map = values.get(key('router_map')) or {}
        self.network_map = values.get(key('network_map')) or {}
        self.transit_gateway_map = values.get(key('transit_gateway_map')) or {}
        self.name_template = values.get(key('name_template')) or self.default_name_template
        self.limit = values.get(key('limit')) or []
        self.bgp = values.get('recover_bgp') or 'keep'
        self.macsec = values.get('recover_macsec') or {}
        self.accept_missing = values.get('recover_accept_missing') or []
        self.inactive_vcs = values.get('recover_inactive_vcs') or 'skip'
        self.approvals = values.get('recover_approvals') or {}

    def usable(self):
        """Whether the plan's values have the types remapping needs."""
        maps = (self.location_map, self.port_map, self.router_map, self.network_map, self.transit_gateway_map, self.macsec)
        return (all(isinstance(value, dict) for value in maps) and isinstance(self.limit, list)
                and isinstance(self.accept_missing, (list, dict)))

    def accepted(self, gateway_name):
        """The missing fields the plan accepts to recover a gateway without (a list for all, or per gateway name)."""
        if isinstance(self.accept_missing, dict):
            return set(self.accept_missing.get(gateway_name) or [])
        return set(self.accept_missing)

    def gap_problems(self, backup_names):
        """Problems of the options that fill a backup's gaps: recover_macsec, recover_accept_missing,
        recover_inactive_vcs (gateway names are checked against the backup's)."""
        problems = []
        if self.inactive_vcs not in ('skip', 'recreate'):
            problems.append(f"plan: recover_inactive_vcs is {self.inactive_vcs!r}, expected 'skip' or 'recreate'")
        problems += approvals.problems(self.approvals, 'plan: recover_approvals')
        accept = self.accept_missing
        if isinstance(accept, list):
            problems += _accept_problems('recover_accept_missing', accept)
        elif isinstance(accept, dict):
            for name, fields in sorted(accept.items(), key=str):
                problems += _unknown_gateway('recover_accept_missing', name, backup_names)
                problems += _accept_problems(f'recover_accept_missing[{name}]', fields)
        else:
            problems.append('plan: recover_accept_missing must be a list of fields (for every gateway) or a mapping of '
                            f'gateway name to such a list, got {type(accept).__name__}')
        if not isinstance(self.macsec, dict):
            problems.append(f'plan: recover_macsec must be a mapping of gateway name to MACsec settings, got '
                            f'{type(self.macsec).__name__}')
            return problems
        for name, setting in sorted(self.macsec.items(), key=str):
            problems += _unknown_gateway('recover_macsec', name, backup_names)
            problems += _macsec_problems(f'plan: recover_macsec[{name}]', setting)
        return problems

    def problems(self, defined_names):
        """Misspelled plan keys and wrongly typed values.

        ``defined_names`` may be every variable name of the play: a name is taken for a misspelled key when it
        starts with ``recover`` or is at most two edits from a plan or role key, unless it is such a key or a
        variable of the collection's other roles and playbooks.
        """
        prefix = self.prefix
        problems = unknown_key_problems(defined_names, self.KEYS, self.ROLE_KEYS, prefix)
        for key, value in (('location_map', self.location_map), ('port_map', self.port_map),
                           ('router_map', self.router_map), ('network_map', self.network_map),
                           ('transit_gateway_map', self.transit_gateway_map)):
            if not isinstance(value, dict):
                problems.append(f'plan: {prefix}_{key} must be a mapping of old value to new value, got {type(value).__name__}')
        if isinstance(self.transit_gateway_map, dict):
            # A value that names no transit gateway would otherwise leave the connection on its old one, unnoticed.
            problems += [f'plan: {prefix}_transit_gateway_map[{old}] is {new!r}, expected the id or name of a transit gateway'
                         for old, new in sorted(self.transit_gateway_map.items(), key=str)
                         if not isinstance(new, str) or not new]
        if not isinstance(self.limit, list):
            problems.append(f'plan: {prefix}_limit must be a list of gateway names, got {type(self.limit).__name__}')
        if self.bgp not in ('keep', 'auto'):
            problems.append(f"plan: {prefix}_bgp is {self.bgp!r}, expected 'keep' or 'auto'")
        if not isinstance(self.name_template, str) or '{name}' not in self.template():
            problems.append(f'plan: {prefix}_name_template {self.name_template!r} must contain {{name}}, which stands for '
                            f"the old gateway name (for example '{{name}}-{'dr' if prefix == 'recover' else prefix}')")
        return problems

    def template(self):
        """The name template in ``{name}`` form.

        ``{{ name }}`` is accepted too and replaced literally, never templated; it reaches the module only when the
        plan file marks it ``!unsafe`` (Ansible templates it otherwise, and fails: 'name' is undefined).
        """
        text = str(self.name_template)
        for spelling in ('{{ name }}', '{{name}}'):
            text = text.replace(spelling, '{name}')
        return text

    def new_name(self, name):
        """The replacement gateway's name."""
        return self.template().replace('{name}', name)


def unknown_key_problems(defined_names, plan_keys, role_keys, prefix):
    """Misspelled keys among ``defined_names``: a name that starts with ``prefix`` or is at most two edits from a plan
    or role key, but is not one; variables of the collection's other roles and playbooks are never taken for one."""
    known = tuple(plan_keys) + tuple(role_keys)
    others = tuple(other for other in VARIABLE_PREFIXES if other != f'{prefix}_')
    problems = []
    for name in sorted(set(defined_names) - set(known)):
        if name.startswith(others):
            continue
        close = [key for key in known if _similar(name.lower(), key)]
        if close or name.lower().startswith(prefix):
            hint = f' (did you mean {close[0]}?)' if close else ''
            problems.append(f'plan: unknown key {name}{hint}; known keys: {", ".join(plan_keys)}')
    return problems


def _unknown_gateway(option, name, backup_names):
    if name in backup_names or not backup_names:
        return []
    return [f'plan: {option} names gateway {name}, which is not in the backup']


def _accept_problems(option, fields):
    if not isinstance(fields, list) or not all(isinstance(field, str) for field in fields):
        return [f'plan: {option} must be a list of fields ({", ".join(MISSING_FIELDS)}), got {fields!r}']
    return [f'plan: {option} names {field}, expected one of {", ".join(MISSING_FIELDS)}'
            for field in fields if field not in MISSING_FIELDS]


def _macsec_problems(label, setting):
    """Problems of MACsec settings (``label`` names them: a recover_macsec value, or the settings a backup holds)."""
    if not isinstance(setting, dict):
        return [f'{label} must be a mapping (caks, and sak_rekey, window_size, security_policy, active when '
                f'the backup lacks them), got {type(setting).__name__}']
    problems = [f'{label}.{key} is not a MACsec setting (expected {", ".join(MACSEC_KEYS)})'
                for key in sorted(set(setting) - set(MACSEC_KEYS), key=str)]
    problems += [f'{label}.{key} is {setting[key]!r}, expected {kind.__name__}' for key, kind in MACSEC_KEYS.items()
                 if key in setting and (not isinstance(setting[key], kind) or (kind is int and isinstance(setting[key], bool)))]
    if isinstance(setting.get('sak_rekey'), dict) and not isinstance(setting['sak_rekey'].get('mode'), str):
        problems.append(f"{label}.sak_rekey must have a mode ('timer' with an interval, or 'packet_number_rollover')")
    caks = setting.get('caks')
    for index, cak in enumerate(caks if isinstance(caks, list) else []):
        if (not isinstance(cak, dict) or not all(isinstance(cak.get(key), str) and cak.get(key) for key in ('name', 'key', 'session'))
                or cak['session'] not in CAK_SESSIONS):
            numeric = isinstance(cak, dict) and isinstance(cak.get('name'), int)
            hint = " (quote a name of digits only, such as '1000': unquoted, YAML reads a number)" if numeric else ''
            problems.append(f'{label}.caks[{index}] must be {{name: HEX, key: KEY_CRN, session: primary|fallback}}, '
                            f'got {cak!r}{hint}')
    return problems


def argument_spec():
    """Options of the modules that read a backup with a plan (documented in the ``recovery`` doc fragment)."""
    return dict(
        backup_dir=dict(type='path', required=True),
        plan=dict(type='dict', default={}),
        defined_keys=dict(type='list', elements='str', default=[], no_log=False),
        max_concurrency=dict(type='int', default=DEFAULT_MAX_CONCURRENCY),
    )


def load(params):
    """The plan, the backup (read once, for callers that need more of it), the gateways selected by
    ``recover_limit``, and every problem found so far."""
    plan = Plan(params['plan'])
    backup = read_backup(params['backup_dir'])
    problems = plan.problems(params['defined_keys']) + backup.problems
    problems += plan.gap_problems({section['gateway']['name'] for section in backup.gateways.values()})
    selected = dict(backup.gateways)
    if plan.usable() and plan.limit:
        names = {section['gateway']['name']: host for host, section in backup.gateways.items()}
        problems += [f'plan: recover_limit names {name}, which is not in the backup' for name in plan.limit if name not in names]
        selected = {names[name]: backup.gateways[names[name]] for name in plan.limit if name in names}
    return plan, backup, selected, problems


def _similar(left, right, edits=2):
    """Whether two keys are at most ``edits`` edits apart (a typo); cheap for the many names that are not."""
    if abs(len(left) - len(right)) > edits:
        return False
    previous = list(range(len(right) + 1))
    for i, left_char in enumerate(left, 1):
        current = [i]
        for j, right_char in enumerate(right, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left_char != right_char)))
        if min(current) > edits:
            return False
        previous = current
    return previous[-1] <= edits


def location_map_problems(plan, selected, catalog):
    """Targets of ``recover_location_map`` that the catalog does not offer for the gateways mapped to them.

    A target is checked for the offering type of each selected gateway at the mapped location, or, when none is
    selected there, for either type; a target offered only for the other type is named as such.
    """
    mapped: dict[str, dict[str, list[str]]] = {}  # old location -> offering type -> names of the selected gateways there
    for section in selected.values():
        gateway = section['gateway']
        offering = 'dedicated' if gateway.get('type') == 'dedicated' else 'connect'
        mapped.setdefault(gateway.get('location_name'), {}).setdefault(offering, []).append(gateway.get('name'))
    problems = []
    for old, new in sorted(plan.location_map.items(), key=str):
        needed = mapped.get(old) or {}
        offered = catalog.offerings_at(new) if isinstance(new, str) else []
        where = f'plan: {plan.prefix}_location_map maps {old} to {new}'
        if not offered:
            types = sorted(needed) or list(OFFERINGS)
            known = sorted({name for offering in types for name in catalog.locations(offering)})
            problems.append(f'{where}, which is not a Direct Link location (known {" and ".join(types)} locations: '
                            f'{", ".join(known)})')
            continue
        for offering, names in sorted(needed.items()):
            if offering not in offered:
                problems.append(f'{where}, which is a Direct Link location for {" and ".join(offered)} gateways only, '
                                f'not for the {offering} gateway(s) {", ".join(sorted(names))}')
    return problems


def vpc_region(crn):
    """The region of a VPC CRN."""
    parts = (crn or '').split(':')
    return parts[5] if len(parts) > 5 else None


class Replacement:
    """One gateway to recover: where it was, what replaces it, and what was found wrong."""

    def __init__(self, host: str, section: BackupSection):
        self.host = host
        self.original: Gateway = section['gateway']
        self.source = section.get('source') or {}
        self.missing = section.get('missing') or []
        self.desired: Gateway = {}
        self.problems: list[str] = []
        self.notes: dict[str, Any] = {}

    def where(self):
        """How problems refer to this gateway."""
        return f"gateway '{self.original.get('name')}' (host {self.host})"


def replacements(plan, selected, catalog):
    """The selected gateways' replacements, by host in host order, each remapped by the plan (problems recorded)."""
    for host, section in sorted(selected.items()):
        replacement = Replacement(host, section)
        remap(replacement, plan, catalog)
        yield replacement


def remap(replacement, plan, catalog):
    """Fill ``replacement.desired`` from the backup and the plan; record problems."""
    original = replacement.original
    desired = cast(Gateway, {key: value for key, value in original.items() if key not in ('id', 'read_only')})
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
                            f'router at {new_location} with {plan.prefix}_router_map')
        desired['cross_connect_router'] = router
    fill_gaps(replacement, plan, desired)
    locations = catalog.locations('dedicated' if original['type'] == 'dedicated' else 'connect')
    target_region = (locations.get(new_location) or {}).get('vpc_region')
    vcs = []
    for vc in _vcs_to_recreate(replacement, plan):
        if vc.get('type') == 'vpc':
            mapped = plan.network_map.get(vc.get('network_id'), vc.get('network_id'))
            far = target_region and vpc_region(mapped) != target_region and mapped == vc.get('network_id')
            if far and plan.global_for_far_networks:
                desired['global'] = True
                replacement.notes.setdefault('global_for', []).append(vc['name'])
            elif far:
                problems.append(f"{replacement.where()}: virtual connection '{vc['name']}' connects VPC {mapped} in "
                                f'{vpc_region(mapped)}, but {new_location} is in {target_region}; map it with '
                                'recover_network_map')
            vc['network_id'] = mapped
        vcs.append(vc)
    desired['virtual_connections'] = vcs
    if original.get('transit_connections'):
        desired['transit_connections'] = [_remap_transit_connection(item, plan) for item in original['transit_connections']]
    replacement.desired = desired
    replacement.notes.update({'old_location': old_location, 'new_location': new_location, 'old_name': original['name'],
                              'original_bgp_cer_cidr': original.get('bgp_cer_cidr')})
    if isinstance(plan.approvals, dict) and plan.approvals:
        replacement.notes['approving_accounts'] = sorted(str(account) for account in plan.approvals)
    change_request = replacement.source.get('change_request') if isinstance(replacement.source, dict) else None
    if isinstance(change_request, dict):
        replacement.notes['change_request'] = change_request


def _remap_transit_connection(item, plan):
    """A backed-up Transit Gateway connection on the transit gateway the plan maps its own to (by old id or name; the
    new one is named by id, or by name when the value is not an id), without its read-only part. It is named by the
    plan's name template like the gateway: a transit gateway that survived still holds the old connection."""
    connection = {key: value for key, value in item.items() if key != 'read_only'}
    connection['name'] = plan.new_name(item['name'])
    old = item['transit_gateway']
    new = plan.transit_gateway_map.get(old['id'], plan.transit_gateway_map.get(old.get('name')))
    if isinstance(new, str) and new:
        connection['transit_gateway'] = {'id': new} if transit_state.UUID_RE.match(new) else {'name': new}
    return connection


def backup_vc_status(vc):
    """A virtual connection's status at backup time (None when the backup does not record it)."""
    read_only = vc.get('read_only')
    return read_only.get('status') if isinstance(read_only, dict) else None


def _vcs_to_recreate(replacement, plan):
    """The backed-up virtual connections to recreate, without their read-only part; the others go to
    ``notes['skipped_vcs']`` with the reason."""
    recreate, skipped = [], []
    for vc in replacement.original.get('virtual_connections') or []:
        status = backup_vc_status(vc)
        if status in INACTIVE_VC_STATUSES and plan.inactive_vcs != 'recreate':
            skipped.append({'name': vc['name'], 'status': status,
                            'reason': f'it was {status} at backup time (recover_inactive_vcs: recreate includes it)'})
            continue
        recreate.append({key: value for key, value in vc.items() if key != 'read_only'})
    replacement.notes['skipped_vcs'] = skipped
    return recreate


def _well_formed_gap(entry):
    """Whether a ``missing`` entry of a backup is {field, reason} with both strings."""
    return isinstance(entry, dict) and isinstance(entry.get('field'), str) and isinstance(entry.get('reason'), str)


def _missing_entries(replacement):
    """The backup's ``missing`` entries, each {field, reason}; malformed ones become problems."""
    entries = replacement.missing if isinstance(replacement.missing, list) else [replacement.missing]
    valid = []
    for entry in entries:
        if _well_formed_gap(entry):
            valid.append(entry)
        else:
            replacement.problems.append(f'{replacement.where()}: missing holds {entry!r}, expected {{field, reason}} entries')
    return valid


def fill_gaps(replacement, plan, desired):
    """Apply the plan to what the backup records as missing: MACsec settings from recover_macsec, the fields
    recover_accept_missing accepts to recover without (``notes['without']``); anything else is a problem that names
    the option that resolves it."""
    name = replacement.original['name']
    accepted = plan.accepted(name)
    setting = plan.macsec.get(name)
    without = []
    entries = _missing_entries(replacement)
    for entry in entries:
        field = entry['field']
        if field == 'macsec' and isinstance(setting, dict):
            continue
        if field in accepted:
            without.append(entry)
            if field == 'macsec':
                desired.pop('macsec', None)
            continue
        how = MISSING_FIELDS.get(field, 'this collection does not know the field (a backup from a newer version?)')
        replacement.problems.append(
            f"{replacement.where()}: {field} is not in the backup ({entry['reason']}); {how.format(name=name)}, or "
            f'decide to recover without it: recover_accept_missing: [{field}] (or {{{name}: [{field}]}})')
    if isinstance(setting, dict):
        desired['macsec'] = dict(desired.get('macsec') if isinstance(desired.get('macsec'), dict) else {}, **setting)
    replacement.notes['macsec_from_plan'] = isinstance(setting, dict)
    _drop_incomplete_macsec(replacement, desired, isinstance(setting, dict) or 'macsec' not in {e['field'] for e in entries})
    replacement.notes['without'] = without


def _drop_incomplete_macsec(replacement, desired, explain):
    """Remove MACsec settings a gateway cannot be created with (no CAKs, say); ``explain`` when no problem says why yet."""
    macsec = desired.get('macsec')
    if macsec is None:
        return
    if isinstance(macsec, dict):
        lacking = [key for key in MACSEC_REQUIRED if key not in macsec]
        malformed = _macsec_problems('macsec', {key: macsec[key] for key in MACSEC_KEYS if key in macsec})
    else:
        lacking, malformed = [], _macsec_problems('macsec', macsec)
    if lacking or malformed:
        desired.pop('macsec')
        origin = 'recover_macsec with the backup\'s settings' if replacement.notes['macsec_from_plan'] else 'the backup'
        if explain and lacking:
            replacement.problems.append(f"{replacement.where()}: the MACsec settings ({origin}) lack {', '.join(lacking)}")
        if not replacement.notes['macsec_from_plan']:  # the plan's own values are checked by Plan.gap_problems
            replacement.problems += [f'{replacement.where()}: {problem} (in the backup)' for problem in malformed]


def complete_macsec(macsec):
    """Whether MACsec settings can create a gateway (every required key, each of the expected type)."""
    return isinstance(macsec, dict) and all(key in macsec for key in MACSEC_REQUIRED) and not _macsec_problems('macsec', macsec)


def not_compared(replacement):
    """What a drift check of a remapped replacement leaves out: fields its backup lacks, VCs the plan skips."""
    where = replacement.where()
    filled = {'macsec'} if replacement.notes.get('macsec_from_plan') else set()
    found = [f"{where}: {entry['field']} (not in the backup: {entry['reason']})"
             for entry in replacement.missing if _well_formed_gap(entry) and entry['field'] not in filled]
    return found + [f"{where}: virtual connection {vc['name']} (not recreated: {vc['reason']})"
                    for vc in replacement.notes.get('skipped_vcs') or []]


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
                f"{replacement.where()}: {plan.prefix}_port_map picks provider {mapped['provider']} at {new_location}, which has "
                f"{len(candidates)} such ports ({labels}); map the port id instead")
            desired['port'] = old_port
            return
        desired['port'] = candidates[0]['id']
    elif mapped:
        desired['port'] = mapped
    elif new_location != old_location:
        replacement.problems.append(f'{replacement.where()}: port {old_port} is at {old_location}; map it to a port at '
                                    f'{new_location} with {plan.prefix}_port_map (a port id, or {{provider: NAME}})')
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


def check(replacement, catalog, live_by_name, used_bgp_networks, prefix='recover', transit_gateways=None):
    """Validate a replacement against the rules, the catalog and the live account; returns 'create' or 'adopt'.

    ``prefix`` is that of the plan's variables, which the problems name; ``transit_gateways`` (a
    ``transit_state.TransitGateways``) checks the Transit Gateway connections, when given."""
    desired = replacement.desired
    where = replacement.where()
    replacement.problems += [f'{where}: {problem}' for problem in validate(desired, desired['type'])]
    if transit_gateways is not None:
        live_crn = ((live_by_name.get(desired['name']) or {}).get('read_only') or {}).get('crn')
        replacement.problems += [f'{where}: {problem}' for problem in transit_state.problems(transit_gateways, desired, live_crn)]
    existing = live_by_name.get(desired['name'])
    if existing is not None:
        diff = difference(desired, existing)
        if not diff.immutable:
            return 'adopt'
        fields = ', '.join(field for field, _current, _wanted in diff.immutable)
        replacement.problems.append(f"{where}: the name {desired['name']} is taken by gateway {existing['id']}, which "
                                    f'differs in {fields}; choose another {prefix}_name_template')
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
                                        f"set {prefix}_bgp: auto to let IBM assign new ones")
    return 'create'


def drift(replacement, live, source='backup'):
    """Differences between a replacement's desired state and the live gateway (None when it is missing).

    Returns (drifts, pending): drifts are differences in configuration; pending are virtual connections that
    cannot exist yet because the gateway is not provisioned (dedicated gateways at the LOA stage). ``source`` names
    what the desired state comes from in the messages (the backup; a standby's primary).
    """
    where = replacement.where()
    desired = replacement.desired
    if live is None:
        return [f"{where}: gateway {desired['name']} is missing"], []
    diff = difference(desired, live)
    drifts = [f'{where}: {field} is {live.get(field)!r}, {source} has {wanted!r}' for field, _current, wanted in diff.immutable]
    drifts += [f'{where}: {field} is {live.get(field)!r}, {source} has {desired.get(field)!r}' for field in sorted(diff.patch)]
    drifts += [f'{where}: {field} differ from the {source}' for field in sorted(diff.replace)]
    # The virtual connections by the state module's own plan: what it would create is missing, what it refuses to
    # change (another type or network) is drift; transit connections are the Transit Gateway's, never compared.
    desired_vcs = [] if desired.get('connection_mode') == 'transit' else desired.get('virtual_connections') or []
    vc_plan = vc_state.plan(live, desired_vcs, live.get('virtual_connections') or [])
    drifts += [f'{where}: {problem}' for problem in vc_plan.problems]
    provisioned = (live.get('read_only') or {}).get('operational_status') == 'provisioned'
    pending: list[str] = []
    for vc in vc_plan.create:
        (drifts if provisioned else pending).append(f"{where}: virtual connection {vc['name']} is missing")
    for problem in transit_drift(desired.get('transit_connections') or [], live.get('transit_connections') or []):
        (drifts if provisioned else pending).append(f'{where}: {problem}')
    return drifts, pending


def _same_transit_gateway(reference, live_reference):
    return (reference.get('id') or reference.get('name')) in (live_reference.get('id'), live_reference.get('name'))


def transit_drift(desired, live):
    """How live Transit Gateway connections (option-shaped) differ from the desired ones: missing, or with other
    prefix filters."""
    found = []
    for item in desired:
        match = next((other for other in live if other['name'] == item['name']
                      and _same_transit_gateway(item['transit_gateway'], other.get('transit_gateway') or {})), None)
        where = f"transit connection {item['name']} on transit gateway {transit_state.reference_text(item['transit_gateway'])}"
        if match is None:
            found.append(f'{where} is missing')
        else:
            found += [f'{where}: {field} differ' for field in transit_state.differences(item, match)]
    return found
