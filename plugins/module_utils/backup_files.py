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

import contextlib
import fcntl
import hashlib
import json
import os
import re
import stat
import tempfile
import time

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import gateway_fields

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
SOURCE_FIELDS = ('id', 'crn', 'location_display_name', 'bgp_ibm_asn', 'created_at', 'change_request')
TEMPLATE_MARKERS = ('{{', '{%', '{#')

BaseDumper: type = getattr(yaml, 'CSafeDumper', None) or getattr(yaml, 'SafeDumper', object)  # type: ignore[assignment]  # libyaml when available
BaseLoader: type = getattr(yaml, 'CSafeLoader', None) or getattr(yaml, 'SafeLoader', object)  # type: ignore[assignment]


class TrustedTemplate(str):
    """A template this collection writes on purpose (the only strings written without ``!unsafe`` protection)."""


class BackupDumper(BaseDumper):  # pylint: disable=too-many-ancestors
    """Block-style YAML with ``!unsafe`` for strings that look like templates."""


def _represent_trusted(dumper, value):
    return dumper.represent_str(str(value))


def _represent_text(dumper, value):
    if '{' in value and any(marker in value for marker in TEMPLATE_MARKERS):  # every marker starts with '{'; most values hold none
        return dumper.represent_scalar('!unsafe', value)
    return dumper.represent_str(value)


if yaml is not None:
    BackupDumper.add_representer(TrustedTemplate, _represent_trusted)
    BackupDumper.add_representer(str, _represent_text)


MAX_DEPTH = 32  # a gateway backup nests about 6 levels deep


class RefusedYAML(ValueError):
    """YAML that a backup never writes and that could exhaust memory or the stack (anchors, aliases, deep nesting)."""


class BackupLoader(BaseLoader):  # pylint: disable=too-many-ancestors
    """Reads backup files back, keeping ``!unsafe`` strings as plain strings (libyaml's parser when available)."""


if yaml is not None:
    BackupLoader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node))


def refuse_unsafe_structure(text):
    """Raise RefusedYAML for anchors, aliases (a backup never writes them; a few of them expand into gigabytes:
    "billion laughs") and nesting deeper than MAX_DEPTH (instead of a RecursionError).

    A pass over the parser's events, before anything is built from the document: events come one at a time, so
    neither memory nor the stack grows with what is refused.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=BaseLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, 'anchor', None) is not None:
                raise RefusedYAML(f'line {event.start_mark.line + 1}: YAML anchors and aliases are refused (a backup '
                                  'never writes them; they can expand a small file into gigabytes)')
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml's scanner reads a run of brackets ahead of the events and stops at its own limit (1000 levels).
        if 'nesting depth' not in str(exc.problem):
            raise
        raise _too_deep(exc.problem_mark) from None


def _too_deep(mark):
    return RefusedYAML(f'line {mark.line + 1}: nested deeper than {MAX_DEPTH} levels (a backup never is)')


def dump(data):
    """Deterministic YAML text (sorted keys, block style, unicode kept)."""
    return yaml.dump(data, Dumper=BackupDumper, sort_keys=True, default_flow_style=False, allow_unicode=True, width=4096)


def load(text):
    """Parse backup YAML (refused when its structure is unsafe: see refuse_unsafe_structure)."""
    refuse_unsafe_structure(text)
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


def _stored_child(child):
    """A virtual or Transit Gateway connection as the backup keeps it: its options, and its status at backup time
    (read-only, never sent)."""
    stored = {key: value for key, value in child.items() if key != 'read_only'}
    status = (child.get('read_only') or {}).get('status')
    if status:
        stored['read_only'] = {'status': status}
    return stored


def gateway_document(host, gateway, present=True):
    """The text of ``host_vars/<host>/direct_link.yml`` for an option-shaped gateway.

    ``gateway['missing']`` (``[{field, reason}]``, from an import that could not carry every field) is written as the
    section's ``missing``; each virtual and Transit Gateway connection keeps ``read_only: {status}``.
    """
    read_only = gateway.get('read_only') or {}
    config = {key: value for key, value in gateway.items() if key not in ('read_only', 'missing')}
    for field in gateway_fields.CHILD_FIELDS:
        if field in config:
            config[field] = [_stored_child(child) for child in config[field]]
    source = {key: read_only[key] for key in SOURCE_FIELDS if key in read_only}
    source['id'] = gateway.get('id')
    section = {'schema_version': SCHEMA_VERSION, 'host': host, 'present': present, 'gateway': config, 'source': source}
    if gateway.get('missing'):
        section['missing'] = gateway['missing']
    return HEADER + dump({BACKUP_KEY: section})


def inventory_document(group, hosts):
    """The text of ``inventory.yml``."""
    document = {'all': {'children': {group: {
        'hosts': dict.fromkeys(sorted(hosts)),
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
    """Create a directory (and parents) with mode 0700, whatever the umask; tighten it if it exists.

    For a directory the user names (a backup root, a report directory): a symbolic link there is the user's choice
    and is followed. Directories inside a backup are made with ensure_private_tree, which never follows one.
    """
    os.makedirs(path, mode=0o700, exist_ok=True)
    os.chmod(path, 0o700)


class BackupPathError(Exception):
    """A path inside a backup directory that the collection refuses to follow, read or write."""


def symlink_message(path):
    """Why a symbolic link inside a backup directory is refused."""
    return (f'{path}: is a symbolic link; a backup never holds one (it could point at any file on this machine): replace '
            'it with the file or directory itself')


def _refusal(path, error):
    """The error for a path opened without following symbolic links that could not be opened."""
    return BackupPathError(symlink_message(path) if os.path.islink(path) else f'{path}: {error.strerror}')


def ensure_private_tree(root, directory):
    """Create ``directory`` and every directory between it and ``root`` with mode 0700, never through a symbolic link."""
    ensure_private_dir(root)
    current = root
    for part in os.path.relpath(directory, root).split(os.sep):
        if part in ('', '.'):
            continue
        current = os.path.join(current, part)
        try:
            os.mkdir(current, 0o700)
        except FileExistsError:
            pass
        try:
            handle = os.open(current, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError as error:
            raise _refusal(current, error) from None
        try:
            os.fchmod(handle, 0o700)
        finally:
            os.close(handle)


def read_inside(root, relative, limit):
    """The text of ``root/relative`` (None when it does not exist), bounded and never through a symbolic link.

    ``root`` itself may be a symbolic link (the user named it); below it, every directory and the file are opened
    without following links, the file must be a regular file (a FIFO would block) of at most ``limit`` bytes.
    Raises BackupPathError naming the path.
    """
    parts = relative.split(os.sep)
    try:
        handle = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            flags = os.O_RDONLY | os.O_NOFOLLOW | (os.O_NONBLOCK if last else os.O_DIRECTORY)
            try:
                child = os.open(part, flags, dir_fd=handle)
            except FileNotFoundError:
                return None
            except OSError as error:
                raise _refusal(os.path.join(root, *parts[:depth + 1]), error) from None
            os.close(handle)
            handle = child
        return _read_bounded(handle, os.path.join(root, relative), limit)
    finally:
        os.close(handle)


def _read_bounded(handle, path, limit):
    status = os.fstat(handle)
    if not stat.S_ISREG(status.st_mode):
        raise BackupPathError(f'{path}: not a regular file')
    if status.st_size > limit:
        raise BackupPathError(f'{path}: {status.st_size} bytes is larger than a gateway backup can be ({limit} bytes at most)')
    data = os.read(handle, limit + 1)
    if len(data) > limit:
        raise BackupPathError(f'{path}: grew beyond {limit} bytes while being read')
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as error:
        raise BackupPathError(f'{path}: not UTF-8 text ({error.reason} at byte {error.start})') from None


TEMP_PREFIX = '.direct-link-'
TEMP_SUFFIX = '.tmp'
# Hidden files in the backup root: Ansible never reads them as inventory, backup_commit never commits them.
LOCK = '.direct-link-lock'
JOURNAL = '.direct-link-journal.json'
MAX_FILE_BYTES = 1024 * 1024
HOST_RULE = '^[a-z][a-z0-9_]*$, at most 64 characters'
HOST_PATTERN = re.compile(r'[a-z][a-z0-9_]{0,63}')


def valid_host(name):
    """Whether ``name`` is a host name host_name could have produced (so it is safe as a path component)."""
    return isinstance(name, str) and HOST_PATTERN.fullmatch(name) is not None


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


def _real_directory(root, relative):
    """Whether ``root/relative`` is a directory reached without any symbolic link below ``root``."""
    current = root
    for part in relative.split(os.sep):
        current = os.path.join(current, part)
        try:
            if not stat.S_ISDIR(os.lstat(current).st_mode):
                return False
        except FileNotFoundError:
            return False
    return True


def written_directories(root):
    """The directories of a backup the collection writes files in (those that exist, reached without a link)."""
    candidates = [os.path.dirname(MANIFEST), os.path.dirname(CATALOG)]
    if _real_directory(root, HOST_VARS):
        candidates += [os.path.join(HOST_VARS, host) for host in sorted(os.listdir(os.path.join(root, HOST_VARS)))
                       if valid_host(host)]
    return [root] + [os.path.join(root, relative) for relative in candidates if _real_directory(root, relative)]


def remove_stale_temporaries(root):
    """Delete temporary files an interrupted run left behind (only while holding the lock, after the journal)."""
    for directory in written_directories(root):
        for entry in os.scandir(directory):
            if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX) and entry.is_file(follow_symlinks=False):
                os.remove(entry.path)


@contextlib.contextmanager
def locked(root, timeout):
    """Hold the backup directory's exclusive lock (flock on LOCK), waiting at most ``timeout`` seconds for it."""
    path = os.path.join(root, LOCK)
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise _refusal(path, error) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BackupPathError(f'{root}: another backup has held the directory lock ({LOCK}) for more than '
                                          f'{timeout:g} seconds; run again when it has finished, or raise lock_timeout') from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # releases the lock


def resume_hint(root):
    """How to complete a backup interrupted between its renames (read_backup's message; it never writes)."""
    return (f"{os.path.join(root, JOURNAL)}: a backup was interrupted while switching to its new files, so files and "
            "manifest may be out of step. Complete it (no API access needed) with: ansible localhost -m "
            f"cloud_dr.ibm_direct_link.backup_store -a 'path={root} resume_only=true' (or run the backup again)")


def _fsync_directory(path):
    handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _collection_file(relative):
    """Whether ``relative`` is a file the backup writes (the only files a journal may name)."""
    parts = relative.split(os.sep)
    if relative in (INVENTORY, MANIFEST, CATALOG):
        return True
    return len(parts) == 3 and parts[0] == HOST_VARS and valid_host(parts[1]) and parts[2] == GATEWAY_FILE


def _check_journal(path, journal):
    """Raise BackupPathError unless the journal names only the collection's own files and temporaries."""
    def bad(what):
        return BackupPathError(f'{path}: {what}; it was not written by backup_store: move it away and run the backup again')
    if not isinstance(journal, dict) or journal.get('version') != 1:
        raise bad('not a backup journal (version 1)')
    renames, prunes = journal.get('renames'), journal.get('prunes')
    if not isinstance(renames, list) or not isinstance(prunes, list):
        raise bad('renames and prunes must be lists')
    for pair in renames:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(item, str) for item in pair)
                and _collection_file(pair[1]) and os.path.dirname(pair[0]) == os.path.dirname(pair[1])
                and os.path.basename(pair[0]).startswith(TEMP_PREFIX) and pair[0].endswith(TEMP_SUFFIX)):
            raise bad(f'rename {pair!r} is not a staged file of the backup to one of its files')
    for host in prunes:
        if not valid_host(host):
            raise bad(f'prune {host!r} is not a host name the backup writes (expected {HOST_RULE})')


def switch(root, renames, prunes):
    """Move a staged backup into place as one step that can be completed after a crash.

    ``renames`` are (temporary, final) paths inside ``root``, ``prunes`` host names whose file is deleted. The journal
    is written (atomically, fsync'd) before the first rename and removed after the last step, so an interruption leaves
    a journal that complete_journal finishes (with the same result as an uninterrupted run).
    """
    journal = {'version': 1, 'renames': [[os.path.relpath(temporary, root), os.path.relpath(final, root)]
                                         for temporary, final in renames], 'prunes': list(prunes)}
    path = os.path.join(root, JOURNAL)
    os.replace(stage(path, json.dumps(journal, sort_keys=True)), path)
    _fsync_directory(root)
    _carry_out(root, journal)


def complete_journal(root):
    """Finish a switch an interrupted run left in its journal (call while holding the lock); whether there was one."""
    path = os.path.join(root, JOURNAL)
    text = read_inside(root, JOURNAL, 4 * MAX_FILE_BYTES)
    if text is None:
        return False
    try:
        journal = json.loads(text)
    except (ValueError, RecursionError):
        raise BackupPathError(f'{path}: not valid JSON; it was not written by backup_store: move it away and run the backup again') from None
    _check_journal(path, journal)
    named = [path for pair in journal['renames'] for path in pair]
    for relative in named + [os.path.join(HOST_VARS, host, GATEWAY_FILE) for host in journal['prunes']]:
        read_inside(root, relative, MAX_FILE_BYTES)  # refuses a symbolic link on the way to any file it moves or deletes
    _carry_out(root, journal)
    return True


def _carry_out(root, journal):
    touched = {root}
    for temporary, final in journal['renames']:
        source, target = os.path.join(root, temporary), os.path.join(root, final)
        if os.path.lexists(source):  # absent: renamed before the interruption
            os.replace(source, target)
        touched.add(os.path.dirname(target))
    for host in journal['prunes']:
        directory = os.path.join(root, HOST_VARS, host)
        if os.path.lexists(os.path.join(directory, GATEWAY_FILE)):
            os.remove(os.path.join(directory, GATEWAY_FILE))
        try:
            os.rmdir(directory)  # only when the backup's file was all it held
        except OSError:
            pass
        touched.add(os.path.join(root, HOST_VARS))
    for directory in sorted(touched):
        if os.path.isdir(directory):
            _fsync_directory(directory)
    os.remove(os.path.join(root, JOURNAL))
    _fsync_directory(root)


def read_text(path):
    """A file's text, or None when it does not exist (for files outside a backup directory)."""
    try:
        with open(path, encoding='utf-8') as stream:
            return stream.read()
    except FileNotFoundError:
        return None


def gateway_path(root, host):
    """Where a host's backup file lives."""
    return os.path.join(root, HOST_VARS, host, GATEWAY_FILE)
