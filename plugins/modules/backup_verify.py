#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: backup_verify
short_description: Compare the live Direct Link account with a backup (drift check)
version_added: 0.1.0
description:
  - Reads a backup directory (checking schema and checksums), applies the same remaps a recovery plan would, and
    compares every gateway with the live account - missing gateways, changed fields, route filters, AS prepends,
    MACsec and virtual connections.
  - Fails listing every drift. Virtual connections of a gateway that is not provisioned yet (a dedicated gateway at
    the LOA stage) are reported as pending, not as drift.
  - What the backup does not hold (its C(missing) fields, from a CLI export) and the virtual connections the plan
    does not recreate (inactive at backup time, see C(recover_inactive_vcs)) are not compared; they are listed in
    RV(not_compared), not counted as drift.
  - Read-only; it never changes anything.
author:
  - Cloud DR maintainers (@cloud-dr)
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.recovery
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.attributes.read_only
"""

EXAMPLES = r"""
- name: Has the account drifted from the last backup?
  cloud_dr.ibm_direct_link.backup_verify:
    backup_dir: /srv/dl-backup
"""

RETURN = r"""
drift:
  description: Every difference between the live account and the backup.
  returned: always
  type: list
  elements: str
pending:
  description: Virtual connections that wait for their gateway to be provisioned.
  returned: always
  type: list
  elements: str
checked:
  description: Names of the gateways compared.
  returned: always
  type: list
  elements: str
not_compared:
  description: What was not compared, per gateway - fields the backup does not hold, virtual connections not recreated.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def compare(module):
    """Return drift and pending lists; fail when anything drifted or the backup is unreadable."""
    params = module.params
    plan, selected, problems = recovery.load(params)
    if problems:
        module.fail_json(msg=f'The backup cannot be compared: {" | ".join(problems)}', drift=[], pending=[], checked=[],
                         not_compared=[])
    include = ['virtual_connections', 'route_filters', 'as_prepends', 'macsec', 'status']
    live = {g['name']: g for g in gather_gateways(module.connection, include=include, max_concurrency=params['max_concurrency'])}
    catalog = Catalog(module.connection)
    drifts, pending, checked, not_compared = [], [], [], []
    for replacement in recovery.replacements(plan, selected, catalog):
        found, waiting = recovery.drift(replacement, live.get(replacement.desired['name']))
        drifts += found
        pending += waiting
        checked.append(replacement.desired['name'])
        not_compared += recovery.not_compared(replacement)
    result = {'changed': False, 'drift': drifts, 'pending': pending, 'checked': checked, 'not_compared': not_compared}
    if drifts:
        module.fail_json(msg=f'{len(drifts)} difference(s) between the account and the backup: ' + ' | '.join(drifts), **result)
    return result


def main():
    """Module entry point."""
    module = DirectLinkModule(argument_spec=recovery.argument_spec(), supports_check_mode=True)
    module.run(compare)


if __name__ == '__main__':
    main()
