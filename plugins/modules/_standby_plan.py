#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: _standby_plan
short_description: Plan the warm standbys of Direct Link gateways, and what differs from their primaries
version_added: 0.1.0
description:
  - Internal to the C(cloud_dr.ibm_direct_link.standby) role (the leading underscore says so) - its options and results
    may change with the role; compose the public modules in your own playbooks.
  - Reads the live account and selects the primaries to protect - those named by C(standby_limit), else every gateway at
    a location of C(standby_location_map) that is not itself a standby.
  - For each, the standby's desired state is the primary's configuration remapped as a recovery remaps a backup (new
    location, port, router and name; BGP addresses assigned by IBM), with the same virtual connections, route filters,
    BFD and MACsec policy, and AS prepends that make it the less preferred path (each of the primary's prepends
    lengthened by C(standby_as_prepend_length), and one of that length for each policy the primary prepends no route
    of). A standby reaching a network in another region than its location gets global routing.
  - Returns the items for M(cloud_dr.ibm_direct_link.gateways) - the standbys (O(action=sync)), or the two gateways of
    each pair with their AS prepends swapped (O(action=promote) or O(action=demote), for the pairs not already so) - and
    what differs between each standby and its primary. Every problem (a misspelled plan key, a port or router not
    mapped, a name taken by another gateway, a standby to promote that is missing or not provisioned) fails the module
    before anything is changed. Never changes anything.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  plan:
    description: The standby plan, every C(standby_*) key (C(standby_location_map), C(standby_port_map),
      C(standby_router_map), C(standby_name_template), C(standby_limit), C(standby_as_prepend_length)).
    type: dict
    default: {}
  defined_keys:
    description: Every variable name of the play, so that a misspelled plan key is named.
    type: list
    elements: str
    default: []
  action:
    description: C(sync) creates and updates the standbys; C(promote) makes each standby the preferred path; C(demote)
      makes each primary the preferred path again; C(check) only reports what differs (no items).
    type: str
    choices: [sync, promote, demote, check]
    default: sync
  max_concurrency:
    description: Requests in flight at once while reading the account.
    type: int
    default: 16
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
attributes:
  check_mode:
    description: Changes nothing in any mode.
    support: full
  diff_mode:
    description: Not applicable (M(cloud_dr.ibm_direct_link.gateways) shows the changes).
    support: none
"""

EXAMPLES = r"""
- name: The standby of the primary gateway of Dallas 10, in Dallas 12
  cloud_dr.ibm_direct_link._standby_plan:
    plan:
      standby_location_map: {dal10: dal12}
      standby_port_map: {1f038ac4-7ed7-5b0b-82b2-4bee6b2c5935: 852573d5-ff32-5f19-957f-cddf4900eba7}
      standby_limit: [dal10-connect-primary]
  register: standby_plan

- name: Create them and keep them in sync
  cloud_dr.ibm_direct_link.gateways:
    gateways: "{{ standby_plan.gateways }}"
"""

RETURN = r"""
gateways:
  description: The items for M(cloud_dr.ibm_direct_link.gateways) (empty when nothing is to swap).
  returned: success
  type: list
  elements: dict
pairs:
  description:
    - One per primary - C(primary), C(primary_id), C(standby), C(standby_id) (null when it does not exist), C(type),
      C(from), C(to), C(preferred) (C(primary), C(standby), or null without a standby), C(drift) (one line each),
      C(global_for) (virtual connections the standby reaches with global routing), C(desired) and C(notes) (for the
      manual steps).
  returned: success
  type: list
  elements: dict
account_id:
  description: The account of the gateways (empty when it is not one).
  returned: success
  type: str
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import standby
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.normalize import crn_accounts


def run(module):
    """Read the account, pair each primary with its standby, and say what to send."""
    params = module.params
    plan = standby.Plan(params['plan'])
    problems = plan.problems(params['defined_keys'])
    if problems or not plan.usable():
        raise DirectLinkError('Nothing was changed: ' + '; '.join(problems))
    live = gather_gateways(module.connection, max_concurrency=params['max_concurrency'])
    pairs, problems = standby.pairs(plan, live, Catalog(module.connection))
    problems += standby.blocking(pairs, params['action'])
    if problems:
        raise DirectLinkError('Nothing was changed: ' + '; '.join(problems))
    accounts = crn_accounts((gateway['name'], gateway['read_only'].get('crn')) for gateway in live)
    return {'changed': False, 'gateways': standby.items(pairs, params['action']), 'pairs': [standby.entry(pair) for pair in pairs],
            'account_id': next(iter(accounts)) if len(accounts) == 1 else ''}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(
        plan=dict(type='dict', default={}),
        defined_keys=dict(type='list', elements='str', default=[], no_log=False),
        action=dict(type='str', choices=list(standby.ACTIONS), default='sync'),
    ), concurrent=True).run(run)


if __name__ == '__main__':
    main()
