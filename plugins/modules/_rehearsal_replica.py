#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: _rehearsal_replica
short_description: Describe the account a backup holds, as a seed for the Direct Link simulator of a DR rehearsal
version_added: 0.1.0
description:
  - Internal to the C(cloud_dr.ibm_direct_link.rehearse) role (the leading underscore says so) - its options and results
    may change with the role; compose the public modules in your own playbooks.
  - Reads a backup directory (checksums and structure checked like a recovery does) and writes a JSON seed from
    which the bundled Direct Link simulator rebuilds the account as the backup describes it - every gateway with
    its route filters, AS prepends, MACsec, BGP addresses and virtual connections - together with the offering
    catalog the recovery needs.
  - The catalog comes from the snapshot the backup saved (C(.catalog/direct_link_catalog.yml)) or from the live
    API (read-only catalog requests; the only requests this module can make).
  - The C(cloud_dr.ibm_direct_link.rehearse) playbook uses it; it rarely needs to be called directly.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  backup_dir:
    description: The backup directory.
    type: path
    required: true
  dest:
    description: The seed file to write (mode 0600).
    type: path
    required: true
  catalog_source:
    description:
      - C(snapshot) replays the catalog saved by the backup; C(live) reads the live catalog with the credentials;
        C(auto) uses the snapshot when the backup has one, else the live catalog.
    type: str
    choices: [auto, snapshot, live]
    default: auto
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.concurrency
attributes:
  check_mode:
    description: Reads and checks the backup; writes nothing.
    support: full
  diff_mode:
    description: Not applicable; the seed file is a working file of the rehearsal.
    support: none
"""

EXAMPLES = r"""
- name: Seed a rehearsal with the account as the backup describes it
  cloud_dr.ibm_direct_link._rehearsal_replica:
    backup_dir: /srv/dl-backup
    dest: /srv/dl-rehearsal/replica.json
    catalog_source: snapshot
  register: replica
"""

RETURN = r"""
account_id:
  description:
    - The account the backup was made from - the manifest's C(source.account_id), or the account every gateway's
      CRN names (a backup imported from a CLI export before the import recorded it).
  returned: always
  type: str
gateways:
  description: Names of the gateways in the replica (those the backup holds as present).
  returned: always
  type: list
  elements: str
locations:
  description: The locations of those gateways.
  returned: always
  type: list
  elements: str
catalog_from:
  description: Where the catalog came from, C(snapshot) or C(live).
  returned: always
  type: str
"""

import json
import os

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery, rehearsal
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import snapshot
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_state import create_template
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.recovery import saved_catalog


def replica_gateway(gateway):
    """The create template and virtual connections that rebuild one backed-up gateway in the simulator.

    MACsec settings a backup holds without their CAKs (imported from a CLI export) cannot be created: the replica
    gateway gets none (the pre-flight of the rehearsed recovery names the gap and the plan option that fills it).
    """
    if gateway.get('macsec') is not None and not recovery.complete_macsec(gateway['macsec']):
        gateway = {key: value for key, value in gateway.items() if key != 'macsec'}
    template = create_template(gateway)
    return {'template': template,
            'virtual_connections': [{key: vc[key] for key in ('name', 'type', 'network_id') if vc.get(key)}
                                    for vc in gateway.get('virtual_connections') or []]}


def build(module):
    """Read the backup and the catalog; write the seed."""
    params = module.params
    backup = recovery.read_backup(params['backup_dir'])
    if backup.problems:
        raise DirectLinkError(f'The backup cannot be rehearsed: {" | ".join(backup.problems)}')
    catalog = None if params['catalog_source'] == 'live' else saved_catalog(params['backup_dir'], backup.manifest)
    if catalog is None and params['catalog_source'] == 'snapshot':
        raise DirectLinkError(f"{params['backup_dir']}: the backup holds no catalog snapshot (back up with "
                              'backup_catalog=true, or rehearse with the live catalog)')
    catalog_from = 'snapshot' if catalog is not None else 'live'
    if catalog is None:
        catalog = snapshot(module.connection, params['max_concurrency'])
    account_id, problem = rehearsal.account_id(backup.manifest, backup.gateways)
    if problem:
        raise DirectLinkError(f'{os.path.join(params["backup_dir"], files.MANIFEST)}: {problem}')
    present = [section['gateway'] for _host, section in sorted(backup.gateways.items()) if section.get('present', True)]
    seed = {'replica': {'account_id': account_id, 'catalog': catalog,
                        'gateways': [replica_gateway(gateway) for gateway in present]}}
    if not module.check_mode:
        files.ensure_private_dir(os.path.dirname(os.path.abspath(params['dest'])))
        os.replace(files.stage(params['dest'], json.dumps(seed, sort_keys=True)), params['dest'])
    return {'changed': not module.check_mode, 'account_id': seed['replica']['account_id'], 'catalog_from': catalog_from,
            'gateways': [gateway['name'] for gateway in present],
            'locations': sorted({gateway['location_name'] for gateway in present})}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(
        backup_dir=dict(type='path', required=True),
        dest=dict(type='path', required=True),
        catalog_source=dict(type='str', choices=['auto', 'snapshot', 'live'], default='auto'),
    ), concurrent=True).run(build)


if __name__ == '__main__':
    main()
