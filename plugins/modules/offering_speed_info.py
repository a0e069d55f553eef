#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: offering_speed_info
short_description: List the speeds offered for IBM Cloud Direct Link gateways
version_added: 0.1.0
description:
  - Lists the link speeds offered for connect and dedicated gateways, with their billing capabilities and, for
    dedicated gateways, whether MACsec is available at that speed.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  offering_type:
    description: Which offering's speeds to list.
    type: str
    choices: [connect, dedicated, all]
    default: all
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.attributes.read_only
"""

EXAMPLES = r"""
- name: Speeds for dedicated gateways
  cloud_dr.ibm_direct_link.offering_speed_info:
    offering_type: dedicated
  register: speeds
"""

RETURN = r"""
speeds:
  description: Speeds sorted by offering type and link speed.
  returned: always
  type: list
  elements: dict
  contains:
    offering_type:
      description: C(connect) or C(dedicated).
      type: str
    link_speed:
      description: Speed in Mbps.
      type: int
    capabilities:
      description: Billing capabilities of the speed.
      type: list
      elements: str
    macsec_enabled:
      description: Whether MACsec is available at this speed (dedicated).
      type: bool
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def gather(module):
    """Return the offered speeds."""
    wanted = module.params['offering_type']
    offerings = ['connect', 'dedicated'] if wanted == 'all' else [wanted]
    speeds = [dict(speed, offering_type=offering) for offering in offerings
              for speed in api.list_speeds(module.connection, offering)]
    speeds.sort(key=lambda speed: (speed['offering_type'], speed['link_speed']))
    return {'changed': False, 'speeds': speeds}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(offering_type=dict(type='str', choices=['connect', 'dedicated', 'all'], default='all'))).run(gather)


if __name__ == '__main__':
    main()
