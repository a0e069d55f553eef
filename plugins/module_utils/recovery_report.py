# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recovery report: what was recovered where, and the manual steps automation cannot take (manual_steps.py).

One result document holds it all; the Markdown report and the JSON report are two renderings of it.
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import manual_steps
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.report_files import SCHEMA_VERSION, json_path


def _vc_summary(result):
    """The names of the virtual and Transit Gateway connections that are ready, and of those still waiting."""
    connections = list(result.get('virtual_connections') or []) + [
        dict(item, name=f"{item['name']} (Transit Gateway {(item.get('transit_gateway') or {}).get('name')})")
        for item in result.get('transit_connections') or []]
    created = [item['name'] for item in connections if item.get('action') in ('created', 'exists')
               and item.get('status') != 'approval_pending' and item.get('request_status') != 'pending']
    waiting = [item['name'] for item in connections if item.get('action') in ('pending_gateway', 'would_create')
               or item.get('status') == 'approval_pending' or item.get('request_status') == 'pending']
    return created, waiting


def rows(plan, results):
    """One row per gateway: names, locations, id, status, virtual connections, steps, failure."""
    table = []
    for host, entry in sorted(plan.items()):
        result = results.get(host) or {}
        gateway = result.get('gateway') or {}
        read_only = gateway.get('read_only') or {}
        created, waiting = _vc_summary(result)
        failed = result.get('failed') or not result
        table.append({
            'host': host, 'old_name': entry['notes']['old_name'], 'new_name': entry['desired']['name'],
            'old_location': entry['notes']['old_location'], 'new_location': entry['notes']['new_location'],
            'id': gateway.get('id') or read_only.get('id', ''), 'status': 'FAILED' if failed else read_only.get('operational_status', 'planned'),
            'vcs_ready': created, 'vcs_waiting': waiting, 'decisions': manual_steps.decisions(entry['notes']),
            'steps': [] if failed else [step.text for step in manual_steps.steps(entry['desired'], entry['notes'], result)],
            'error': (result.get('msg') or 'did not run (an earlier step failed)') if failed else '',
        })
    return table


def text_table(table):
    """A short fixed-width table for the terminal, then the reason of every failed gateway."""
    lines = [f"{'gateway':30} {'location':15} {'status':20} {'VCs':>7} steps"]
    for row in table:
        lines.append(f"{row['new_name'][:30]:30} {row['old_location'] + '>' + row['new_location']:15} {row['status'][:20]:20} "
                     f"{len(row['vcs_ready'])}/{len(row['vcs_ready']) + len(row['vcs_waiting']):<5} {len(row['steps'])}")
    lines += [f"{row['new_name']}: {line}" for row in table for line in row['decisions']]
    return lines + [f"FAILED {row['new_name']}: {row['error']}" for row in table if row['status'] == 'FAILED']


def status(table, drift, check_mode):
    """The outcome of the whole run: failed (a gateway failed), planned (check mode), drift, or recovered."""
    if any(row['status'] == 'FAILED' for row in table):
        return 'failed'
    if check_mode:
        return 'planned'
    return 'drift' if drift else 'recovered'


def document(plan, results, drift, pending, check_mode):
    """The report's one result document (``docs/schemas/recovery-report.schema.json``), rendered as Markdown and
    written as JSON."""
    table = rows(plan, results)
    return {'schema_version': SCHEMA_VERSION, 'kind': 'recovery', 'check_mode': check_mode,
            'status': status(table, drift, check_mode), 'gateways': table, 'drift': list(drift), 'pending': list(pending)}


def summary(report, path):
    """What the recovery publishes with set_stats (``cloud_dr_recovery``) for an AWX workflow to branch on."""
    table = report['gateways']
    failed = [row['new_name'] for row in table if row['status'] == 'FAILED']
    return {'status': report['status'], 'gateways_planned': len(table),
            'gateways_recovered': 0 if report['check_mode'] else len(table) - len(failed), 'gateways_failed': failed,
            'manual_steps': [f"{row['new_name']}: {step}" for row in table for step in row['steps']],
            'drift': report['drift'], 'report': path, 'report_json': json_path(path) if path else ''}


def markdown(report):
    """The report document as Markdown."""
    table = report['gateways']
    title = 'Direct Link recovery plan (check mode: nothing was changed)' if report['check_mode'] else 'Direct Link recovery report'
    out = [f'# {title}', '', '| gateway | was | location | new id | status | VCs ready | VCs waiting |',
           '|---|---|---|---|---|---|---|']
    for row in table:
        out.append(f"| {row['new_name']} | {row['old_name']} | {row['old_location']} → {row['new_location']} | {row['id']} | "
                   f"{row['status']} | {', '.join(row['vcs_ready']) or '-'} | {', '.join(row['vcs_waiting']) or '-'} |")
    failed = [row for row in table if row['status'] == 'FAILED']
    if failed:
        out += ['', '## Failed gateways', '']
        out += [f"- **{row['new_name']}** ({row['host']}): {row['error']}" for row in failed]
    decided = [row for row in table if row['decisions']]
    if decided:
        out += ['', '## Not recreated, by the plan', '']
        out += [f"- **{row['new_name']}**: {line}" for row in decided for line in row['decisions']]
    out += ['', '## Manual steps left', '']
    for row in table:
        if row['steps']:
            out += [f"### {row['new_name']}", ''] + [f'- {step}' for step in row['steps']] + ['']
    out += ['## Verification', '']
    out += [f'- drift: {item}' for item in report['drift']] or ['- The live account matches the backup (after the plan\'s remaps).']
    out += [f'- pending: {item}' for item in report['pending']]
    return '\n'.join(out) + '\n'
