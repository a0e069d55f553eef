#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: _recovery_plan
short_description: Check a Direct Link recovery plan completely before anything is created
version_added: 0.1.0
description:
  - Internal to the C(cloud_dr.ibm_direct_link.recover) role (the leading underscore says so) - its options and results
    may change with the role; compose the public modules in your own playbooks.
  - Reads a backup directory written by M(cloud_dr.ibm_direct_link.backup_store), verifies its schema and the
    manifest checksum of every gateway file, applies the plan's remaps (location, port, router, VPC networks, name,
    BGP addresses) and checks every replacement gateway against the live catalog and account - location map
    targets that are Direct Link locations for the gateways' offering type, locations offered,
    ports at the new location, speeds offered there, routers and MACsec, names free or already ours, ASN and
    CIDRs valid.
  - Fails listing every problem at once when anything is wrong; otherwise returns the desired state of every
    replacement gateway, for M(cloud_dr.ibm_direct_link.gateway).
  - Read-only; it never changes anything.
author:
  - Cloud DR maintainers (@cloud-dr)
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.recovery
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.attributes.read_only
"""

EXAMPLES = r"""
- name: Pre-flight check of recovering the gateways of Dallas 10 in Dallas 12
  cloud_dr.ibm_direct_link._recovery_plan:
    backup_dir: /srv/dl-backup
    plan:
      recover_location_map: {dal10: dal12}
      recover_port_map:  # old port id -> new port id (see cloud_dr.ibm_direct_link.port_info)
        1f038ac4-7ed7-5b0b-82b2-4bee6b2c5935: 852573d5-ff32-5f19-957f-cddf4900eba7  # Equinix, primary
        9e3df3ee-14a5-5354-93ec-c012d5872e2c: 5ea027b8-123f-59ba-98da-112bafd74447  # Megaport, primary
      recover_router_map: {xcr01.dal10: xcr01.dal12}
      recover_name_template: "{name}-dr"  # {name} is the old name (not {{ name }}, which Ansible would template)
      recover_bgp: auto  # the old gateways still hold their BGP addresses: let IBM assign new ones
      recover_limit: [dal10-connect-primary, dal10-connect-transit, dal10-dedicated-macsec]
  register: recovery
"""

RETURN = r"""
gateways:
  description:
    - Per inventory host, the replacement gateway - C(desired) (options for M(cloud_dr.ibm_direct_link.gateway)),
      C(action) (C(create) or C(adopt) when a matching gateway already exists) and C(notes) (old and new location and
      name, port label and provider).
  returned: success
  type: dict
problems:
  description: Every problem found (empty on success), as one line each.
  returned: always
  type: list
  elements: str
problem_records:
  description:
    - The same problems as records - C(message), C(scope) (C(gateway) or C(general)), and for a gateway's problem its
      inventory C(host) and backed-up name C(gateway) (null otherwise). Select a gateway's problems by C(host).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import problems, recovery
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def build(module):
    """Read the backup, remap, check; fail with every problem or return the replacements."""
    params = module.params
    plan, _backup, selected, load_problems = recovery.load(params)
    found = problems.general(load_problems)
    replacements = {}
    if plan.usable() and selected:
        catalog = Catalog(module.connection)
        live = gather_gateways(module.connection, include=['macsec'], max_concurrency=params['max_concurrency'])
        live_by_name = {gateway['name']: gateway for gateway in live}
        used = recovery.bgp_networks_in_use(live)
        found += problems.general(recovery.location_map_problems(plan, selected, catalog))
        for replacement in recovery.replacements(plan, selected, catalog):
            host = replacement.host
            replacement.notes['action'] = recovery.check(replacement, catalog, live_by_name, used)
            found += problems.of_gateway(host, replacement.original.get('name'), replacement.problems)
            replacements[host] = replacement
    if found:
        module.fail_json(msg=f'Pre-flight found {len(found)} problem(s); nothing was created: '
                         + ' | '.join(f'({n}) {p.message}' for n, p in enumerate(found, 1)),
                         problems=[p.message for p in found], problem_records=[p.as_dict() for p in found])
    return {'changed': False, 'problems': [], 'problem_records': [],
            'gateways': {host: {'desired': r.desired, 'action': r.notes['action'], 'notes': r.notes, 'source': r.source}
                         for host, r in replacements.items()}}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=recovery.argument_spec()).run(build)


if __name__ == '__main__':
    main()
