#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The port_info module: its documentation, examples and return values are in port_info.yml beside this file."""


from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def gather(module):
    """Return the selected ports."""
    params = module.params
    if params['id']:
        port = api.get_port(module.connection, params['id'])
        ports = [port] if port else []
    else:
        ports = api.list_ports(module.connection, params['location_name'])
    provider = (params['provider_name'] or '').lower()
    ports = [port for port in ports if not provider or port['provider_name'].lower() == provider]
    ports.sort(key=lambda port: (port['location_name'], port['provider_name'], port['label'], port['id']))
    return {'changed': False, 'ports': ports}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(id=dict(type='str'), location_name=dict(type='str'), provider_name=dict(type='str'))).run(gather)


if __name__ == '__main__':
    main()
