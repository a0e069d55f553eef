#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The _standby_plan module: its documentation, examples and return values are in _standby_plan.yml beside this file."""


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
