#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup_verify module: its documentation, examples and return values are in backup_verify.yml beside this file."""


from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery, report_files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def document(drift, pending, checked, not_compared, problems):
    """The drift check's one result document (``docs/schemas/verify-report.schema.json``)."""
    status = 'unreadable' if problems else 'drift' if drift else 'match'
    return {'schema_version': report_files.SCHEMA_VERSION, 'kind': 'verify', 'status': status, 'checked': checked,
            'drift': drift, 'pending': pending, 'not_compared': not_compared, 'problems': problems}


def markdown(report):
    """The report document as Markdown."""
    verdict = {'match': f"The live account matches the backup: {len(report['checked'])} gateway(s) compared.",
               'drift': f"{len(report['drift'])} difference(s) between the live account and the backup.",
               'unreadable': 'The backup could not be compared with the account.'}[report['status']]
    out = ['# Direct Link drift check', '', verdict]
    for title, key in (('Problems of the backup or the plan', 'problems'), ('Drift', 'drift'),
                       ('Pending (waiting for their gateway)', 'pending'), ('Not compared', 'not_compared'),
                       ('Gateways compared', 'checked')):
        if report[key]:
            out += ['', f'## {title}', ''] + [f'- {item}' for item in report[key]]
    return '\n'.join(out) + '\n'


def summary(report, path):
    """What the verify playbook publishes with set_stats (``cloud_dr_verify``)."""
    return {'status': report['status'], 'checked': len(report['checked']), 'drift': report['drift'],
            'pending': report['pending'], 'report': path, 'report_json': report_files.json_path(path) if path else ''}


def publish(module, report):
    """Write the reports when asked (not in check mode); the summary naming them."""
    path = '' if module.check_mode else module.params['report_path'] or ''
    if path:
        report_files.write(path, markdown(report), report)
    return summary(report, path)


def compare(module):
    """Return drift and pending lists; fail when anything drifted or the backup is unreadable."""
    params = module.params
    plan, _backup, selected, problems = recovery.load(params)
    if problems:
        module.fail_json(msg=f'The backup cannot be compared: {" | ".join(problems)}', drift=[], pending=[], checked=[],
                         not_compared=[], summary=publish(module, document([], [], [], [], problems)))
    include = ['virtual_connections', 'route_filters', 'as_prepends', 'macsec', 'transit_connections', 'status']
    gathered = gather_gateways(module.connection, include=include, max_concurrency=params['max_concurrency'],
                               transit=module.transit)
    live = {gateway['name']: gateway for gateway in gathered}
    catalog = Catalog(module.connection)
    drifts, pending, checked, not_compared = [], [], [], []
    for replacement in recovery.replacements(plan, selected, catalog):
        found, waiting = recovery.drift(replacement, live.get(replacement.desired['name']))
        drifts += found
        pending += waiting
        checked.append(replacement.desired['name'])
        not_compared += recovery.not_compared(replacement)
    result = {'changed': False, 'drift': drifts, 'pending': pending, 'checked': checked, 'not_compared': not_compared,
              'summary': publish(module, document(drifts, pending, checked, not_compared, []))}
    if drifts:
        module.fail_json(msg=f'{len(drifts)} difference(s) between the account and the backup: ' + ' | '.join(drifts), **result)
    return result


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(recovery.argument_spec(), report_path=dict(type='path'))).run(compare)


if __name__ == '__main__':
    main()
