#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The _recovery_report module: its documentation, examples and return values are in _recovery_report.yml beside this file."""


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
