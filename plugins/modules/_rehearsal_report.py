#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The _rehearsal_report module: its documentation, examples and return values are in _rehearsal_report.yml beside this file."""


import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import manual_steps, problems, recovery, rehearsal, report_files


def judge(params):
    """The verdict per planned gateway, the problems of the whole plan, and the gateways outside the plan."""
    lead_times = dict(manual_steps.LEAD_TIMES, **params['lead_times'])
    plan, backup, selected, load_problems = recovery.load({'backup_dir': params['backup_dir'], 'plan': params['plan'], 'defined_keys': []})
    preflight = params['preflight']
    preflight_problems = problems.from_records(preflight.get('problem_records'))
    if preflight.get('failed') and not preflight_problems:  # the pre-flight stopped before it checked any gateway
        preflight_problems = problems.general([preflight.get('msg', 'pre-flight failed')])
    planned = preflight.get('gateways') or {}
    recovered = params['recovery_seconds'] is not None and not preflight_problems
    live = {gateway['name']: gateway for gateway in params['gateways_after']}
    account_id = rehearsal.account_id(backup.manifest or {}, backup.gateways)[0] or ''
    hours = (params['recovery_seconds'] or 0) / 3600
    gateways = {}
    for host, section in sorted(selected.items()):
        gateway = section['gateway']
        replacement = (planned.get(host) or {}).get('desired', {}).get('name') or plan.new_name(gateway['name'])
        result, reasons = rehearsal.verdict(host, replacement, preflight_problems, live.get(replacement), recovered)
        # The planned replacement (remapped networks, without the virtual connections the plan skips) when the
        # pre-flight planned it, else the backed-up gateway.
        planned_gateway = (planned.get(host) or {}).get('desired') or gateway
        notes = (planned.get(host) or {}).get('notes')
        gateway_steps = (manual_steps.steps(planned_gateway, notes, account_id=account_id)
                         + manual_steps.decision_steps(notes))
        gateways[gateway['name']] = {
            'host': host, 'replacement': replacement, 'type': gateway['type'], 'result': result, 'reasons': reasons,
            'from': gateway['location_name'],
            'to': (plan.location_map.get(gateway['location_name']) if isinstance(plan.location_map, dict) else None)
            or gateway['location_name'],
            'steps': [text for _key, text in gateway_steps],
            'estimate_hours': rehearsal.estimate(gateway_steps, hours, lead_times)}
    hosts = {entry['host'] for entry in gateways.values()}
    general = load_problems + [p.message for p in preflight_problems if p.host not in hosts]
    general += [run_failure(run, params['report_dir']) for run in params['runs'] if run.get('rc')]
    outside = sorted(section['gateway']['name'] for section in backup.gateways.values()
                     if section['gateway']['name'] not in gateways)
    return gateways, sorted(set(general), key=general.index), outside


ERROR_STARTS = ('[ERROR]', 'ERROR!', 'fatal:')
MAX_QUOTE = 500
MAX_ERROR_LINES = 5


def run_log(run, report_dir):
    """The file that keeps a rehearsed run's whole output (the rehearse role writes it)."""
    return os.path.join(report_dir, f"{run.get('item')}.log")


def first_error(run):
    """The first error of a run, on one line: ansible-core prints ``[ERROR]``/``ERROR!`` on stderr, continued on the
    next lines up to ``Origin:`` or a blank line, and ``fatal:`` on stdout."""
    for stream in ('stderr', 'stdout'):
        lines = [line.strip() for line in str(run.get(stream) or '').splitlines()]
        for start, line in enumerate(lines):
            if line.startswith(ERROR_STARTS):
                quoted = [line]
                for following in lines[start + 1:start + MAX_ERROR_LINES]:
                    if not following or following.startswith(('Origin:',) + ERROR_STARTS):
                        break
                    quoted.append(following)
                text = ' '.join(quoted)
                return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE] + '…'
    return None


def run_failure(run, report_dir):
    """One line for a failed rehearsed run: its playbook, exit status, first error line and where its output is."""
    return (f"the rehearsed {run.get('item')} run failed (rc {run.get('rc')}): {first_error(run) or 'no error line'} "
            f"(whole output: {run_log(run, report_dir)})")


def document(gateways, general, outside, seconds):
    """The rehearsal's one result document (``docs/schemas/rehearsal-report.schema.json``), rendered as Markdown
    and written as JSON: it passed when every planned gateway is recoverable and the plan has no problem."""
    rto = [max((entry['estimate_hours'][index] for entry in gateways.values()), default=0) for index in (0, 1)]
    blocked = sorted(name for name, entry in gateways.items() if entry['result'] != 'recoverable')
    return {'schema_version': report_files.SCHEMA_VERSION, 'kind': 'rehearsal',
            'status': 'failed' if blocked or general else 'passed', 'rto_hours': rto, 'recovery_seconds': seconds,
            'gateways': gateways, 'blocked': blocked, 'problems': general, 'outside_plan': outside}


def summary(report, path):
    """What the rehearsal publishes with set_stats (``cloud_dr_rehearsal``) for an AWX workflow to branch on."""
    gateways = report['gateways']
    return {'status': report['status'], 'gateways_planned': len(gateways),
            'gateways_recoverable': len(gateways) - len(report['blocked']), 'blocked': report['blocked'],
            'problems': report['problems'], 'rto_hours': report['rto_hours'],
            'manual_steps': [f'{name}: {step}' for name, entry in sorted(gateways.items()) for step in entry['steps']],
            'report': path, 'report_json': report_files.json_path(path) if path else ''}


def markdown(report):
    """The report document as Markdown."""
    gateways, rto = report['gateways'], report['rto_hours']
    out = ['# Direct Link DR rehearsal', '',
           f'Estimated time to recover every planned gateway: **{rto[0]}–{rto[1]} h** (gateways proceed in parallel; '
           'lead times are ranges, see the collection runbook).', '',
           f"The automated recovery took {round(report['recovery_seconds'] or 0)} s in the rehearsal (simulated "
           'provisioning); the rest of each estimate is the manual steps below.', '',
           '| gateway | type | location | result | estimate (h) | blocking problems |', '|---|---|---|---|---|---|']
    for name, entry in sorted(gateways.items()):
        out.append(f"| {name} → {entry['replacement']} | {entry['type']} | {entry['from']} → {entry['to']} | "
                   f"{entry['result']} | {entry['estimate_hours'][0]}–{entry['estimate_hours'][1]} | "
                   f"{'<br>'.join(entry['reasons']) or '-'} |")
    if report['problems']:
        out += ['', '## Problems of the plan or the backup', ''] + [f'- {problem}' for problem in report['problems']]
    out += ['', '## Manual steps after the automated recovery', '']
    for name, entry in sorted(gateways.items()):
        out += [f'### {name}', ''] + [f'- {step}' for step in entry['steps']] + ['']
    if report['outside_plan']:
        out += ['## Outside the plan (not rehearsed)', ''] + [f'- {name}' for name in report['outside_plan']] + ['']
    return '\n'.join(out).rstrip('\n') + '\n'


def main():
    """Module entry point."""
    module = AnsibleModule(
        argument_spec=dict(
            backup_dir=dict(type='path', required=True),
            plan=dict(type='dict', default={}),
            preflight=dict(type='dict', required=True),
            recovery_seconds=dict(type='float'),
            runs=dict(type='list', elements='dict', default=[]),
            gateways_after=dict(type='list', elements='dict', default=[]),
            lead_times=dict(type='dict', default={}),
            report_dir=dict(type='path', required=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    unknown = sorted(set(params['lead_times']) - set(manual_steps.LEAD_TIMES))
    if unknown:
        module.fail_json(msg=f"lead_times: unknown step(s) {', '.join(unknown)}; known: {', '.join(manual_steps.LEAD_TIMES)}")
    report = document(*judge(params), params['recovery_seconds'])
    path = os.path.join(params['report_dir'], 'rehearsal-report.md')
    if not module.check_mode:
        files.ensure_private_dir(params['report_dir'])
        report_files.write(path, markdown(report), report)
    table = [f"{'gateway':30} {'result':12} {'estimate (h)':>14}  blocking problems"]
    table += [f"{name[:30]:30} {entry['result']:12} {entry['estimate_hours'][0]:>6}–{entry['estimate_hours'][1]:<7}  "
              f"{len(entry['reasons'])}" for name, entry in sorted(report['gateways'].items())]
    module.exit_json(changed=False, path=path, table=table, blocked=report['blocked'], problems=report['problems'],
                     gateways=report['gateways'], rto_hours=report['rto_hours'],
                     summary=summary(report, '' if module.check_mode else path))


if __name__ == '__main__':
    main()
