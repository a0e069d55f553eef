#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: gateway
short_description: Create, update and delete IBM Cloud Direct Link gateways (and their virtual connections)
version_added: 0.1.0
description:
  - Creates connect gateways (on a provider O(port)) and dedicated gateways (at a O(location_name), on a
    O(cross_connect_router)), including route filters, AS prepends, BFD, the BGP MD5 key reference and MACsec.
  - Updates in place what the API can change, and fails, naming the field, when a difference needs a new gateway.
    It never replaces a gateway.
  - Options are named like the keys M(cloud_dr.ibm_direct_link.gateway_info) returns, so a gathered gateway can be
    fed back unchanged. Options left unset are not compared.
  - With O(virtual_connections), the gateway's virtual connections are created in the same invocation, once the
    gateway is provisioned. To create and await many gateways at once, use M(cloud_dr.ibm_direct_link.gateways),
    which takes a list of these options in one invocation.
  - A create whose response is lost is never repeated blindly; the gateway is looked up by name instead, so
    retries and re-runs never duplicate it.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  state:
    description: Whether the gateway should exist.
    type: str
    choices: [present, absent]
    default: present
  id:
    description:
      - Id of an existing gateway. With O(id), O(name) renames the gateway.
      - Ignored when creating.
    type: str
  name:
    description: Name of the gateway, unique in the account. Identifies the gateway unless O(id) is given.
    type: str
  type:
    description: C(connect) (on a provider port) or C(dedicated) (a cross-connect at an IBM location). Fixed at creation.
    type: str
    choices: [connect, dedicated]
  speed_mbps:
    description: Speed in megabits per second; must be offered on the port or at the location.
    type: int
  global:
    description: Global (C(true)) or local routing. Defaults to C(false) when creating.
    type: bool
  metered:
    description: Metered billing. Defaults to C(false) when creating.
    type: bool
  bgp_asn:
    description: Customer BGP ASN (1-4294967295, except the ASNs IBM reserves).
    type: int
  bgp_cer_cidr:
    description:
      - Customer edge router BGP address (for example C(169.254.0.30/30)). Give it with O(bgp_ibm_cidr), or neither
        to let IBM assign addresses from 169.254.0.0/16.
    type: str
  bgp_ibm_cidr:
    description: IBM BGP address, in the same /30 (or /31) as O(bgp_cer_cidr).
    type: str
  bfd_config:
    description: BFD settings.
    type: dict
    suboptions:
      interval:
        description: Minimum interval in milliseconds (300-255000).
        type: int
        required: true
      multiplier:
        description: Detection multiplier (1-255); the API uses 3 when unset.
        type: int
  authentication_key:
    description:
      - CRN of the BGP MD5 key in Key Protect, Hyper Protect Crypto Services or Secrets Manager. This is a reference,
        not key material. An empty string removes the key from an existing gateway.
    type: str
  connection_mode:
    description: C(direct), or C(transit) when the gateway is attached to a Transit Gateway.
    type: str
    choices: [direct, transit]
  resource_group:
    description: Resource group id. Fixed at creation; the account's default group when unset.
    type: str
  default_export_route_filter:
    description: What happens to routes that match no export route filter.
    type: str
    choices: [permit, deny]
  default_import_route_filter:
    description: What happens to routes that match no import route filter.
    type: str
    choices: [permit, deny]
  export_route_filters:
    description: Ordered export route filters. When they differ, the whole list is replaced (with C(If-Match)).
    type: list
    elements: dict
    suboptions: &route_filter
      action:
        description: C(permit) or C(deny).
        type: str
        required: true
        choices: [permit, deny]
      prefix:
        description: The network prefix, for example C(10.0.0.0/8).
        type: str
        required: true
      ge:
        description: Match prefixes at least this long.
        type: int
      le:
        description: Match prefixes at most this long.
        type: int
  import_route_filters:
    description: Ordered import route filters. When they differ, the whole list is replaced (with C(If-Match)).
    type: list
    elements: dict
    suboptions: *route_filter
  as_prepends:
    description: AS prepends. When they differ, the whole list is replaced (with C(If-Match)).
    type: list
    elements: dict
    suboptions:
      length:
        description: How many times the ASN is prepended (3-10).
        type: int
        required: true
      policy:
        description: C(import) or C(export).
        type: str
        required: true
        choices: [import, export]
      specific_prefixes:
        description: Prefixes the prepend applies to; all prefixes when unset.
        type: list
        elements: str
  location_name:
    description:
      - Location of a dedicated gateway. For a connect gateway the location follows from the port; when given, it
        is checked against the port's location. Fixed at creation.
    type: str
  port:
    description: Provider port id of a connect gateway. Fixed at creation.
    type: str
  cross_connect_router:
    description: Cross-connect router of a dedicated gateway. Fixed at creation.
    type: str
  carrier_name:
    description: Carrier of a dedicated gateway. Fixed at creation.
    type: str
  customer_name:
    description: Customer name of a dedicated gateway (printed on the LOA). Fixed at creation.
    type: str
  vlan:
    description: VLAN of a dedicated gateway (2-3967).
    type: int
  macsec_capability:
    description: MACsec capability of a dedicated gateway. Fixed at creation.
    type: str
    choices: [non_macsec, macsec, macsec_optional]
  macsec:
    description: MACsec configuration of a dedicated gateway. It can only be set at creation.
    type: dict
    suboptions:
      active:
        description: Whether MACsec is active.
        type: bool
        required: true
      security_policy:
        description: C(must_secure) or C(should_secure).
        type: str
        required: true
        choices: [must_secure, should_secure]
      sak_rekey:
        description: When the SAK is renewed.
        type: dict
        required: true
        suboptions:
          mode:
            description: C(timer) or C(packet_number_rollover).
            type: str
            required: true
            choices: [timer, packet_number_rollover]
          interval:
            description: Seconds between renewals with C(timer) (600-86400).
            type: int
      window_size:
        description: Replay protection window size.
        type: int
      caks:
        description: Connectivity association keys, as references to keys in a key store.
        type: list
        elements: dict
        required: true
        suboptions:
          name:
            description: CAK name (hexadecimal, even length).
            type: str
            required: true
          key:
            description: CRN of the key (a reference, not key material).
            type: str
            required: true
          session:
            description: C(primary) or C(fallback).
            type: str
            required: true
            choices: [primary, fallback]
  virtual_connections:
    description:
      - Virtual connections the gateway should have, identified by name. Missing ones are created (concurrently)
        once the gateway is provisioned; type and network of existing ones cannot change.
      - C(transit) connections, and any connection of a transit-mode gateway, are reported as skipped, because
        they are created from the Transit Gateway side.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name, unique within the gateway.
        type: str
        required: true
      type:
        description: C(classic), C(vpc) or C(transit).
        type: str
        required: true
        choices: [classic, vpc, transit]
      network_id:
        description: CRN of the VPC (type C(vpc)).
        type: str
      read_only:
        description: Ignored (what M(cloud_dr.ibm_direct_link.gateway_info) returns about the connection).
        type: dict
  purge_virtual_connections:
    description: Delete virtual connections that are not in O(virtual_connections).
    type: bool
    default: false
  read_only:
    description: Ignored. Accepted so that a gateway gathered by M(cloud_dr.ibm_direct_link.gateway_info) can be passed as it is.
    type: dict
  wait:
    description:
      - Wait until the gateway is provisioned (connect) or has reached the LOA stage (dedicated), and until created
        virtual connections are attached (or await approval in another account). Also waits for deletions.
      - With C(false) the module returns right after the create call, so many gateways can be started at once.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 1800
  force:
    description: With O(state=absent), delete the gateway's virtual connections first.
    type: bool
    default: false
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.concurrency
  - cloud_dr.ibm_direct_link.progress
  - cloud_dr.ibm_direct_link.attributes.state
notes:
  - Dedicated gateways stop at the LOA stage; the cross-connect is ordered by the customer and patched by IBM.
    Their virtual connections are created by a later run, once the gateway is provisioned.
"""

EXAMPLES = r"""
- name: A connect gateway on an Equinix port in Dallas 12, with ordered route filters and a VPC connection
  cloud_dr.ibm_direct_link.gateway:
    name: dal12-connect
    type: connect
    port: 852573d5-ff32-5f19-957f-cddf4900eba7  # EQU-DAL12-CX-PRI-01, from cloud_dr.ibm_direct_link.port_info
    speed_mbps: 1000
    global: true
    bgp_asn: 64999
    bgp_cer_cidr: 169.254.30.2/30
    bgp_ibm_cidr: 169.254.30.1/30
    default_export_route_filter: deny
    export_route_filters:
      - {action: permit, prefix: 10.10.0.0/16, ge: 17, le: 24}
    virtual_connections:
      - name: vc-app-vpc
        type: vpc
        network_id: "crn:v1:bluemix:public:is:us-south:a/4111d05f36894e3cb9b46a43556d9000::vpc:r006-6e3b1f0c-9d2a-4c7e-8f51-2b0a7d4c9e13"

- name: A dedicated gateway with MACsec (stops at the LOA stage)
  vars:
    # The Hyper Protect Crypto Services instance that holds the MACsec keys (the gateway stores references only).
    hpcs_instance: crn:v1:bluemix:public:hs-crypto:us-south:a/4111d05f36894e3cb9b46a43556d9000:5c7e1a2b-3d4f-4a5b-8c6d-7e8f9a0b1c2d
  cloud_dr.ibm_direct_link.gateway:
    name: dal12-dedicated
    type: dedicated
    location_name: dal12
    cross_connect_router: xcr01.dal12
    carrier_name: Lumen
    customer_name: Example Corp
    speed_mbps: 10000
    bgp_asn: 64999
    macsec_capability: macsec
    macsec:
      active: true
      security_policy: must_secure
      sak_rekey: {mode: timer, interval: 3600}
      caks:
        - {name: "1000", key: "{{ hpcs_instance }}:key:0f4d6c2e-8b1a-4e5f-9c3d-7a2b1e0f6d85", session: primary}

- name: Start many gateways without waiting (a recovery's first pass)
  cloud_dr.ibm_direct_link.gateway:
    name: "{{ item.name }}"
    type: connect
    port: "{{ item.port }}"
    speed_mbps: 1000
    bgp_asn: 64999
    wait: false
  loop:
    - {name: dal12-connect-primary-dr, port: 852573d5-ff32-5f19-957f-cddf4900eba7}  # Equinix, Dallas 12
    - {name: dal12-connect-transit-dr, port: 5ea027b8-123f-59ba-98da-112bafd74447}  # Megaport, Dallas 12
  loop_control:
    label: "{{ item.name }}"

- name: Delete a gateway and its virtual connections
  cloud_dr.ibm_direct_link.gateway:
    name: dal12-connect
    state: absent
    force: true
"""

RETURN = r"""
gateway:
  description:
    - The gateway after the change (predicted in check mode), option-shaped like
      M(cloud_dr.ibm_direct_link.gateway_info) returns it. Empty after a deletion.
  returned: always
  type: dict
virtual_connections:
  description:
    - What happened to each virtual connection (C(name), C(type), C(network_id), C(id), C(status), C(action) =
      C(exists), C(created), C(skipped), C(deleted), C(pending_gateway), C(would_create) or C(would_delete), and C(reason)).
  returned: always
  type: list
  elements: dict
actions:
  description: What was done (or would be done in check mode), for example C(create) or C(update speed_mbps).
  returned: always
  type: list
  elements: str
  sample: [create]
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import progress
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_fields import argument_spec as gateway_argument_spec
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_run import GatewayRun
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def run(module):
    """Dispatch on state."""
    runner = GatewayRun(module.connection, module.params, module.check_mode)
    return runner.present() if module.params['state'] == 'present' else runner.absent()


def main():
    """Module entry point."""
    argument_spec = gateway_argument_spec()
    argument_spec.update(
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        purge_virtual_connections=dict(type='bool', default=False),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=1800),
        force=dict(type='bool', default=False),
        **progress.argument_spec(),
    )
    DirectLinkModule(argument_spec=argument_spec, concurrent=True, required_one_of=[('name', 'id')]).run(run)


if __name__ == '__main__':
    main()
