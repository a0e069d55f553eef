#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateway_info module: its documentation, examples and return values are in gateway_info.yml beside this file."""


from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import DEFAULT_INCLUDE, INCLUDE_CHOICES, gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def gather(module):
    """Return the gateways the options select."""
    params = module.params
    filters = {key: params[key] for key in ('id', 'name', 'type', 'location_name')}
    gateways = gather_gateways(module.connection, params['include'], filters, params['include_cross_account'],
                               params['max_concurrency'], transit=module.transit)
    return {'changed': False, 'gateways': gateways}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(
        id=dict(type='str'),
        name=dict(type='str'),
        type=dict(type='str', choices=['connect', 'dedicated']),
        location_name=dict(type='str'),
        include=dict(type='list', elements='str', choices=list(INCLUDE_CHOICES) + ['all'],
                     default=list(DEFAULT_INCLUDE)),
        include_cross_account=dict(type='bool', default=False),
    ), concurrent=True).run(gather)


if __name__ == '__main__':
    main()
