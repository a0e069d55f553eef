# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Warm standby: for each protected gateway, a gateway in a second location kept in sync with it, less preferred.

A standby is its primary's configuration remapped by the plan (``recovery.remap``, with the ``standby_*`` keys: new
location, port, router and name, BGP addresses assigned by IBM), with the same virtual connections to the same
networks, route filters, BFD and MACsec policy, and AS prepends that make it the less preferred path: each of the
primary's prepends lengthened by ``standby_as_prepend_length`` (IBM: three or more) and one of that length for each
policy the primary prepends no route of. With equal local preference BGP then takes the primary.

Promoting swaps the two gateways' AS prepends, so that the standby is preferred: the primary gets its own prepends
lengthened, the standby the primary's. Demoting swaps them back. A pair is promoted when its prepends are exactly
so (read from the gateways, nothing is stored elsewhere), so both are idempotent and a sync of a promoted pair leaves
the prepends alone; a standby whose prepends were changed otherwise is drift, which a sync corrects. Which gateway
is preferred is rated as the audit rates it (the shorter AS path, ``redundancy.prepend_lengths``).

Pure functions over option-shaped gateways (``gateway_info``'s shape) and a catalog: nothing here makes a request.
The ``gateways`` module makes the changes; ``docs/schemas/standby-report.schema.json`` describes the report.
"""

import copy
from typing import Any, Optional, cast

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import manual_steps, recovery, redundancy, report_files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.shapes import AsPrepend, Gateway

PLAN_KEYS = ('standby_location_map', 'standby_port_map', 'standby_router_map', 'standby_name_template', 'standby_limit',
             'standby_as_prepend_length')
ROLE_KEYS = ('standby_action', 'standby_report_dir', 'standby_wait_timeout', 'standby_max_concurrency')
# check: report the drift of every pair, change nothing (the audit and verify playbooks run it).
ACTIONS = ('sync', 'promote', 'demote', 'check')
DEFAULT_PREPEND_LENGTH = redundancy.MIN_PREPEND
# The lengths the API takes for an AS prepend.
PREPEND_RANGE = (3, 10)
POLICIES = ('export', 'import')
PREFERRED = ('primary', 'standby')


class Plan(recovery.Plan):
    """The standby plan: the recovery plan's remapping under the ``standby_*`` keys, and the prepend length.

    Standbys never reuse their primary's BGP addresses (IBM assigns theirs), and reach networks in another region
    than their location with global routing."""

    KEYS = PLAN_KEYS
    ROLE_KEYS = ROLE_KEYS
    prefix = 'standby'
    default_name_template = '{name}-standby'
    global_for_far_networks = True

    def __init__(self, values: dict):
        super().__init__(values)
        self.bgp = 'auto'
        length = values.get('standby_as_prepend_length')
        self.prepend_length = DEFAULT_PREPEND_LENGTH if length is None else length

    def problems(self, defined_names: list) -> list[str]:
        """The recovery plan's checks with the standby's keys, the prepend length, and a name other than the primary's."""
        problems = super().problems(defined_names)
        low, high = PREPEND_RANGE
        length = self.prepend_length
        if not isinstance(length, int) or isinstance(length, bool) or not low <= length <= high:
            problems.append(f'plan: standby_as_prepend_length is {length!r}, expected a number of AS prepends from {low} to '
                            f'{high} (IBM: {DEFAULT_PREPEND_LENGTH} or more make a path the less preferred one)')
        if isinstance(self.name_template, str) and self.template() == '{name}':
            problems.append("plan: standby_name_template '{name}' gives the standby its primary's name; add to it (for "
                            "example '{name}-standby')")
        if not self.location_map and isinstance(self.location_map, dict):
            problems.append('plan: standby_location_map is empty; map the location of each primary to that of its standby '
                            '(for example {dal10: dal12})')
        return problems


class Pair(recovery.Replacement):
    """One primary and its standby: the standby's desired state, the live standby (None: not created yet), what differs."""

    def __init__(self, primary: Gateway, length: int):
        super().__init__(primary['name'], {'gateway': primary})
        self.primary = primary
        self.length = length
        self.standby: Optional[Gateway] = None
        self.drift: list[str] = []

    def where(self) -> str:
        """How problems and drift name the pair."""
        return f"standby of gateway '{self.primary['name']}'"

    @property
    def name(self) -> str:
        """The standby's name."""
        return self.desired['name']

    def preferred(self) -> Optional[str]:
        """``primary`` or ``standby``: the gateway with the shorter AS path (None: no standby yet)."""
        if self.standby is None:
            return None
        return 'standby' if total_prepends(self.standby) < total_prepends(self.primary) else 'primary'

    def promoted(self) -> bool:
        """Whether the pair is as a promotion leaves it: the primary's AS prepends those of the standby lengthened."""
        if self.standby is None:
            return False
        return same_prepends(self.primary.get('as_prepends'), less_preferred(self.standby.get('as_prepends'), self.length))

    def standby_prepends(self) -> list[AsPrepend]:
        """The standby's AS prepends in the pair's state: the primary's lengthened, or as they are when promoted."""
        if self.promoted():
            return (self.standby or {}).get('as_prepends') or []
        return less_preferred(self.primary.get('as_prepends'), self.length)


def same_prepends(left: Optional[list], right: Optional[list]) -> bool:
    """Whether two AS-prepend lists are the same, in any order."""
    def key(item: dict) -> tuple:
        return item['policy'], item['length'], tuple(item.get('specific_prefixes') or ())
    return sorted(map(key, left or [])) == sorted(map(key, right or []))


def total_prepends(gateway: Gateway) -> int:
    """The AS-prepend lengths that apply to every prefix, both directions together (how the audit picks the primary)."""
    return sum(redundancy.prepend_lengths(gateway).values())


def less_preferred(prepends: Optional[list[AsPrepend]], length: int) -> list[AsPrepend]:
    """AS prepends ``length`` longer than ``prepends`` everywhere: each lengthened, and one of ``length`` for each policy
    with no prepend for every prefix."""
    items = [cast(AsPrepend, dict(item, length=item['length'] + length)) for item in prepends or []]
    covered = {item['policy'] for item in prepends or [] if not item.get('specific_prefixes')}
    return items + [AsPrepend(length=length, policy=policy) for policy in POLICIES if policy not in covered]


def select(plan: Plan, live: list[Gateway]) -> tuple[list[Gateway], list[str]]:
    """The primaries to protect (by name): those named by standby_limit, else every gateway at a location of
    standby_location_map that is not itself a standby; and the problems of the selection."""
    by_name = {gateway['name']: gateway for gateway in live}
    standbys = {plan.new_name(name): name for name in by_name}
    problems = []
    if plan.limit:
        for name in plan.limit:
            gateway = by_name.get(name)
            if gateway is None:
                problems.append(f'plan: standby_limit names {name}, which is not a gateway of the account')
            elif name in standbys:
                problems.append(f'plan: standby_limit names {name}, the standby of {standbys[name]}')
            elif gateway['location_name'] not in plan.location_map:
                problems.append(f"plan: standby_limit names {name}, at {gateway['location_name']}, which standby_location_map "
                                'does not map to a standby location')
        chosen = [by_name[name] for name in plan.limit if name in by_name]
    else:
        chosen = [gateway for gateway in live if gateway['location_name'] in plan.location_map and gateway['name'] not in standbys]
        if not chosen:
            problems.append(f"plan: no gateway of the account is at {', '.join(sorted(map(str, plan.location_map)))} "
                            '(the locations of standby_location_map)')
    return chosen, problems


def pairs(plan: Plan, live: list[Gateway], catalog: Any) -> tuple[list[Pair], list[str]]:
    """Every selected primary with its standby's desired state and the live standby; every problem found."""
    chosen, problems = select(plan, live)
    problems += recovery.location_map_problems(plan, {gateway['name']: {'gateway': gateway} for gateway in chosen}, catalog)
    by_name = {gateway['name']: gateway for gateway in live}
    found = []
    for primary in chosen:
        pair = Pair(primary, plan.prepend_length)
        recovery.remap(pair, plan, catalog)
        pair.standby = by_name.get(pair.name)
        pair.desired['as_prepends'] = pair.standby_prepends()
        recovery.check(pair, catalog, by_name, {}, prefix='standby')
        pair.drift = drift(pair)
        problems += pair.problems
        found.append(pair)
    return found, problems


def drift(pair: Pair) -> list[str]:
    """What differs between the standby and its primary's configuration remapped (recovery.drift, the AS prepends
    told apart), and virtual connections that the standby has and the primary has not (never deleted)."""
    standby = pair.standby
    if standby is None:
        return [f"{pair.where()}: gateway {pair.name} is missing"]
    compared = copy.copy(pair)
    compared.desired = cast(Gateway, {key: value for key, value in pair.desired.items() if key != 'as_prepends'})
    found = list(recovery.drift(compared, standby, source='primary')[0])
    wanted = pair.desired['as_prepends']
    if not same_prepends(wanted, standby.get('as_prepends')):
        found.append(f"{pair.where()}: as_prepends are {standby.get('as_prepends') or []}, the standby needs {wanted} (the "
                     "primary's lengthened) to be the less preferred path")
    primary_vcs = {vc['name'] for vc in pair.primary.get('virtual_connections') or []}
    found += [f"{pair.where()}: virtual connection {vc['name']} is on the standby, not on the primary (delete it by hand if "
              'it is not wanted)' for vc in standby.get('virtual_connections') or [] if vc['name'] not in primary_vcs]
    return found


def blocking(found: list[Pair], action: str) -> list[str]:
    """Why a promotion or demotion cannot be made: a standby missing, or one that cannot carry the traffic."""
    if action in ('sync', 'check'):
        return []
    problems = []
    for pair in found:
        status = ((pair.standby or {}).get('read_only') or {}).get('operational_status')
        if pair.standby is None:
            problems.append(f'{pair.where()}: gateway {pair.name} does not exist; create it first (standby_action: sync)')
        elif action == 'promote' and status != 'provisioned':
            problems.append(f'{pair.where()}: gateway {pair.name} is {status}; it carries no traffic until it is provisioned, '
                            'so it is not promoted')
    return problems


def items(found: list[Pair], action: str) -> list[Gateway]:
    """The ``gateways`` module's items: every standby's desired state (sync), or the two gateways' AS prepends swapped
    for each pair not already as the action leaves it (promote: the primary's lengthened go to the primary, the primary's
    to the standby; demote: the standby's go back to the primary, lengthened to the standby); none to check."""
    if action == 'check':
        return []
    if action == 'sync':
        return [pair.desired for pair in found]
    swapped: list[Gateway] = []
    for pair in found:
        if pair.standby is None or pair.promoted() == (action == 'promote'):
            continue
        primary, current = pair.primary.get('as_prepends') or [], pair.standby.get('as_prepends') or []
        if action == 'promote':
            primary, current = less_preferred(primary, pair.length), primary
        else:
            primary, current = current, less_preferred(current, pair.length)
        swapped += [Gateway(name=pair.primary['name'], as_prepends=primary), Gateway(name=pair.name, as_prepends=current)]
    return swapped


def entry(pair: Pair) -> dict:
    """A pair as the plan module returns it to the report (the standby's desired state, for the manual steps)."""
    standby = pair.standby or {}
    return {
        'primary': pair.primary['name'],
        'primary_id': pair.primary.get('id'),
        'standby': pair.name,
        'standby_id': standby.get('id'),
        'type': pair.primary['type'],
        'from': pair.notes['old_location'],
        'to': pair.notes['new_location'],
        'preferred': pair.preferred(),
        'drift': pair.drift,
        'global_for': pair.notes.get('global_for') or [],
        'desired': pair.desired,
        'notes': {key: value for key, value in pair.notes.items() if key in ('new_location', 'provider', 'port_label')},
        'standby_state': {'gateway': standby, 'virtual_connections': [
            dict(vc['read_only'], name=vc['name'], network_id=vc.get('network_id')) for vc in standby.get('virtual_connections') or []]}
        if pair.standby is not None else None,
    }


def done_actions(name: str, result: dict) -> list[str]:
    """What the ``gateways`` module did to one gateway, each prefixed with its name; virtual connections that wait
    for the gateway to be provisioned (a dedicated standby at the LOA stage) are not done."""
    waiting = {f"create virtual connection {vc['name']}" for vc in result.get('virtual_connections') or []
               if vc.get('action') == 'pending_gateway'}
    return [f'{name}: {action}' for action in result.get('actions') or [] if action not in waiting]


# ---------------------------------------------------------------------------------------------------- the report
def outcome(pair: dict, results: dict, action: str, account_id: str) -> dict:
    """One pair of the report: what the run did to its two gateways (``results``: the ``gateways`` module's items by
    name), which gateway is preferred after it, and the standby's manual steps, as the recovery report gives them (the
    provider's order or the cross-connect, the BGP session on the addresses IBM assigned, approvals): a checklist that
    stays in the report until the standby is gone."""
    done = {role: results.get(pair[role]) or {} for role in PREFERRED}
    actions = [line for role in PREFERRED for line in done_actions(pair[role], done[role])]
    failed = '; '.join(f"{pair[role]}: {done[role].get('msg')}" for role in PREFERRED if done[role].get('failed'))
    preferred = pair['preferred']
    if action in ('promote', 'demote') and actions:
        preferred = 'standby' if action == 'promote' else 'primary'
    elif preferred is None and 'create' in (done['standby'].get('actions') or []):
        preferred = 'primary'
    state = done['standby'] if done['standby'].get('gateway') else pair['standby_state']
    steps = [step.text for step in manual_steps.steps(pair['desired'], dict(pair['notes'], original_bgp_cer_cidr=None),
                                                      state, account_id)]
    gateway = done['standby'].get('gateway') or {}
    return {
        'primary': pair['primary'], 'standby': pair['standby'], 'type': pair['type'], 'from': pair['from'], 'to': pair['to'],
        'primary_id': pair['primary_id'], 'standby_id': gateway.get('id') or pair['standby_id'], 'preferred': preferred,
        'drift': pair['drift'], 'actions': actions, 'failed': failed or None, 'global_for': pair['global_for'], 'steps': steps,
    }


def document(found: list[dict], action: str, check_mode: bool) -> dict:
    """The report document (kind ``standby``); a check is ``drift`` when any pair differs (a standby missing too)."""
    if any(item['failed'] for item in found):
        status = 'failed'
    elif action == 'check':
        status = 'drift' if any(item['drift'] for item in found) else 'in_sync'
    elif any(item['actions'] for item in found):
        status = 'planned' if check_mode else 'changed'
    else:
        status = 'in_sync'
    return {'schema_version': report_files.SCHEMA_VERSION, 'kind': 'standby', 'action': action, 'check_mode': check_mode,
            'status': status, 'pairs': found}


def markdown(report: dict) -> str:
    """The report document as Markdown."""
    verb = {'planned': 'would change (check mode)', 'changed': 'changed', 'in_sync': 'in sync, nothing changed',
            'failed': 'FAILED for some pairs', 'drift': 'drift found, nothing changed (run the standby playbook to correct it)'}[report['status']]
    out = ['# Direct Link warm standby report', '', f"Action `{report['action']}`: {verb}.", '',
           '| primary | standby | from | to | preferred | drift found | actions |', '|---|---|---|---|---|---|---|']
    for pair in report['pairs']:
        out.append(f"| {pair['primary']} | {pair['standby']} | {pair['from']} | {pair['to']} | {pair['preferred']} | "
                   f"{len(pair['drift'])} | {', '.join(pair['actions']) or 'none'} |")
    for pair in report['pairs']:
        lines = [f'- Drift: {line}' for line in pair['drift']]
        lines += [f"- FAILED: {pair['failed']}"] if pair['failed'] else []
        lines += [f"- Global routing: the standby reaches {', '.join(pair['global_for'])} in another region."] if pair['global_for'] else []
        lines += [f'- [ ] {step}' for step in pair['steps']]
        if lines:
            out += ['', f"## {pair['standby']} (standby of {pair['primary']})", ''] + lines
    return '\n'.join(out) + '\n'


def table(report: dict) -> list[str]:
    """The lines the role prints: one per pair."""
    return [f"{pair['primary']} -> {pair['standby']} ({pair['to']}): preferred {pair['preferred']}, {len(pair['drift'])} drift, "
            f"{', '.join(pair['actions']) or 'no change'}" + (f" - FAILED: {pair['failed']}" if pair['failed'] else '')
            for pair in report['pairs']]


def summary(report: dict, path: str) -> dict:
    """What the standby role publishes with set_stats (``cloud_dr_standby``)."""
    pairs_ = report['pairs']
    return {
        'status': report['status'],
        'action': report['action'],
        'pairs': {pair['primary']: pair['standby'] for pair in pairs_},
        'preferred': {pair['primary']: pair['preferred'] for pair in pairs_},
        'drift': [line for pair in pairs_ for line in pair['drift']],
        'changed': [pair['standby'] for pair in pairs_ if pair['actions']],
        'failed': [pair['standby'] for pair in pairs_ if pair['failed']],
        'manual_steps': [f"{pair['standby']}: {step}" for pair in pairs_ for step in pair['steps']],
        'report': path,
        'report_json': report_files.json_path(path) if path else '',
    }
