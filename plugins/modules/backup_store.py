#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: backup_store
short_description: Write gathered Direct Link gateways into a backup directory that is an Ansible inventory
version_added: 0.1.0
description:
  - Writes one C(host_vars/<host>/direct_link.yml) per gateway, an C(inventory.yml) with one host per gateway and a
    manifest (C(group_vars/all/direct_link_manifest.yml)) with the sha256 of every gateway file, so that C(-i PATH)
    is all a recovery needs.
  - Deterministic (an unchanged account gives byte-identical files and C(changed=false)), atomic (every file is
    written to a temporary file and renamed; the manifest last) and private (directories 0700, files 0600).
  - An account that suddenly lists no gateways does not wipe a non-empty backup unless O(allow_shrink=true).
    Gateways no longer listed keep their files, marked C(present=false), unless O(prune=true).
  - Runs on the controller (C(localhost)); it makes no API call.
  - Safe with a directory it did not write (for example a git checkout) - it only ever creates, replaces, chmods or
    deletes the files it writes itself, never through a symbolic link inside the directory (the directory itself may be
    one), and refuses a manifest whose host names are not ones it writes (such as C(../x)), naming the file and entry.
  - Holds an exclusive lock (C(.direct-link-lock) in the directory) while it works, so that two backups into one
    directory run one after the other.
  - Switches from the old files to the new ones through a journal (C(.direct-link-journal.json)); a run interrupted
    between its renames is completed by the next run, or without API access by O(resume_only=true).
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  path:
    description: The backup directory (created 0700 when missing).
    type: path
    required: true
  gateways:
    description:
      - Gateways as M(cloud_dr.ibm_direct_link.gateway_info) returns them, with virtual connections, route filters,
        AS prepends and MACsec. Mutually exclusive with O(import_cli_dir).
    type: list
    elements: dict
  import_cli_dir:
    description:
      - A directory of JSON files saved with the IBM Cloud CLI, following IBM's manual backup procedure
        C(gateways.json) from C(ibmcloud dl gateways --output json), and C(virtual-connections-<GATEWAY_ID>.json) from
        C(ibmcloud dl virtual-connections GATEWAY_ID --output json) for each gateway.
      - What the export cannot carry is recorded per gateway under C(missing) (route filters, MACsec CAKs, the
        virtual connections of a gateway without its file), so that a recovery names each gap and the plan option
        that fills it. The account id named by the gateways' CRNs is added to O(source).
    type: path
  source:
    description: Where the backup comes from (for example C(account_id) and C(endpoint)); stored in the manifest.
    type: dict
    default: {}
  inventory_group:
    description: The inventory group of the gateway hosts.
    type: str
    default: direct_link_gateways
  allow_shrink:
    description: Accept an empty gateway list even though the backup holds gateways.
    type: bool
    default: false
  prune:
    description:
      - Delete the files of gateways the account no longer lists (by default they are kept, marked C(present=false)).
      - Only the backup's own C(direct_link.yml) is deleted, and the host's directory when nothing else is left in it.
    type: bool
    default: false
  catalog:
    description:
      - The offering catalog as M(cloud_dr.ibm_direct_link.catalog_info) returns it, saved as
        C(.catalog/direct_link_catalog.yml) (outside the inventory's vars) with its checksum in the manifest.
      - A rehearsal replays it when the live catalog is out of reach. When omitted, a snapshot saved earlier is kept.
    type: dict
  lock_timeout:
    description: Seconds to wait for another backup into the same directory to finish before failing.
    type: float
    default: 300
  resume_only:
    description:
      - Only complete a backup that was interrupted while switching to its new files (the recovery names this when it
        refuses such a directory), then stop. O(gateways) and O(import_cli_dir) are not needed.
    type: bool
    default: false
attributes:
  check_mode:
    description: Reports what would change and writes nothing.
    support: full
  diff_mode:
    description: Lists the gateway files that would be added, changed, marked absent or pruned.
    support: full
"""

EXAMPLES = r"""
- name: Gather everything
  cloud_dr.ibm_direct_link.gateway_info:
  register: gathered

- name: Store it as an inventory
  cloud_dr.ibm_direct_link.backup_store:
    path: /srv/dl-backup
    gateways: "{{ gathered.gateways }}"
    source:
      endpoint: https://directlink.cloud.ibm.com/v1

- name: Snapshot the offering catalog
  cloud_dr.ibm_direct_link.catalog_info:
  register: snapshot

- name: Store the gateways with the catalog a recovery depends on
  cloud_dr.ibm_direct_link.backup_store:
    path: /srv/dl-backup
    gateways: "{{ gathered.gateways }}"
    catalog: "{{ snapshot.catalog }}"

- name: Complete a backup interrupted between its renames (no API access needed)
  cloud_dr.ibm_direct_link.backup_store:
    path: /srv/dl-backup
    resume_only: true

- name: Convert a backup made with the IBM Cloud CLI
  cloud_dr.ibm_direct_link.backup_store:
    path: /srv/dl-backup
    import_cli_dir: /srv/cli-export
"""

RETURN = r"""
hosts:
  description: Inventory host name of every gateway in the backup, by gateway name.
  returned: always
  type: dict
  sample: {dal10-connect-primary: dal10_connect_primary}
added:
  description: Hosts whose gateway is new in this backup.
  returned: always
  type: list
  elements: str
updated:
  description: Hosts whose gateway changed.
  returned: always
  type: list
  elements: str
absent:
  description: Hosts whose gateway the account no longer lists (kept, marked C(present=false)).
  returned: always
  type: list
  elements: str
pruned:
  description: Hosts whose files were deleted (with O(prune=true)).
  returned: always
  type: list
  elements: str
summary:
  description: One line that says what changed (used as the git commit message).
  returned: always
  type: str
resumed:
  description: Whether this run completed a backup that an earlier run left half switched (its journal).
  returned: always
  type: bool
"""

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
    directory (and its lock) is created.
    """
    root = params['path']
    if check_mode or not os.path.isdir(root):
        resumed = os.path.lexists(os.path.join(root, files.JOURNAL))
        writes, pruned, result = ({}, [], empty_result()) if params['resume_only'] else plan(params)
        if check_mode or params['resume_only']:
            return bool(writes or pruned or resumed), dict(result, resumed=resumed)
    files.ensure_private_dir(root)
    with files.locked(root, params['lock_timeout']):
        resumed = files.complete_journal(root)
        files.remove_stale_temporaries(root)
        if params['resume_only']:
            return resumed, dict(empty_result(), resumed=resumed)
        writes, pruned, result = plan(params)
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
