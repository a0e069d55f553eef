#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: virtual_connection_info
short_description: Gather facts about the virtual connections of IBM Cloud Direct Link gateways
version_added: 0.1.0
description:
  - Lists the virtual connections of one gateway, or of every gateway of the account.
  - Each virtual connection has keys named like the options of M(cloud_dr.ibm_direct_link.virtual_connection).
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  gateway:
    description:
      - Name or id of the gateway. When omitted, the virtual connections of every gateway are returned.
    type: str
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.concurrency
  - cloud_dr.ibm_direct_link.attributes.read_only
"""

EXAMPLES = r"""
- name: Virtual connections of one gateway
  cloud_dr.ibm_direct_link.virtual_connection_info:
    gateway: dal10-connect-primary
  register: vcs

- name: Virtual connections of every gateway
  cloud_dr.ibm_direct_link.virtual_connection_info:
  register: all_vcs
"""

RETURN = r"""
virtual_connections:
  description: Virtual connections sorted by gateway name, then by name.
  returned: always
  type: list
  elements: dict
  contains:
    gateway:
      description: Name of the gateway.
      type: str
    gateway_id:
      description: Id of the gateway.
      type: str
    name:
      description: Name of the virtual connection.
      type: str
    type:
      description: C(classic), C(vpc) or C(transit).
      type: str
    network_id:
      description: CRN of the VPC or transit gateway (absent for classic).
      type: str
    read_only:
      description: C(id), C(status), C(created_at) and C(network_account) when the network is in another account.
      type: dict
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def gather(module):
    """Return the virtual connections of the selected gateways."""
    gateways = gather_gateways(module.connection, ['virtual_connections'], max_concurrency=module.params['max_concurrency'])
    wanted = module.params['gateway']
    if wanted:
        gateways = [g for g in gateways if wanted in (g['id'], g['name'])]
        if not gateways:
            raise DirectLinkError(f"No gateway named or with id '{wanted}' in this account.")
    result = [dict(vc, gateway=g['name'], gateway_id=g['id']) for g in gateways for vc in g['virtual_connections']]
    return {'changed': False, 'virtual_connections': result}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(gateway=dict(type='str')), concurrent=True).run(gather)


if __name__ == '__main__':
    main()
