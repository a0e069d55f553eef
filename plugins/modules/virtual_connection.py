#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: virtual_connection
short_description: Create and delete virtual connections of IBM Cloud Direct Link gateways
version_added: 0.1.0
description:
  - Connects a Direct Link gateway to classic infrastructure or to a VPC, idempotently by name within the gateway.
  - The type and network of an existing virtual connection cannot change; a difference fails with a clear message.
  - Transit Gateway connections are made from the Transit Gateway side; asking for one here fails before any request.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  state:
    description: Whether the virtual connection should exist.
    type: str
    choices: [present, absent]
    default: present
  gateway:
    description: Name or id of the gateway.
    type: str
    required: true
  name:
    description: Name of the virtual connection, unique within the gateway.
    type: str
    required: true
  type:
    description: C(classic) or C(vpc). Required to create.
    type: str
    choices: [classic, vpc, transit]
  network_id:
    description: CRN of the VPC (type C(vpc)).
    type: str
  wait:
    description:
      - Wait until the connection is attached (a connection to a VPC of another account stops at C(approval_pending),
        which is reported without failing), or until a deletion is complete.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 1800
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.progress
  - cloud_dr.ibm_direct_link.attributes.state
"""

EXAMPLES = r"""
- name: Connect a gateway to a VPC
  cloud_dr.ibm_direct_link.virtual_connection:
    gateway: dal10-connect-primary
    name: vc-reporting-vpc
    type: vpc
    network_id: "crn:v1:bluemix:public:is:us-south:a/4111d05f36894e3cb9b46a43556d9000::vpc:r006-9b4e2c1a-7f3d-4a6b-8e05-c1d2e3f4a5b6"

- name: Remove it
  cloud_dr.ibm_direct_link.virtual_connection:
    gateway: dal10-connect-primary
    name: vc-reporting-vpc
    state: absent
"""

RETURN = r"""
virtual_connection:
  description: The virtual connection (C(name), C(type), C(network_id), C(id), C(status)); empty after a deletion.
  returned: always
  type: dict
actions:
  description: What was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
"""

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
