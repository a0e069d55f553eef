#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The _rehearsal_replica module: its documentation, examples and return values are in _rehearsal_replica.yml beside this file."""


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
    """The create template, virtual and Transit Gateway connections that rebuild one backed-up gateway in the
    simulator.

    MACsec settings a backup holds without their CAKs (imported from a CLI export) cannot be created: the replica
    gateway gets none (the pre-flight of the rehearsed recovery names the gap and the plan option that fills it).
    """
    if gateway.get('macsec') is not None and not recovery.complete_macsec(gateway['macsec']):
        gateway = {key: value for key, value in gateway.items() if key != 'macsec'}
    template = create_template(gateway)
    return {'template': template,
            'virtual_connections': [{key: vc[key] for key in ('name', 'type', 'network_id') if vc.get(key)}
                                    for vc in gateway.get('virtual_connections') or []
                                    # a recorded Transit Gateway connection makes its transit virtual connection itself
                                    if vc.get('type') != 'transit' or not gateway.get('transit_connections')],
            'transit_connections': [{'name': item['name'], 'transit_gateway_id': item['transit_gateway']['id'],
                                     'prefix_filters': item.get('prefix_filters') or [],
                                     'prefix_filters_default': item.get('prefix_filters_default') or 'permit'}
                                    for item in gateway.get('transit_connections') or []]}


def replica_transit_gateways(gateways):
    """The transit gateways the backed-up gateways' Transit Gateway connections are on, once each, as the backup
    records them (id, name, location, global)."""
    found = {}
    for gateway in gateways:
        for item in gateway.get('transit_connections') or []:
            found.setdefault(item['transit_gateway']['id'], item['transit_gateway'])
    return [found[key] for key in sorted(found)]


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
                        'gateways': [replica_gateway(gateway) for gateway in present],
                        'transit_gateways': replica_transit_gateways(present)}}
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
