#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The _recovery_plan module: its documentation, examples and return values are in _recovery_plan.yml beside this file."""


from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import problems, recovery, transit_state
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
        transit_gateways = transit_state.TransitGateways(module.transit)
        for replacement in recovery.replacements(plan, selected, catalog):
            host = replacement.host
            replacement.notes['action'] = recovery.check(replacement, catalog, live_by_name, used,
                                                         transit_gateways=transit_gateways)
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
