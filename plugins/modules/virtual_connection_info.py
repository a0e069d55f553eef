#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The virtual_connection_info module: its documentation, examples and return values are in virtual_connection_info.yml beside this file."""


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
