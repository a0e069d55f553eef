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
  - Writes it as Markdown and, beside it, as JSON (the same document as data, C(schema_version) 1, described by
    C(docs/schemas/recovery-report.schema.json) in the collection), both mode 0600, and returns a short table for the
    terminal and RV(summary) for C(ansible.builtin.set_stats). Nothing is written in check mode.
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
    description:
      - Where to write the Markdown report (for example C(recovery-report.md)); the JSON report is written beside it
        (C(recovery-report.json)). Neither is written when empty.
    type: path
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.attributes.report
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
summary:
  description:
    - The outcome in brief, what the recover role publishes as C(cloud_dr_recovery) with C(ansible.builtin.set_stats).
    - C(status) is C(failed) (a gateway failed), C(planned) (check mode), C(drift) (the verification found
      differences, listed in C(drift)) or C(recovered); C(manual_steps) lists every step left, each as
      C(GATEWAY) then a colon and the step; C(report) and C(report_json) are the files (empty when not written).
  returned: always
  type: dict
  sample:
    status: recovered
    gateways_planned: 3
    gateways_recovered: 3
    gateways_failed: []
    manual_steps: ["dal10-connect-primary-dr: Provider order: order the virtual circuit from EQUINIX on port ..."]
    drift: []
    report: /srv/dr/recovery-report.md
    report_json: /srv/dr/recovery-report.json
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery_report, report_files


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
    report = recovery_report.document(params['plan'], params['results'], params['drift'], params['pending'],
                                      module.check_mode)
    path = params['path'] or ''
    written = '' if module.check_mode else path
    changed = bool(written) and report_files.write(written, recovery_report.markdown(report), report)
    module.exit_json(changed=changed, table=recovery_report.text_table(report['gateways']), rows=report['gateways'],
                     path=path, failed_hosts=[row['host'] for row in report['gateways'] if row['status'] == 'FAILED'],
                     summary=recovery_report.summary(report, written))


if __name__ == '__main__':
    main()
