#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The _standby_report module: its documentation, examples and return values are in _standby_report.yml beside this file."""


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
