# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decommissioning: deleting exactly the backed-up gateways a plan selects, after a recovery or at failback.

``Selection`` reads and validates the plan's ``decommission_*`` keys. ``assess`` checks every selected gateway against
the live account before anything is deleted: refusals that nothing overrides (another account's gateway, a backup
that no longer describes the gateway, a Transit Gateway connection) and the replacement checks that only
``decommission_force`` overrides (the replacement the recovery plan names exists, is provisioned and passes the
recovery's own drift check, through ``recovery.replacements`` and ``recovery.drift``). ``delete`` removes one gateway,
virtual connections first, waiting out transient states; ``document`` is the report of what was deleted, with the
backup file that describes each gateway (``docs/schemas/decommission-report.schema.json``).
"""

import datetime
import difflib
import os
from typing import Any, Optional, cast

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api, recovery, report_files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.lifecycle import (
    wait_for_gateway,
    wait_for_gateway_gone,
    wait_for_vcs,
    wait_for_vcs_settled,
)
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.problems import Problem, of_gateway
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.shapes import BackupSection, Gateway

PLAN_KEYS = ('decommission_gateways', 'decommission_locations', 'decommission_force')
ROLE_KEYS = ('decommission_backup_dir', 'decommission_report_dir', 'decommission_wait_timeout', 'decommission_max_concurrency')
REPORT_STEM = 'decommission-report-'
# Gateway states the API refuses to delete in: waited out before the delete is sent.
GATEWAY_SETTLING = frozenset(('create_pending', 'configuring'))
FORCE_SPELLINGS = {'true': True, 'false': False}


class Selection:
    """The ``decommission_*`` keys of a plan: which backed-up gateways to delete, and whether to force."""

    def __init__(self, values: dict):
        self.gateways = values.get('decommission_gateways')
        self.locations = values.get('decommission_locations')
        self.force_value = values.get('decommission_force')

    @property
    def force(self) -> bool:
        """Whether ``decommission_force`` is explicitly true (a boolean, or the string ``true`` of ``-e``)."""
        value = self.force_value
        return value is True or (isinstance(value, str) and FORCE_SPELLINGS.get(value.lower()) is True)

    def problems(self, defined_names: list, backup_gateways: dict) -> list[str]:
        """Misspelled keys, wrong types, and names and locations that match no gateway of the backup."""
        problems = recovery.unknown_key_problems(defined_names, PLAN_KEYS, ROLE_KEYS, 'decommission')
        value = self.force_value
        if value is not None and not isinstance(value, bool) and not (isinstance(value, str) and value.lower() in FORCE_SPELLINGS):
            problems.append(f'plan: decommission_force is {value!r}, expected true or false (-e decommission_force=true)')
        names = sorted({section['gateway']['name'] for section in backup_gateways.values()})
        locations = sorted({section['gateway']['location_name'] for section in backup_gateways.values()})
        for key, given, known, what in (
            ('decommission_gateways', self.gateways, names, 'gateway names'),
            ('decommission_locations', self.locations, locations, 'location names'),
        ):
            if given is not None and not (isinstance(given, list) and all(isinstance(item, str) for item in given)):
                problems.append(f'plan: {key} must be a list of {what}, got {given!r}')
                continue
            problems += [_unknown(key, item, known) for item in given or [] if item not in known]
        if not self.gateways and not self.locations:
            problems.append(
                'plan: nothing is selected: name the gateways to delete with decommission_gateways (or their locations '
                'with decommission_locations)'
            )
        return problems

    def selects(self, gateway: Gateway) -> bool:
        """Whether a backed-up gateway is selected: named, or at a named location."""
        names = self.gateways if isinstance(self.gateways, list) else []
        locations = self.locations if isinstance(self.locations, list) else []
        return gateway['name'] in names or gateway['location_name'] in locations


def _unknown(key: str, item: str, known: list[str]) -> str:
    """A name or location of the selection that matches no gateway of the backup, with the closest one."""
    close = difflib.get_close_matches(item, known, n=1)
    hint = f' (did you mean {close[0]}?)' if close else ''
    if key == 'decommission_gateways':
        return f'plan: {key} names gateway {item}, which is not in the backup{hint}; the backup has: {", ".join(known)}'
    return f'plan: {key} names location {item}, where the backup has no gateway{hint}; its locations: {", ".join(known)}'


class Candidate:
    """One selected gateway of the backup: the live gateway it describes, its replacement, and what stops its deletion.

    ``refusals`` are never overridden; ``unverified`` (the replacement checks) are overridden by ``decommission_force``
    and then recorded in the report as ``forced_past``.
    """

    def __init__(self, host: str, section: BackupSection, entry: dict):
        self.host = host
        self.section = section
        self.entry = entry
        self.original: Gateway = section['gateway']
        self.live: Optional[dict] = None
        self.replacement: Optional[dict] = None
        self.replacement_name: Optional[str] = None
        self.refusals: list[str] = []
        self.unverified: list[str] = []

    @property
    def name(self) -> str:
        """The gateway's name in the backup."""
        return self.original['name']

    @property
    def backup_id(self) -> Optional[str]:
        """The id the backup recorded for the gateway."""
        source = self.section.get('source')
        return (source.get('id') if isinstance(source, dict) else None) or self.original.get('id')

    def where(self) -> str:
        """How messages refer to this gateway."""
        return f"gateway '{self.name}' (host {self.host})"

    def vcs(self) -> list[dict]:
        """The live virtual connections (as gathered), deleted before the gateway."""
        return list((self.live or {}).get('virtual_connections') or [])


def is_cross_account(gateway: dict) -> bool:
    """Whether a gathered gateway is another account's (it only connects to networks of this account)."""
    return bool((gateway.get('read_only') or {}).get('cross_account'))


def assess(plan: recovery.Plan, backup: recovery.Backup, selection: Selection, live: list[dict], catalog: Any) -> list[Candidate]:
    """Every selected gateway of the backup, with what stops its deletion, checked against the live gateways (as
    gathered: sub-resources included, cross-account ones too). Nothing is changed."""
    by_id = {gateway['id']: gateway for gateway in live if gateway.get('id')}
    own_by_name = {gateway['name']: gateway for gateway in live if not is_cross_account(gateway)}
    candidates = [
        Candidate(host, section, backup.manifest['gateways'][host])
        for host, section in sorted(backup.gateways.items())
        if selection.selects(section['gateway'])
    ]
    for candidate in candidates:
        _locate(candidate, by_id, live)
        if candidate.live is not None and not candidate.refusals:
            _check_backup_current(candidate)
    present = [candidate for candidate in candidates if candidate.live is not None and not is_cross_account(candidate.live)]
    doomed = {candidate.live['id'] for candidate in present if candidate.live is not None}
    sections = {candidate.host: candidate.section for candidate in present}
    for candidate, replacement in zip(present, recovery.replacements(plan, sections, catalog)):
        _check_replacement(candidate, replacement, own_by_name, doomed)
    return candidates


def _cross_account(where: str, gateway: dict) -> str:
    return (
        f"{where}: {gateway['name']} ({gateway['id']}) is another account's gateway (cross-account: it only connects to "
        'networks of this account); it is never deleted'
    )


def _locate(candidate: Candidate, by_id: dict, live: list[dict]) -> None:
    """Find the live gateway the backup describes (by the backup's id); refuse another account's, or a newer one."""
    where = candidate.where()
    gateway = by_id.get(candidate.backup_id)
    if gateway is None:
        for other in (g for g in live if g['name'] == candidate.name):
            candidate.refusals.append(
                _cross_account(where, other)
                if is_cross_account(other)
                else f"{where}: the account's gateway {other['name']} is {other['id']}, but the backup describes "
                f'{candidate.backup_id} (recreated since the backup?); take a new backup, so that it describes what is deleted'
            )
        return
    candidate.live = gateway
    if is_cross_account(gateway):
        candidate.refusals.append(_cross_account(where, gateway))
    elif candidate.section.get('present') is False:
        candidate.refusals.append(
            f'{where}: the backup records it as no longer present, yet the account has it; take a new backup, so that it '
            'describes what is deleted'
        )


def _as_backed_up(candidate: Candidate) -> recovery.Replacement:
    """The gateway as its backup describes it, in the shape ``recovery.drift`` compares (VCs inactive at backup time
    left out: a backup does not recreate them)."""
    described = recovery.Replacement(candidate.host, candidate.section)
    active = [
        {key: value for key, value in vc.items() if key != 'read_only'}
        for vc in candidate.original.get('virtual_connections') or []
        if recovery.backup_vc_status(vc) not in recovery.INACTIVE_VC_STATUSES
    ]
    described.desired = cast(Gateway, dict({key: value for key, value in candidate.original.items() if key != 'read_only'},
                                           virtual_connections=active))
    return described


def _check_backup_current(candidate: Candidate) -> None:
    """Refuse when the backup no longer describes the live gateway exactly (it must be able to recreate it), and when a
    Transit Gateway connection must be deleted from the Transit Gateway first."""
    where = candidate.where()
    live = candidate.live or {}
    gaps = [str(entry.get('field')) for entry in candidate.section.get('missing') or [] if isinstance(entry, dict)]
    if gaps:
        candidate.refusals.append(
            f"{where}: the backup lacks {', '.join(gaps)} (a CLI export), so it could not recreate the gateway; back it up "
            'from the API first (the backup playbook)'
        )
    transit = sorted(vc['name'] for vc in candidate.vcs() if vc['type'] == 'transit' or live.get('connection_mode') == 'transit')
    if transit:
        candidate.refusals.append(
            f"{where}: {', '.join(transit)} are Transit Gateway connections, made and deleted from the Transit Gateway: "
            'delete them there, then run the decommission again'
        )
    drifts, pending = recovery.drift(_as_backed_up(candidate), live)
    backed_up = {vc['name'] for vc in candidate.original.get('virtual_connections') or []}
    added = [
        f"virtual connection {vc['name']} is not in the backup"
        for vc in candidate.vcs()
        if vc['name'] not in backed_up and (vc.get('read_only') or {}).get('status') != 'deleting'
    ]
    differences = [item.removeprefix(f'{where}: ') for item in drifts + pending] + added
    if differences:
        candidate.refusals.append(
            f"{where}: the backup is not current ({'; '.join(differences)}); take a new backup, so that it describes what "
            'is deleted'
        )


def _check_replacement(candidate: Candidate, replacement: recovery.Replacement, own_by_name: dict, doomed: set) -> None:
    """The checks ``decommission_force`` overrides: the plan's replacement exists, is provisioned and passes verify."""
    where = candidate.where()
    name = replacement.desired['name']
    candidate.replacement_name = name
    candidate.unverified += replacement.problems
    found = own_by_name.get(name)
    if found is None:
        candidate.unverified.append(
            f"{where}: its replacement {name} (at {replacement.notes['new_location']}, by the recovery plan) is not in the account"
        )
        return
    if found['id'] == (candidate.live or {}).get('id'):
        candidate.unverified.append(
            f'{where}: the recovery plan maps it onto itself, so it has no replacement (map its location with '
            'recover_location_map and name the replacement with recover_name_template)'
        )
        return
    candidate.replacement = found
    if found['id'] in doomed:
        candidate.unverified.append(f'{where}: its replacement {name} is selected for deletion too')
    status = (found.get('read_only') or {}).get('operational_status')
    if status != 'provisioned':
        candidate.unverified.append(f'{where}: its replacement {name} is {status}, not provisioned')
    drifts, _pending = recovery.drift(replacement, found)
    if drifts:
        candidate.unverified.append(
            f'{where}: verify fails for its replacement {name}: ' + '; '.join(item.removeprefix(f'{replacement.where()}: ') for item in drifts)
        )


def blocking(candidates: list[Candidate], force: bool) -> list[Problem]:
    """What stops the run, as problem records: every refusal, and the replacement checks unless forced."""
    found = []
    for candidate in candidates:
        found += of_gateway(candidate.host, candidate.name, candidate.refusals + ([] if force else candidate.unverified))
    return found


def refusal_message(found: list[Problem]) -> str:
    """The one-line failure of a refused run."""
    return f'Decommission refused, {len(found)} problem(s); nothing was deleted: ' + ' | '.join(
        f'({number}) {problem.message}' for number, problem in enumerate(found, 1)
    )


def planned(candidate: Candidate, backup_dir: str) -> dict:
    """What deleting a candidate means: the gateway, its virtual connections, its replacement and its backup file."""
    live = candidate.live or {}
    replacement = candidate.replacement or {}
    return {
        'name': candidate.name,
        'host': candidate.host,
        'id': live.get('id'),
        'type': live.get('type'),
        'location_name': live.get('location_name'),
        'crn': (live.get('read_only') or {}).get('crn'),
        'virtual_connections': [
            dict({'name': vc['name'], 'type': vc['type'], 'id': (vc.get('read_only') or {}).get('id')},
                 **({'network_id': vc['network_id']} if vc.get('network_id') else {}))
            for vc in candidate.vcs()
        ],
        'replacement': {
            'name': candidate.replacement_name,
            'id': replacement.get('id'),
            'location_name': replacement.get('location_name'),
            'operational_status': (replacement.get('read_only') or {}).get('operational_status'),
        },
        'backup_file': {'path': files.gateway_path(backup_dir, candidate.host), 'sha256': candidate.entry.get('sha256')},
        'forced_past': list(candidate.unverified),
    }


def diff(plans: list[dict]) -> dict:
    """Before and after for diff mode: the gateways deleted, with their virtual connections; none after."""
    before = {
        plan['name']: {'id': plan['id'], 'type': plan['type'], 'location_name': plan['location_name'],
                       'virtual_connections': [vc['name'] for vc in plan['virtual_connections']]}
        for plan in plans
    }
    return {'before': {'gateways': before}, 'after': {'gateways': {}}}


def delete(connection: api.Connection, plan: dict, timeout: int) -> dict:
    """Delete one planned gateway: its virtual connections first (once pending ones have settled), waiting until they
    are gone, then the gateway (once it has left create_pending or configuring), waiting until it is gone.

    Returns the plan with ``result`` (``deleted`` or ``failed``, with ``error``). Only the virtual connections checked
    against the backup are deleted, so that the gateway's delete fails rather than take one added since.
    """
    result = dict(plan, result='deleted', error=None)
    gateway = {'id': plan['id'], 'name': plan['name']}
    vcs = plan['virtual_connections']
    try:
        if vcs:
            current = wait_for_vcs_settled(connection, gateway, [vc['id'] for vc in vcs], timeout)
            deleting = {vc['id'] for vc in current if vc['status'] == 'deleting'}
            for vc in vcs:
                if vc['id'] not in deleting:
                    api.delete_virtual_connection(connection, plan['id'], vc['id'])
            wait_for_vcs(connection, gateway, [], timeout, gone=[vc['name'] for vc in vcs])
        if api.get_gateway(connection, plan['id']) is not None:
            settled = wait_for_gateway(connection, gateway, timeout, done=lambda g: g['operational_status'] not in GATEWAY_SETTLING)
            if settled['operational_status'] != 'delete_pending':
                api.delete_gateway(connection, plan['id'])
            wait_for_gateway_gone(connection, gateway, timeout)
    except DirectLinkError as error:
        result.update(result='failed', error=error.message)
    return result


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def document(backup_dir: str, manifest_sha256: Optional[str], results: list[dict], forced: bool, started: str) -> dict:
    """The report document: every gateway deleted (or whose deletion failed), with the backup file that describes it."""
    failed = any(item['result'] == 'failed' for item in results)
    return {
        'schema_version': report_files.SCHEMA_VERSION,
        'kind': 'decommission',
        'status': 'failed' if failed else 'deleted',
        'started_at': started,
        'finished_at': now(),
        'forced': forced,
        'backup': {'dir': backup_dir, 'manifest': {'path': os.path.join(backup_dir, files.MANIFEST), 'sha256': manifest_sha256}},
        'gateways': results,
    }


def markdown(report: dict) -> str:
    """The report document as Markdown."""
    backup = report['backup']
    out = [
        '# Direct Link decommission report',
        '',
        f"Backup `{backup['dir']}` (manifest sha256 `{backup['manifest']['sha256']}`), {report['started_at']} to "
        f"{report['finished_at']}" + (', **forced** past the replacement checks' if report['forced'] else '') + '.',
        '',
        '| gateway | id | location | result | virtual connections deleted first | replacement |',
        '|---|---|---|---|---|---|',
    ]
    for gateway in report['gateways']:
        replacement = gateway['replacement']
        out.append(
            f"| {gateway['name']} | {gateway['id']} | {gateway['location_name']} | {gateway['result']} | "
            f"{', '.join(vc['name'] for vc in gateway['virtual_connections']) or '-'} | "
            f"{replacement['name'] or '-'} ({replacement['operational_status'] or 'missing'}) |"
        )
    out += [
        '',
        '## Recreating a deleted gateway',
        '',
        "Each file below describes its gateway as it was deleted (the sha256 is the manifest's). If a later backup changed "
        "or pruned it, restore that version from the backup's history (`git -C BACKUP_DIR log -- FILE`); then recover the "
        'gateway from it with `recover_limit: [NAME]`.',
        '',
    ]
    for gateway in report['gateways']:
        out.append(f"- **{gateway['name']}**: `{gateway['backup_file']['path']}` (sha256 `{gateway['backup_file']['sha256']}`)")
        out += [f'  - forced past: {reason}' for reason in gateway['forced_past']]
        if gateway['error']:
            out.append(f"  - FAILED: {gateway['error']}")
    return '\n'.join(out) + '\n'


def table(plans: list[dict], already_deleted: list[str], check_mode: bool) -> list[str]:
    """The lines the role prints: each gateway deleted (or to delete) with its virtual connections, then the others."""
    heading = 'Would delete (check mode):' if check_mode else 'Deleted:'
    lines = [heading] if plans else ['Nothing to delete.']
    for plan in plans:
        vcs = ', '.join(vc['name'] for vc in plan['virtual_connections']) or 'none'
        outcome = f" - FAILED: {plan['error']}" if plan.get('result') == 'failed' else ''
        lines.append(f"{plan['name']} ({plan['id']} at {plan['location_name']}), virtual connections first: {vcs}{outcome}")
    return lines + [f"Already deleted: {', '.join(already_deleted) or 'none'}"]


def summary(status: str, plans: list[dict], already_deleted: list[str], problems: list[str], report_path: str) -> dict:
    """What the decommission role publishes with set_stats (``cloud_dr_decommission``).

    ``status``: ``deleted``, ``failed`` (a deletion failed; the report says which), ``refused`` (nothing was deleted, see
    ``problems``), ``planned`` (check mode) or ``nothing`` (every selected gateway is already deleted).
    """
    return {
        'status': status,
        'gateways_planned': [plan['name'] for plan in plans],
        'gateways_deleted': [plan['name'] for plan in plans if plan.get('result') == 'deleted'],
        'gateways_failed': [plan['name'] for plan in plans if plan.get('result') == 'failed'],
        'already_deleted': already_deleted,
        'forced_past': [reason for plan in plans for reason in plan['forced_past']],
        'problems': problems,
        'report': report_path,
        'report_json': report_files.json_path(report_path) if report_path else '',
    }
