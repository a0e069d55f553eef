#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The location_info module: its documentation, examples and return values are in location_info.yml beside this file."""


from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import map_bounded
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def gather(module):
    """Return the offered locations (with routers for dedicated ones)."""
    connection = module.connection
    params = module.params
    offerings = ['connect', 'dedicated'] if params['offering_type'] == 'all' else [params['offering_type']]
    locations = [dict(location, offering_type=offering) for offering in offerings
                 for location in api.list_locations(connection, offering)]
    dedicated = [location for location in locations if location['offering_type'] == 'dedicated']
    if params['include_routers'] and dedicated:
        routers = map_bounded(lambda location: api.list_cross_connect_routers(connection, 'dedicated', location['name']),
                              dedicated, params['max_concurrency'])
        for location, location_routers in zip(dedicated, routers):
            location['cross_connect_routers'] = sorted(location_routers, key=lambda router: router.get('router_name', ''))
    locations.sort(key=lambda location: (location['offering_type'], location['name']))
    return {'changed': False, 'locations': locations}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(
        offering_type=dict(type='str', choices=['connect', 'dedicated', 'all'], default='all'),
        include_routers=dict(type='bool', default=True),
    ), concurrent=True).run(gather)


if __name__ == '__main__':
    main()
