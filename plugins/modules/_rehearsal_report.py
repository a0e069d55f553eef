#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: _rehearsal_report
short_description: Write the report of a Direct Link DR rehearsal, with an estimated time to recover per gateway
version_added: 0.1.0
description:
  - Internal to the C(cloud_dr.ibm_direct_link.rehearse) role (the leading underscore says so) - its options and results
    may change with the role; compose the public modules in your own playbooks.
  - For every gateway the recovery plan selects, says whether the rehearsal recovered it as planned, every blocking
    problem, the manual steps left and an estimated time to recover (a range in hours) built from lead times.
  - Writes C(rehearsal-report.md) and, beside it, C(rehearsal-report.json) (the same document as data,
    C(schema_version) 1, described by C(docs/schemas/rehearsal-report.schema.json) in the collection), both mode
    0600, and returns a short table for the terminal and RV(summary) for C(ansible.builtin.set_stats). Gateways of
    the backup outside the plan are listed as such.
  - The C(cloud_dr.ibm_direct_link.rehearse) playbook uses it; it makes no API call.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  backup_dir:
    description: The backup directory that was rehearsed.
    type: path
    required: true
  plan:
    description: The recovery plan (the C(recover_*) variables) that was rehearsed.
    type: dict
    default: {}
  preflight:
    description: The registered result of M(cloud_dr.ibm_direct_link._recovery_plan) run against the replica.
    type: dict
    required: true
  recovery_seconds:
    description: Wall time of the rehearsed recovery; omitted when the recovery did not run (pre-flight failed).
    type: float
  runs:
    description:
      - The rehearsed C(recover) and C(verify) runs as a command loop registers them (C(item) is the playbook, with
        C(rc), C(stdout) and C(stderr)); a failed run is reported with its first error line and its log file,
        C(ITEM.log) in O(report_dir), where the rehearse role keeps its whole output.
    type: list
    elements: dict
    default: []
  gateways_after:
    description: The replica's gateways after the recovery, as M(cloud_dr.ibm_direct_link.gateway_info) returns them.
    type: list
    elements: dict
    default: []
  lead_times:
    description:
      - Lead times in hours as C([min, max]) by step, overriding the defaults (C(provider_order), C(loa),
        C(cross_connect), C(ibm_patching), C(link_up), C(cross_account_approval), C(transit_connection),
        C(bgp_repeering)).
    type: dict
    default: {}
  report_dir:
    description: Where C(rehearsal-report.md) and C(rehearsal-report.json) are written (created 0700 when missing).
    type: path
    required: true
attributes:
  check_mode:
    description: Computes the verdict and writes nothing.
    support: full
  diff_mode:
    description: Not applicable; the report is rewritten on every rehearsal.
    support: none
"""

EXAMPLES = r"""
- name: Write the rehearsal report
  cloud_dr.ibm_direct_link._rehearsal_report:
    backup_dir: /srv/dl-backup
    plan:
      recover_location_map: {dal10: dal12}
    preflight: "{{ rehearse_preflight }}"
    recovery_seconds: 42.0
    runs:
      - {item: recover, rc: 0, stdout: ""}
    gateways_after: "{{ rehearse_after.gateways }}"
    report_dir: /srv/dl-rehearsal
"""

RETURN = r"""
path:
  description: The report file.
  returned: always
  type: str
table:
  description: A short fixed-width table (one line per gateway) for the terminal.
  returned: always
  type: list
  elements: str
blocked:
  description: Names of the planned gateways not recovered as planned (empty when the rehearsal passed).
  returned: always
  type: list
  elements: str
problems:
  description: Problems that concern the whole plan or backup rather than one gateway.
  returned: always
  type: list
  elements: str
gateways:
  description:
    - Per planned gateway, C(result) (C(recoverable); C(blocked) with C(reasons); C(not run) when a problem of the
      whole plan stopped the recovery), C(steps) and C(estimate_hours).
  returned: always
  type: dict
rto_hours:
  description: The estimated time to recover every planned gateway, C([min, max]) hours (they proceed in parallel).
  returned: always
  type: list
  elements: float
summary:
  description:
    - The outcome in brief, what the rehearse role publishes as C(cloud_dr_rehearsal) with C(ansible.builtin.set_stats).
    - C(status) is C(passed) when every planned gateway is recoverable and neither the plan nor the backup has a
      problem, else C(failed); C(manual_steps) lists every step left after the automated part, each as
      C(GATEWAY) then a colon and the step; C(report) and C(report_json) are the files (empty in check mode).
  returned: always
  type: dict
  sample:
    status: passed
    gateways_planned: 3
    gateways_recoverable: 3
    blocked: []
    problems: []
    rto_hours: [26.0, 240.5]
    manual_steps: ["dal10-connect-primary: order the virtual circuit from the port provider, referencing the new gateway"]
    report: /srv/dl-rehearsal/rehearsal-report.md
    report_json: /srv/dl-rehearsal/rehearsal-report.json
"""

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
