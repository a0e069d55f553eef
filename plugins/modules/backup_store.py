#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup_store module: its documentation, examples and return values are in backup_store.yml beside this file."""


import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.cli_export import CliExportError, read_cli_export


class BackupError(Exception):
    """A problem that stops the backup before anything is written."""


def read_existing(root, path):
    """The current text of a file of the backup (None when missing), never read through a symbolic link."""
    return files.read_inside(root, os.path.relpath(path, root), files.MAX_FILE_BYTES)


def load_existing(path, text):
    """A file of the backup parsed, or BackupError naming it."""
    try:
        return files.load(text)
    except Exception as exc:  # pylint: disable=broad-except
        raise BackupError(f"{path} is not valid YAML ({' '.join(str(exc).split())}); move it away to start a new backup") from None


def load_manifest(root):
    """The existing manifest (or an empty one); its host names are checked before any is used as a path."""
    path = os.path.join(root, files.MANIFEST)
    text = read_existing(root, path)
    if text is None:
        return {'gateways': {}}
    document = load_existing(path, text)
    manifest = document.get(files.MANIFEST_KEY) if isinstance(document, dict) else None
    if not isinstance(manifest, dict) or not isinstance(manifest.get('gateways'), dict):
        raise BackupError(f'{path} is not a backup manifest; move it away to start a new backup')
    for host, entry in manifest['gateways'].items():
        if not files.valid_host(host) or not isinstance(entry, dict):
            raise BackupError(f'{path}: gateways entry {host!r} is not a host the backup writes (expected a mapping under a '
                              f'host name {files.HOST_RULE}); nothing was changed')
    return manifest


def assign_hosts(gateways, previous):
    """Host name per gateway id: existing ones kept, new ones derived from the name."""
    known = {entry.get('id'): host for host, entry in previous.items() if isinstance(entry, dict)}
    assigned = {}
    taken = set(previous)
    for gateway in sorted(gateways, key=lambda g: (g['name'], g['id'])):
        host = known.get(gateway['id'])
        if host is None:
            host = files.host_name(gateway['name'], gateway['id'], taken)
        taken.add(host)
        assigned[gateway['id']] = host
    return assigned


def plan(params):
    """Every file to write or remove, and what changed."""
    root = params['path']
    gateways, source = params['gateways'], params['source']
    if params['import_cli_dir']:
        gateways, derived = read_cli_export(params['import_cli_dir'])
        source = dict(params['source'], **derived)
    for index, gateway in enumerate(gateways):
        if not isinstance(gateway, dict) or not gateway.get('id') or not gateway.get('name'):
            raise BackupError(f'gateways[{index}] has no id or name: pass the gateways returned by gateway_info')
    manifest = load_manifest(root)
    previous = manifest['gateways']
    if not gateways and any(entry.get('present', True) for entry in previous.values()) and not params['allow_shrink']:
        raise BackupError(f'The account lists no gateways, but the backup in {root} holds {len(previous)}. This usually '
                          'means a wrong API key, another account or an outage; the backup was left untouched. Set '
                          'allow_shrink (backup_allow_shrink) to true if the gateways really are gone.')
    hosts = assign_hosts(gateways, previous)
    writes, entries = {}, {}
    added, updated, absent, pruned = [], [], [], []
    for gateway in gateways:
        host = hosts[gateway['id']]
        text = files.gateway_document(host, gateway)
        path = files.gateway_path(root, host)
        old = read_existing(root, path)
        if old != text:
            writes[path] = text
            (added if host not in previous else updated).append(host)
        entries[host] = {'name': gateway['name'], 'id': gateway['id'], 'present': True,
                         'file': os.path.relpath(path, root), 'sha256': files.sha256(text)}
    for host, entry in sorted(previous.items()):
        if host in entries:
            continue
        path = files.gateway_path(root, host)
        old = read_existing(root, path)
        if params['prune']:
            pruned.append(host)
            continue
        document = load_existing(path, old) if old else None
        if document and files.BACKUP_KEY in document:
            section = document[files.BACKUP_KEY]
            text = files.gateway_document(host, dict(section['gateway'], read_only=section.get('source', {}),
                                                     missing=section.get('missing')), present=False)
            if text != old:
                writes[path] = text
                absent.append(host)
            entries[host] = dict(entry, present=False, sha256=files.sha256(text))
    catalog_entry = manifest.get('catalog')
    if params['catalog'] is not None:
        text = files.catalog_document(params['catalog'])
        if read_existing(root, os.path.join(root, files.CATALOG)) != text:
            writes[os.path.join(root, files.CATALOG)] = text
        catalog_entry = {'file': files.CATALOG, 'sha256': files.sha256(text)}
    group = params['inventory_group']
    writes_meta = {
        os.path.join(root, files.INVENTORY): files.inventory_document(group, entries),
        os.path.join(root, files.MANIFEST): files.manifest_document(source, group, entries, catalog_entry),
    }
    for path, text in writes_meta.items():
        if read_existing(root, path) != text:
            writes[path] = text
    return writes, pruned, {'hosts': {entry['name']: host for host, entry in sorted(entries.items())},
                            'added': sorted(added), 'updated': sorted(updated), 'absent': sorted(absent),
                            'pruned': sorted(pruned)}


def summary(result):
    """A one-line description of the change."""
    parts = [f"{len(result[key])} {label}" for key, label in (('added', 'added'), ('updated', 'changed'),
                                                              ('absent', 'no longer listed'), ('pruned', 'pruned'))
             if result[key]]
    return 'Direct Link backup: ' + (', '.join(parts) if parts else 'no gateway changed') + f" ({len(result['hosts'])} gateways)"


def apply(root, writes, pruned):
    """Stage every file (fsync'd), then switch to them through the journal: gateway files, the inventory, the manifest
    last, then the pruned files.

    An interrupted run leaves the previous backup untouched while staging (the slow part); once the journal is written
    the switch is completed by this run or, after an interruption, by the next one (files.complete_journal).
    """
    meta = [os.path.join(root, files.INVENTORY), os.path.join(root, files.MANIFEST)]
    order = sorted(p for p in writes if p not in meta) + [p for p in meta if p in writes]
    staged = []
    try:
        for path in order:
            files.ensure_private_tree(root, os.path.dirname(path))
            staged.append((files.stage(path, writes[path]), path))
    except BaseException:
        for temporary, _path in staged:
            os.remove(temporary)
        raise
    files.switch(root, staged, pruned)


def store(params, check_mode=False):
    """Plan and write the backup under the directory's lock, completing an interrupted one first.

    Returns (changed, result). Check mode takes no lock and writes nothing; a first backup checks its input before the
    directory (and its lock) is created, and writes what that check planned unless another run wrote in the directory
    before this one took the lock (then it plans again).
    """
    root = params['path']
    planned = None
    if check_mode or not os.path.isdir(root):
        resumed = os.path.lexists(os.path.join(root, files.JOURNAL))
        planned = ({}, [], empty_result()) if params['resume_only'] else plan(params)
        if check_mode or params['resume_only']:
            writes, pruned, result = planned
            return bool(writes or pruned or resumed), dict(result, resumed=resumed)
    files.ensure_private_dir(root)
    with files.locked(root, params['lock_timeout']):
        resumed = files.complete_journal(root)
        files.remove_stale_temporaries(root)
        if params['resume_only']:
            return resumed, dict(empty_result(), resumed=resumed)
        untouched = planned is not None and os.listdir(root) == [files.LOCK]
        writes, pruned, result = planned if untouched else plan(params)
        if writes or pruned:
            apply(root, writes, pruned)
    return bool(writes or pruned or resumed), dict(result, resumed=resumed)


def empty_result():
    """The result of a run that only completed an interrupted backup."""
    return {'hosts': {}, 'added': [], 'updated': [], 'absent': [], 'pruned': []}


def main():
    """Module entry point."""
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            gateways=dict(type='list', elements='dict'),
            import_cli_dir=dict(type='path'),
            source=dict(type='dict', default={}),
            inventory_group=dict(type='str', default='direct_link_gateways'),
            allow_shrink=dict(type='bool', default=False),
            prune=dict(type='bool', default=False),
            catalog=dict(type='dict'),
            lock_timeout=dict(type='float', default=300),
            resume_only=dict(type='bool', default=False),
        ),
        mutually_exclusive=[('gateways', 'import_cli_dir')],
        required_if=[('resume_only', False, ('gateways', 'import_cli_dir'), True)],
        supports_check_mode=True,
    )
    if files.YAML_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('PyYAML'), exception=str(files.YAML_IMPORT_ERROR))
    try:
        changed, result = store(module.params, module.check_mode)
    except (BackupError, CliExportError, files.BackupPathError) as error:
        module.fail_json(msg=str(error))
    except OSError as error:
        module.fail_json(msg=f'{error.filename or module.params["path"]}: {error.strerror}')
    result['summary'] = summary(result)
    diff = {'before': '', 'after': '\n'.join(f'{key}: {", ".join(result[key])}' for key in ('added', 'updated', 'absent', 'pruned')
                                             if result[key]) + '\n'}
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == '__main__':
    main()
