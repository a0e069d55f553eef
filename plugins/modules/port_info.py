#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: port_info
short_description: List the provider ports for IBM Cloud Direct Link Connect gateways
version_added: 0.1.0
description:
  - Lists provider ports (every page), optionally at one location and of one provider. A connect gateway is
    recreated on a port of the target location; recovery planning uses this.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  id:
    description: Only the port with this id.
    type: str
  location_name:
    description: Only ports at this location.
    type: str
  provider_name:
    description: Only ports of this provider (case-insensitive).
    type: str
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.attributes.read_only
"""

EXAMPLES = r"""
- name: Equinix ports in Dallas 12
  cloud_dr.ibm_direct_link.port_info:
    location_name: dal12
    provider_name: EQUINIX
  register: ports
"""

RETURN = r"""
ports:
  description: Ports sorted by location, provider and label.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Port id.
      type: str
    label:
      description: Port label.
      type: str
    location_name:
      description: Location of the port.
      type: str
    provider_name:
      description: Provider of the port.
      type: str
    supported_link_speeds:
      description: Speeds (Mbps) a gateway on this port can have.
      type: list
      elements: int
    direct_link_count:
      description: Gateways using the port.
      type: int
"""

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
