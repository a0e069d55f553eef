#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: _recovery_report
short_description: Write the Direct Link recovery report with the manual steps left
version_added: 0.1.0
description:
  - Internal to the C(cloud_dr.ibm_direct_link.recover) role (the leading underscore says so) - its options and results
    may change with the role; compose the public modules in your own playbooks.
  - Builds the report that closes a recovery run - per gateway the old and new name and location, the new id, its
    status, the virtual connections ready or waiting, failures with their reasons, and the manual steps automation
    cannot take (LOA and cross-connect, provider order, new BGP peer addresses, key references, approvals, Transit
    Gateway connections), with the values they need.
  - Names every virtual connection the plan left out because of its status at backup time, and every gateway
    recovered without something its backup lacked (for example WITHOUT MACsec), with the reason.
  - Writes it as Markdown (mode 0600) and returns a short table for the terminal. Nothing is written in check mode.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  plan:
    description: The C(gateways) returned by M(cloud_dr.ibm_direct_link._recovery_plan).
    type: dict
    required: true
  results:
    description: Per inventory host, the result of the last M(cloud_dr.ibm_direct_link.gateway) task.
    type: dict
    default: {}
  drift:
    description: Differences found by M(cloud_dr.ibm_direct_link.backup_verify) after the recovery.
    type: list
    elements: str
    default: []
  pending:
    description: Virtual connections waiting for their gateway, from M(cloud_dr.ibm_direct_link.backup_verify).
    type: list
    elements: str
    default: []
  path:
    description: Where to write the Markdown report; not written when empty.
    type: path
attributes:
  check_mode:
    description: Builds the report (a plan) without writing the file.
    support: full
  diff_mode:
    description: Not supported.
    support: none
"""

EXAMPLES = r"""
- name: Report
  cloud_dr.ibm_direct_link._recovery_report:
    plan: "{{ recovery.gateways }}"
    results: "{{ gateway_results }}"
    path: /srv/dr/recovery-report.md
  register: report
"""

RETURN = r"""
table:
  description: The short table printed at the end of a recovery.
  returned: always
  type: list
  elements: str
rows:
  description:
    - The report's data, one entry per gateway (names, locations, id, status, VCs, steps, error).
    - C(decisions) lists what the plan did not recreate, with the reason - virtual connections inactive at backup time
      (C(recover_inactive_vcs)), fields the backup lacked and the plan accepted to recover without
      (C(recover_accept_missing)), MACsec settings taken from C(recover_macsec).
  returned: always
  type: list
  elements: dict
failed_hosts:
  description: Hosts whose gateway failed.
  returned: always
  type: list
  elements: str
path:
  description: The report file, when written.
  returned: always
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files, recovery_report


def main():
    """Module entry point."""
    module = AnsibleModule(
        argument_spec=dict(
            plan=dict(type='dict', required=True),
            results=dict(type='dict', default={}),
            drift=dict(type='list', elements='str', default=[]),
            pending=dict(type='list', elements='str', default=[]),
            path=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    table = recovery_report.rows(params['plan'], params['results'])
    text = recovery_report.markdown(table, params['drift'], params['pending'], module.check_mode)
    path = params['path'] or ''
    changed = False
    if path and not module.check_mode:
        changed = backup_files.read_text(path) != text
        if changed:
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)
            temporary = backup_files.stage(os.path.abspath(path), text)
            os.replace(temporary, path)
    module.exit_json(changed=changed, table=recovery_report.text_table(table), rows=table, path=path,
                     failed_hosts=[row['host'] for row in table if row['status'] == 'FAILED'])


if __name__ == '__main__':
    main()
