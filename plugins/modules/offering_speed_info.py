#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The offering_speed_info module: its documentation, examples and return values are in offering_speed_info.yml beside this file."""


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
