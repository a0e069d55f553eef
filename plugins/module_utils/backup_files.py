# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup directory format: host names, deterministic private YAML, atomic writes, manifest checksums.

A backup directory is an Ansible inventory (schema_version 1)::

    inventory.yml                                  one group, one host per gateway
    host_vars/<host>/direct_link.yml               direct_link_backup: {schema_version, host, present, gateway, source}
    group_vars/all/direct_link_manifest.yml        direct_link_backup_manifest: {schema_version, source, gateways:
                                                   {host: {name, id, present, file, sha256}}}

The manifest lives in group_vars so that the directory parses cleanly as an inventory (Ansible would try to read
any other file at the top level as an inventory source) and so that plays see it as ``direct_link_backup_manifest``.

Strings that contain template delimiters are written with YAML's ``!unsafe`` tag, so Ansible never evaluates a
value that came from the API or a file.
"""

import hashlib
import os
import re
import tempfile

try:
    import yaml
    YAML_IMPORT_ERROR = None
except ImportError as exc:  # backup modules run on the controller, which has PyYAML with ansible-core
    yaml = None
    YAML_IMPORT_ERROR = exc

SCHEMA_VERSION = 1
BACKUP_KEY = 'direct_link_backup'
MANIFEST = os.path.join('group_vars', 'all', 'direct_link_manifest.yml')
MANIFEST_KEY = 'direct_link_backup_manifest'
# The catalog snapshot (locations, routers, speeds, ports) lives in a hidden directory: Ansible does not read it as
# inventory, and it is no host's or group's vars. Its checksum is in the manifest like a gateway file's.
CATALOG = os.path.join('.catalog', 'direct_link_catalog.yml')
CATALOG_KEY = 'direct_link_catalog'
INVENTORY = 'inventory.yml'
HOST_VARS = 'host_vars'
GATEWAY_FILE = 'direct_link.yml'
HEADER = '---\n# Written by cloud_dr.ibm_direct_link (backup). Edits are detected: the manifest in group_vars/all holds its sha256.\n'
SOURCE_FIELDS = ('id', 'crn', 'location_display_name', 'bgp_ibm_asn', 'created_at')
TEMPLATE_MARKERS = ('{{', '{%', '{#')

BaseDumper = getattr(yaml, 'CSafeDumper', None) or getattr(yaml, 'SafeDumper', object)  # libyaml when available
BaseLoader = getattr(yaml, 'SafeLoader', object)


class TrustedTemplate(str):
    """A template this collection writes on purpose (the only strings written without ``!unsafe`` protection)."""


class BackupDumper(BaseDumper):  # pylint: disable=too-many-ancestors
    """Block-style YAML with ``!unsafe`` for strings that look like templates."""


def _represent_trusted(dumper, value):
    return dumper.represent_str(str(value))


def _represent_text(dumper, value):
    if any(marker in value for marker in TEMPLATE_MARKERS):
        return dumper.represent_scalar('!unsafe', value)
    return dumper.represent_str(value)


if yaml is not None:
    BackupDumper.add_representer(TrustedTemplate, _represent_trusted)
    BackupDumper.add_representer(str, _represent_text)


class BackupLoader(BaseLoader):  # pylint: disable=too-many-ancestors
    """Reads backup files back, keeping ``!unsafe`` strings as plain strings."""


if yaml is not None:
    BackupLoader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node))


def dump(data):
    """Deterministic YAML text (sorted keys, block style, unicode kept)."""
    return yaml.dump(data, Dumper=BackupDumper, sort_keys=True, default_flow_style=False, allow_unicode=True, width=4096)


def load(text):
    """Parse backup YAML."""
    return yaml.load(text, Loader=BackupLoader)  # nosec B506 - BackupLoader is a SafeLoader


def sha256(text):
    """The checksum stored in the manifest."""
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def host_name(gateway_name, gateway_id, taken):
    """A safe, stable inventory host name for a gateway: ``[a-z0-9_]``, starting with a letter, unique.

    The gateway's real name is kept in its vars; a collision gets a short hash of the id appended.
    """
    base = re.sub(r'[^a-z0-9]+', '_', gateway_name.lower()).strip('_')[:48] or 'gateway'
    if not base[0].isalpha():
        base = 'gw_' + base
    name = base
    if name in taken:
        name = f"{base}_{hashlib.sha1(gateway_id.encode('utf-8')).hexdigest()[:8]}"
    return name


def gateway_document(host, gateway, present=True):
    """The text of ``host_vars/<host>/direct_link.yml`` for an option-shaped gateway."""
    read_only = gateway.get('read_only') or {}
    config = {key: value for key, value in gateway.items() if key != 'read_only'}
    if 'virtual_connections' in config:
        config['virtual_connections'] = [{k: v for k, v in vc.items() if k != 'read_only'} for vc in config['virtual_connections']]
    source = {key: read_only[key] for key in SOURCE_FIELDS if key in read_only}
    source['id'] = gateway.get('id')
    document = {BACKUP_KEY: {'schema_version': SCHEMA_VERSION, 'host': host, 'present': present, 'gateway': config,
                             'source': source}}
    return HEADER + dump(document)


def inventory_document(group, hosts):
    """The text of ``inventory.yml``."""
    document = {'all': {'children': {group: {
        'hosts': {host: None for host in sorted(hosts)},
        'vars': {'ansible_connection': 'local',
                 'ansible_python_interpreter': TrustedTemplate('{{ ansible_playbook_python }}')},
    }}}}
    return '---\n# Written by cloud_dr.ibm_direct_link (backup): one host per Direct Link gateway.\n' + dump(document)


def catalog_document(catalog):
    """The text of the catalog snapshot file for a catalog as catalog_info returns it."""
    return ('---\n# Written by cloud_dr.ibm_direct_link (backup): the offering catalog a recovery and a rehearsal depend on.\n'
            + dump({CATALOG_KEY: {'schema_version': SCHEMA_VERSION, 'catalog': catalog}}))


def manifest_document(source, group, entries, catalog=None):
    """The text of ``manifest.yml``; ``entries`` maps host → {name, id, present, file, sha256}; ``catalog`` is the
    snapshot's {file, sha256}, when there is one."""
    manifest = {'schema_version': SCHEMA_VERSION, 'generator': 'cloud_dr.ibm_direct_link.backup_store',
                'source': source, 'inventory_group': group, 'gateways': entries}
    if catalog:
        manifest['catalog'] = catalog
    document = {MANIFEST_KEY: manifest}
    return '---\n# Written by cloud_dr.ibm_direct_link (backup): checksums of every gateway file.\n' + dump(document)


def ensure_private_dir(path):
    """Create a directory (and parents) with mode 0700, whatever the umask; tighten it if it exists."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    os.chmod(path, 0o700)


def ensure_private_tree(root, directory):
    """Create ``directory`` and every directory between it and ``root`` with mode 0700."""
    ensure_private_dir(root)
    current = root
    for part in os.path.relpath(directory, root).split(os.sep):
        if part in ('', '.'):
            continue
        current = os.path.join(current, part)
        ensure_private_dir(current)


TEMP_PREFIX = '.direct-link-'
TEMP_SUFFIX = '.tmp'


def stage(path, text):
    """Write ``text`` to a 0600 temporary file beside ``path`` (hidden, not *.yml: Ansible never loads it)."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, 'w', encoding='utf-8') as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        os.remove(temporary)
        raise
    return temporary


def remove_stale_temporaries(root):
    """Delete temporary files an interrupted run left behind."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
                os.remove(os.path.join(dirpath, name))


def read_text(path):
    """A file's text, or None when it does not exist."""
    try:
        with open(path, encoding='utf-8') as stream:
            return stream.read()
    except FileNotFoundError:
        return None


def gateway_path(root, host):
    """Where a host's backup file lives."""
    return os.path.join(root, HOST_VARS, host, GATEWAY_FILE)
