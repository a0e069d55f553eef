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
      - Route filters are not part of that procedure; gateways imported this way have none recorded.
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
    description: Delete the files of gateways the account no longer lists (by default they are kept, marked C(present=false)).
    type: bool
    default: false
  catalog:
    description:
      - The offering catalog as M(cloud_dr.ibm_direct_link.catalog_info) returns it, saved as
        C(.catalog/direct_link_catalog.yml) (outside the inventory's vars) with its checksum in the manifest.
      - A rehearsal replays it when the live catalog is out of reach. When omitted, a snapshot saved earlier is kept.
    type: dict
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
"""

import json
import os
import shutil

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import normalize


class BackupError(Exception):
    """A problem that stops the backup before anything is written."""


def read_cli_export(directory):
    """Option-shaped gateways from JSON saved with the IBM Cloud CLI."""
    def read(name):
        path = os.path.join(directory, name)
        try:
            with open(path, encoding='utf-8') as stream:
                return json.load(stream)
        except FileNotFoundError:
            return None
        except ValueError as exc:
            raise BackupError(f'{path} is not valid JSON: {exc}') from None

    listed = read('gateways.json')
    if listed is None:
        raise BackupError(f"{os.path.join(directory, 'gateways.json')} is missing: save it with "
                          "'ibmcloud dl gateways --output json > gateways.json'")
    listed = listed.get('gateways', []) if isinstance(listed, dict) else listed
    if not isinstance(listed, list) or not all(isinstance(item, dict) and 'id' in item and 'name' in item for item in listed):
        raise BackupError(f"{os.path.join(directory, 'gateways.json')}: expected a list of gateways with id and name")
    gateways = []
    for item in listed:
        if item.get('cross_account'):
            continue
        vcs = read(f"virtual-connections-{item['id']}.json")
        if isinstance(vcs, dict):
            vcs = vcs.get('virtual_connections', [])
        gateways.append(normalize.gateway(item, virtual_connections=vcs or []))
    return gateways


def load_manifest(root):
    """The existing manifest (or an empty one)."""
    text = files.read_text(os.path.join(root, files.MANIFEST))
    if text is None:
        return {'gateways': {}}
    try:
        manifest = (files.load(text) or {}).get(files.MANIFEST_KEY)
    except Exception as exc:  # pylint: disable=broad-except
        raise BackupError(f"{os.path.join(root, files.MANIFEST)} is not valid YAML ({exc}); move it away to start a new backup") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get('gateways'), dict):
        raise BackupError(f'{os.path.join(root, files.MANIFEST)} is not a backup manifest; move it away to start a new backup')
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
    gateways = read_cli_export(params['import_cli_dir']) if params['import_cli_dir'] else params['gateways']
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
        old = files.read_text(path)
        if old != text:
            writes[path] = text
            (added if host not in previous else updated).append(host)
        entries[host] = {'name': gateway['name'], 'id': gateway['id'], 'present': True,
                         'file': os.path.relpath(path, root), 'sha256': files.sha256(text)}
    for host, entry in sorted(previous.items()):
        if host in entries:
            continue
        path = files.gateway_path(root, host)
        if params['prune']:
            pruned.append(host)
            continue
        old = files.read_text(path)
        document = files.load(old) if old else None
        if document and files.BACKUP_KEY in document:
            section = document[files.BACKUP_KEY]
            text = files.gateway_document(host, dict(section['gateway'], read_only=section.get('source', {})), present=False)
            if text != old:
                writes[path] = text
                absent.append(host)
            entries[host] = dict(entry, present=False, sha256=files.sha256(text))
    catalog_entry = manifest.get('catalog')
    if params['catalog'] is not None:
        text = files.catalog_document(params['catalog'])
        if files.read_text(os.path.join(root, files.CATALOG)) != text:
            writes[os.path.join(root, files.CATALOG)] = text
        catalog_entry = {'file': files.CATALOG, 'sha256': files.sha256(text)}
    group = params['inventory_group']
    writes_meta = {
        os.path.join(root, files.INVENTORY): files.inventory_document(group, entries),
        os.path.join(root, files.MANIFEST): files.manifest_document(params['source'], group, entries, catalog_entry),
    }
    for path, text in writes_meta.items():
        if files.read_text(path) != text:
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
    """Stage every file, then rename them into place: gateway files, the inventory, the manifest last.

    An interrupted run leaves the previous backup untouched while staging (the slow part); the renames that follow
    take milliseconds, and the manifest, renamed last, still describes the files of the previous run until then.
    """
    files.remove_stale_temporaries(root)
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
    for temporary, path in staged:
        os.replace(temporary, path)
    for host in pruned:
        shutil.rmtree(os.path.join(root, files.HOST_VARS, host), ignore_errors=True)


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
        ),
        mutually_exclusive=[('gateways', 'import_cli_dir')],
        required_one_of=[('gateways', 'import_cli_dir')],
        supports_check_mode=True,
    )
    if files.YAML_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('PyYAML'), exception=str(files.YAML_IMPORT_ERROR))
    try:
        writes, pruned, result = plan(module.params)
    except BackupError as error:
        module.fail_json(msg=str(error))
    changed = bool(writes or pruned)
    if changed and not module.check_mode:
        apply(module.params['path'], writes, pruned)
    elif not module.check_mode:
        files.ensure_private_dir(module.params['path'])
        files.remove_stale_temporaries(module.params['path'])
    result['summary'] = summary(result)
    diff = {'before': '', 'after': '\n'.join(f'{key}: {", ".join(result[key])}' for key in ('added', 'updated', 'absent', 'pruned')
                                             if result[key]) + '\n'}
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == '__main__':
    main()
