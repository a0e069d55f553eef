#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateway module: its documentation, examples and return values are in gateway.yml beside this file."""


from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import approvals, progress, transit_state
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_fields import argument_spec as gateway_argument_spec
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_run import GatewayRun
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def run(module):
    """Dispatch on state."""
    approver, problems = approvals.for_module(module)
    if problems:
        raise DirectLinkError('Nothing was changed: ' + '; '.join(problems))
    runner = GatewayRun(module.connection, module.params, module.check_mode,
                        transit_gateways=transit_state.TransitGateways(module.transit), approver=approver)
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
        **approvals.argument_spec(),
    )
    DirectLinkModule(argument_spec=argument_spec, concurrent=True, required_one_of=[('name', 'id')]).run(run)


if __name__ == '__main__':
    main()
