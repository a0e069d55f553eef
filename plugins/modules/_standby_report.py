#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: _standby_report
short_description: Write the Direct Link warm standby report
version_added: 0.1.0
description:
  - Internal to the C(cloud_dr.ibm_direct_link.standby) role (the leading underscore says so) - its options and results
    may change with the role; compose the public modules in your own playbooks.
  - Per pair of primary and standby - the locations, which gateway is preferred after the run, the drift found
    between the standby and its primary, what was changed (or would be, in check mode), failures, and the manual steps
    of a standby created by the run (the provider's order or the LOA and cross-connect, the BGP session on the new
    addresses IBM assigned, approvals), as the recovery report gives them.
  - Writes it as Markdown and, beside it, as JSON (C(schema_version) 1, described by
    C(docs/schemas/standby-report.schema.json) in the collection), both mode 0600, and returns a short table and
    RV(summary) for C(ansible.builtin.set_stats). Nothing is written in check mode.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  pairs:
    description: The C(pairs) returned by M(cloud_dr.ibm_direct_link._standby_plan).
    type: list
    elements: dict
    required: true
  results:
    description: The C(results) of M(cloud_dr.ibm_direct_link.gateways) (empty when it had nothing to do).
    type: list
    elements: dict
    default: []
  action:
    description: The action run (C(sync), C(promote), C(demote) or C(check)).
    type: str
    choices: [sync, promote, demote, check]
    default: sync
  account_id:
    description: The account of the gateways (to predict approvals of networks of other accounts).
    type: str
    default: ""
  path:
    description: Where to write the Markdown report; the JSON report is written beside it (C(.json)).
    type: path
    required: true
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.attributes.report
"""

EXAMPLES = r"""
- name: Report
  cloud_dr.ibm_direct_link._standby_report:
    pairs: "{{ standby_plan.pairs }}"
    results: "{{ standby_gateways.results | default([]) }}"
    path: /srv/dr/standby-report.md
"""

RETURN = r"""
report:
  description: The report document (as the JSON file holds it).
  returned: always
  type: dict
table:
  description: One line per pair for the terminal.
  returned: always
  type: list
  elements: str
summary:
  description:
    - What the standby role publishes as C(cloud_dr_standby) with C(ansible.builtin.set_stats) - C(status)
      (C(changed), C(in_sync), C(planned) in check mode, C(failed), C(drift) found by a check), C(action), C(pairs) (primary to standby),
      C(preferred) (per primary), C(drift), C(changed) and C(failed) (standby names), C(manual_steps), C(report) and
      C(report_json) (empty when not written).
  returned: always
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import report_files, standby


def main():
    """Module entry point."""
    module = AnsibleModule(
        argument_spec=dict(
            pairs=dict(type='list', elements='dict', required=True),
            results=dict(type='list', elements='dict', default=[]),
            action=dict(type='str', choices=list(standby.ACTIONS), default='sync'),
            account_id=dict(type='str', default=''),
            path=dict(type='path', required=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    results = {item.get('name'): item for item in params['results']}
    found = [standby.outcome(pair, results, params['action'], params['account_id']) for pair in params['pairs']]
    report = standby.document(found, params['action'], module.check_mode)
    written = '' if module.check_mode else params['path']
    changed = bool(written) and report_files.write(written, standby.markdown(report), report)
    module.exit_json(changed=changed, report=report, table=standby.table(report), summary=standby.summary(report, written))


if __name__ == '__main__':
    main()
