#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: location_info
short_description: List the locations where IBM Cloud Direct Link gateways can be ordered
version_added: 0.1.0
description:
  - Lists the locations offered for connect and dedicated gateways, and for dedicated locations their
    cross-connect routers and the MACsec capabilities of each router. Recovery planning uses this.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  offering_type:
    description: Which offering's locations to list.
    type: str
    choices: [connect, dedicated, all]
    default: all
  include_routers:
    description: Add C(cross_connect_routers) to every dedicated location (one request per location, concurrent).
    type: bool
    default: true
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.concurrency
  - cloud_dr.ibm_direct_link.attributes.read_only
"""

EXAMPLES = r"""
- name: Where can a dedicated gateway be recreated?
  cloud_dr.ibm_direct_link.location_info:
    offering_type: dedicated
  register: dedicated_locations
"""

RETURN = r"""
locations:
  description: Locations sorted by offering type and name, as the API describes them.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Short name, for example C(dal10).
      type: str
    display_name:
      description: Display name, for example C(Dallas 10).
      type: str
    offering_type:
      description: C(connect) or C(dedicated).
      type: str
    provision_enabled:
      description: Whether new gateways can be ordered there.
      type: bool
    vpc_region:
      description: The VPC region of the location.
      type: str
    cross_connect_routers:
      description: Routers (C(router_name), C(capabilities), C(total_connections)) of a dedicated location.
      type: list
      elements: dict
"""

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
