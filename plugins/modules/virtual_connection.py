#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The virtual_connection module: its documentation, examples and return values are in virtual_connection.yml beside this file."""


from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api, progress, vc_state
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.lifecycle import wait_for_vcs
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def find_gateway(connection, wanted):
    """The account's gateway with this name or id (a clear error when there is none)."""
    for gateway in api.list_gateways(connection):
        if wanted in (gateway['id'], gateway['name']) and not gateway.get('cross_account'):
            return gateway
    raise DirectLinkError(f"No gateway named or with id '{wanted}' in this account")


def _view(vc):
    return {key: vc[key] for key in ('name', 'type', 'network_id', 'id', 'status') if vc.get(key) is not None}


def run(module):
    """Create or delete the virtual connection."""
    params = module.params
    connection = module.connection
    gateway = find_gateway(connection, params['gateway'])
    current = api.list_virtual_connections(connection, gateway['id'])
    existing = next((vc for vc in current if vc['name'] == params['name']), None)
    if params['state'] == 'absent':
        if existing is None:
            return {'changed': False, 'virtual_connection': {}, 'actions': [], 'diff': {'before': {}, 'after': {}}}
        if not module.check_mode:
            api.delete_virtual_connection(connection, gateway['id'], existing['id'])
            if params['wait']:
                wait_for_vcs(connection, gateway, [], params['wait_timeout'], gone=[existing['name']])
        return {'changed': True, 'virtual_connection': {}, 'actions': [f"delete {existing['name']}"],
                'diff': {'before': _view(existing), 'after': {}}}
    if existing is None and params['type'] is None:
        raise DirectLinkError(f"type is required to create virtual connection '{params['name']}'")
    desired = {'name': params['name'], 'type': params['type'], 'network_id': params['network_id']}
    vc_plan = vc_state.plan(gateway, [desired], current, refuse_transit=True)
    if vc_plan.problems:
        raise DirectLinkError(f"Gateway '{gateway['name']}': " + '; '.join(vc_plan.problems))
    if not vc_plan.changed:
        if params['wait'] and not module.check_mode:
            existing = next(vc for vc in wait_for_vcs(connection, gateway, [existing['name']], params['wait_timeout'])
                            if vc['name'] == existing['name'])
        return {'changed': False, 'virtual_connection': _view(existing), 'actions': [],
                'diff': {'before': _view(existing), 'after': _view(existing)}}
    if gateway['operational_status'] != 'provisioned':
        raise DirectLinkError(f"Gateway '{gateway['name']}' is {gateway['operational_status']}: virtual connections can "
                              'be created once it is provisioned')
    after = {key: value for key, value in desired.items() if value is not None}
    if not module.check_mode:
        after = vc_state.apply(connection, gateway, vc_plan, params['wait'], params['wait_timeout'])[0]
        after.pop('action')
    return {'changed': True, 'virtual_connection': after, 'actions': [f"create {params['name']}"],
            'diff': {'before': {}, 'after': after}}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        gateway=dict(type='str', required=True),
        name=dict(type='str', required=True),
        type=dict(type='str', choices=['classic', 'vpc', 'transit']),
        network_id=dict(type='str'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=1800),
        **progress.argument_spec(),
    )).run(run)


if __name__ == '__main__':
    main()
