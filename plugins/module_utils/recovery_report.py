# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recovery report: what was recovered where, and the manual steps automation cannot take.

Direct Link recovery is only partly automatable: dedicated gateways need a new cross-connect (LOA, carrier order,
completion notice, IBM patching), connect gateways need the provider's side of the circuit, cross-account virtual
connections need approval in the network's account, transit connections are made from the Transit Gateway, key
references must resolve in the target region, and new BGP addresses must reach the on-premises router.

One result document holds it all; the Markdown report and the JSON report are two renderings of it.
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.report_files import SCHEMA_VERSION, json_path

IBM_ASN = 13884
# What to do by hand after recovering a gateway without a field its backup lacked (recover_accept_missing).
WITHOUT_STEPS = {
    'macsec': 'MACsec: the gateway was recovered WITHOUT MACsec by decision (recover_accept_missing), although the '
              'backup shows it had MACsec. A MACsec configuration cannot be added to a gateway created without it: '
              'recreate the gateway with recover_macsec once the CAKs are known.',
    'route_filters': 'Route filters: the gateway was recovered without route filters by decision '
                     '(recover_accept_missing); add the export and import route filters it had, if any.',
    'virtual_connections': 'Virtual connections: the backup did not record them and the gateway was recovered without '
                           'any by decision (recover_accept_missing); create the ones it had.',
}


def decisions(notes):
    """What the plan decided not to recreate for one gateway: lines for the report (skipped VCs, accepted gaps)."""
    lines = [f"Not recreated: virtual connection {vc['name']}, {vc['reason']}." for vc in notes.get('skipped_vcs') or []]
    lines += [f"Recovered without {entry['field']}: {entry['reason']}." for entry in notes.get('without') or []]
    if notes.get('macsec_from_plan'):
        lines.append('MACsec settings (CAKs) taken from recover_macsec.')
    if isinstance(notes.get('change_request'), dict):
        lines.append(f"Not carried over: {change_request_text(notes['change_request'])}, pending at backup time; the "
                     'provider must request it again for the new gateway.')
    return lines


def change_request_text(change):
    """A provider's change request (``{type, updates?}``) in words: its type and the attribute values it asks for."""
    updates = [f'{key} {value}' for update in change.get('updates') or [] if isinstance(update, dict)
               for key, value in sorted(update.items())]
    return f"the provider's {change.get('type')} change request" + (f" ({', '.join(updates)})" if updates else '')


def _vc_summary(result):
    created = [vc['name'] for vc in result.get('virtual_connections') or []
               if vc.get('action') in ('created', 'exists') and vc.get('status') != 'approval_pending']
    waiting = [vc['name'] for vc in result.get('virtual_connections') or []
               if vc.get('action') in ('pending_gateway', 'would_create') or vc.get('status') == 'approval_pending']
    return created, waiting


def manual_steps(entry, result):
    """The steps left for people, with the values they need."""
    desired, notes = entry['desired'], entry['notes']
    gateway = result.get('gateway') or {}
    read_only = gateway.get('read_only') or {}
    gateway_id = read_only.get('id') or gateway.get('id') or '(created by the recovery run)'
    location = notes['new_location']
    steps = []
    if desired['type'] == 'dedicated' and read_only.get('operational_status') != 'provisioned':
        steps.append(f"LOA and cross-connect: IBM uploads the letter of authorization for gateway {desired['name']} "
                     f"({gateway_id}) within 24 hours; give it to {desired.get('carrier_name')} to order the cross-connect "
                     f"to router {desired.get('cross_connect_router')} at {location} (IBM does not order it), upload "
                     'the completion notice, then IBM patches the fiber (1-4 business days).')
    elif desired['type'] == 'connect':
        steps.append(f"Provider order: order the virtual circuit from {notes.get('provider', 'the provider')} on port "
                     f"{notes.get('port_label', desired.get('port'))} at {location} for gateway {gateway_id}; providers "
                     'with API integration may create it from their portal and ask you to accept it.')
    cer = gateway.get('bgp_cer_cidr') or desired.get('bgp_cer_cidr')
    ibm = gateway.get('bgp_ibm_cidr') or desired.get('bgp_ibm_cidr')
    original_cer = notes.get('original_bgp_cer_cidr')
    if cer and ibm:
        change = 'unchanged' if cer == original_cer else 'NEW'
        steps.append(f"BGP ({change} addresses): on the on-premises router use local address {cer} and neighbor "
                     f"{ibm.split('/')[0]} remote-as {read_only.get('bgp_ibm_asn', IBM_ASN)} (your ASN {desired['bgp_asn']}).")
    else:
        steps.append('BGP: IBM assigns the peer addresses; read them from the gateway once it is provisioned and '
                     'configure the on-premises router.')
    if desired.get('authentication_key'):
        steps.append(f"BGP MD5: key {desired['authentication_key']} must exist in a key store reachable from {location}.")
    if desired.get('macsec'):
        keys = ', '.join(cak['key'] for cak in desired['macsec'].get('caks', []))
        steps.append(f'MACsec: the CAK keys {keys} must exist in a key store reachable from {location}.')
    for vc in result.get('virtual_connections') or []:
        if vc.get('action') == 'skipped':
            steps.append(f"Transit Gateway: recreate the connection to {vc.get('network_id')} ({vc['name']}) from the "
                         'transit gateway side.')
        elif vc.get('status') == 'approval_pending':
            steps.append(f"Approval: the account owning {vc.get('network_id')} must approve virtual connection "
                         f"{vc['name']} (requests expire after 72 hours).")
    steps += [WITHOUT_STEPS.get(entry['field'], f"{entry['field']}: recreate it by hand.") for entry in notes.get('without') or []]
    waiting = [vc['name'] for vc in result.get('virtual_connections') or [] if vc.get('action') == 'pending_gateway']
    if waiting:
        steps.append(f"Re-run the recovery once the gateway is provisioned to create {', '.join(waiting)}.")
    return steps


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
            'vcs_ready': created, 'vcs_waiting': waiting, 'decisions': decisions(entry['notes']),
            'steps': [] if failed else manual_steps(entry, result),
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
