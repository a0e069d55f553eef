#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: gateway_info
short_description: Gather facts about IBM Cloud Direct Link gateways
version_added: 0.1.0
description:
  - Lists the Direct Link gateways of the account, optionally filtered, with their virtual connections, route
    filters, AS prepends, MACsec configuration and status.
  - Each gateway is returned with keys named like the options of M(cloud_dr.ibm_direct_link.gateway), so a
    gathered gateway can be fed back to that module unchanged. Values the API computes are grouped under
    C(read_only).
  - Sub-resources are fetched concurrently, at most O(max_concurrency) requests at a time.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  id:
    description: Only the gateway with this id.
    type: str
  name:
    description: Only the gateway with this name.
    type: str
  type:
    description: Only gateways of this type.
    type: str
    choices: [connect, dedicated]
  location_name:
    description: Only gateways at this location (for example C(dal10)).
    type: str
  include:
    description:
      - Sub-resources to fetch for every gateway. C(all) means every one of them.
      - C(as_prepends) costs no request (they come with the gateway list); C(virtual_connections) costs one request
        per gateway, C(route_filters) two, C(macsec) two per MACsec gateway, C(status) one.
    type: list
    elements: str
    choices: [virtual_connections, route_filters, as_prepends, macsec, status, all]
    default: [virtual_connections, route_filters, as_prepends, macsec]
  include_cross_account:
    description: Also return gateways of other accounts that connect to this account's networks (reduced fields).
    type: bool
    default: false
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.concurrency
  - cloud_dr.ibm_direct_link.attributes.read_only
notes:
  - Read-only; it never changes anything, in check mode or not.
"""

EXAMPLES = r"""
- name: Gather every gateway with everything a backup needs
  cloud_dr.ibm_direct_link.gateway_info:
  register: direct_link

- name: Gather one gateway with its status
  cloud_dr.ibm_direct_link.gateway_info:
    name: dal10-connect-primary
    include: [all]
  register: one

- name: Feed a gathered gateway back into the gateway module (no change expected)
  cloud_dr.ibm_direct_link.gateway:
  args: "{{ one.gateways[0] | ansible.builtin.combine({'wait': false}) }}"
"""

RETURN = r"""
gateways:
  description: The gateways, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Gateway id.
      type: str
      sample: 3c5a8f1e-7f2b-4c1d-9a43-0e9c8b7a6d51
    name:
      description: Gateway name (unique in the account).
      type: str
      sample: dal10-connect-primary
    type:
      description: C(connect) or C(dedicated).
      type: str
    speed_mbps:
      description: Speed in megabits per second.
      type: int
    global:
      description: Global (C(true)) or local routing.
      type: bool
    metered:
      description: Metered billing.
      type: bool
    bgp_asn:
      description: Customer BGP ASN.
      type: int
    bgp_cer_cidr:
      description: Customer edge router BGP address.
      type: str
    bgp_ibm_cidr:
      description: IBM BGP address.
      type: str
    bfd_config:
      description: BFD C(interval) and C(multiplier), when configured.
      type: dict
    authentication_key:
      description: CRN of the BGP MD5 key (a reference into a key store, not the key).
      type: str
    connection_mode:
      description: C(direct) or C(transit).
      type: str
    resource_group:
      description: Resource group id.
      type: str
    default_export_route_filter:
      description: C(permit) or C(deny).
      type: str
    default_import_route_filter:
      description: C(permit) or C(deny).
      type: str
    export_route_filters:
      description: Ordered export route filters (C(action), C(prefix), C(ge), C(le)), with O(include=route_filters).
      type: list
      elements: dict
    import_route_filters:
      description: Ordered import route filters, with O(include=route_filters).
      type: list
      elements: dict
    as_prepends:
      description: AS prepends (C(length), C(policy), C(specific_prefixes)), with O(include=as_prepends).
      type: list
      elements: dict
    location_name:
      description: Location of the gateway (for connect gateways, the port's location).
      type: str
    port:
      description: Provider port id (connect gateways).
      type: str
    cross_connect_router:
      description: Cross-connect router (dedicated gateways).
      type: str
    carrier_name:
      description: Carrier (dedicated gateways).
      type: str
    customer_name:
      description: Customer name on the LOA (dedicated gateways).
      type: str
    vlan:
      description: VLAN (dedicated gateways), when set.
      type: int
    macsec_capability:
      description: MACsec capability (dedicated gateways).
      type: str
    macsec:
      description: MACsec configuration and CAK references (C(name), C(key) CRN, C(session)), with O(include=macsec).
      type: dict
    virtual_connections:
      description: Virtual connections (C(name), C(type), C(network_id), C(read_only)) sorted by name.
      type: list
      elements: dict
    read_only:
      description: Everything the API computes (CRN, statuses, BGP IBM ASN, timestamps, status entries, ...).
      type: dict
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import INCLUDE_CHOICES, gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def gather(module):
    """Return the gateways the options select."""
    params = module.params
    filters = {key: params[key] for key in ('id', 'name', 'type', 'location_name')}
    gateways = gather_gateways(module.connection, params['include'], filters, params['include_cross_account'],
                               params['max_concurrency'])
    return {'changed': False, 'gateways': gateways}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(
        id=dict(type='str'),
        name=dict(type='str'),
        type=dict(type='str', choices=['connect', 'dedicated']),
        location_name=dict(type='str'),
        include=dict(type='list', elements='str', choices=list(INCLUDE_CHOICES) + ['all'],
                     default=['virtual_connections', 'route_filters', 'as_prepends', 'macsec']),
        include_cross_account=dict(type='bool', default=False),
    ), concurrent=True).run(gather)


if __name__ == '__main__':
    main()
