# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Virtual connections of one gateway brought to a desired list: plan, then create/delete concurrently and wait.

Shared by the ``gateway`` module (its ``virtual_connections`` option) and the ``virtual_connection`` module.
Virtual connections are identified by name within their gateway; type and network cannot change.  Transit
connections are made from the Transit Gateway side, so they are reported as skipped (or refused, when asked for
explicitly) rather than sent to an API that would reject them.
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY, map_bounded
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.lifecycle import create_once, find_vc, wait_for_vcs

TRANSIT_REASON = ('transit virtual connections are created from the Transit Gateway (a Direct Link connection of the '
                  'transit gateway), not on the Direct Link gateway')


def _transit_reason(gateway, vc):
    if vc['type'] == 'transit':
        return TRANSIT_REASON
    if gateway.get('connection_mode') == 'transit':
        return f"gateway '{gateway['name']}' is in transit mode: " + TRANSIT_REASON
    return None


class VcPlan:
    """What to do with a gateway's virtual connections."""

    def __init__(self):
        self.create = []
        self.delete = []
        self.results = []
        self.problems = []

    @property
    def changed(self):
        """Whether any virtual connection is created or deleted."""
        return bool(self.create or self.delete)


def plan(gateway, desired, current, purge=False, refuse_transit=False):
    """Compare desired VCs with the gateway's current ones (both option- or API-shaped dicts)."""
    result = VcPlan()
    by_name = {vc['name']: vc for vc in current}
    for vc in desired:
        existing = by_name.get(vc['name'])
        reason = _transit_reason(gateway, vc)
        if existing is not None:
            for field in ('type', 'network_id'):
                if vc.get(field) is not None and vc.get(field) != existing.get(field):
                    result.problems.append(f"virtual connection '{vc['name']}' has {field} {existing.get(field)!r}, desired "
                                           f"{vc.get(field)!r}: it cannot change; delete it and create a new one")
            result.results.append(dict(_describe(existing), action='exists'))
        elif reason and refuse_transit:
            result.problems.append(f"virtual connection '{vc['name']}': {reason}")
        elif reason:
            result.results.append(dict(_describe(vc), action='skipped', reason=reason))
        elif vc['type'] == 'vpc' and not vc.get('network_id'):
            result.problems.append(f"virtual connection '{vc['name']}': network_id (the VPC CRN) is required for type vpc")
        elif vc['type'] == 'classic' and vc.get('network_id'):
            result.problems.append(f"virtual connection '{vc['name']}': network_id is not allowed for type classic")
        else:
            result.create.append(vc)
    if purge:
        wanted = {vc['name'] for vc in desired}
        result.delete = [vc for vc in current if vc['name'] not in wanted and vc.get('status') != 'deleting']
    return result


def _describe(vc):
    described = {key: vc[key] for key in ('name', 'type', 'network_id', 'id', 'status') if vc.get(key) is not None}
    read_only = vc.get('read_only') or {}
    described.update({key: read_only[key] for key in ('id', 'status') if key in read_only and key not in described})
    return described


def apply(connection, gateway, vc_plan, wait, timeout, max_concurrency=DEFAULT_MAX_CONCURRENCY):
    """Create and delete what the plan says (concurrently); wait for the result when asked. Returns results."""
    if vc_plan.problems:
        raise DirectLinkError(f"Gateway '{gateway['name']}': " + '; '.join(vc_plan.problems))

    def create(vc):
        created = create_once(
            lambda: api.create_virtual_connection(connection, gateway['id'], vc['name'], vc['type'], vc.get('network_id')),
            lambda: find_vc(connection, gateway['id'], vc['name']), f"virtual connection '{vc['name']}'", connection.retry)
        connection.progress.vcs(gateway['name'], {vc['name']: created.get('status')})
        return dict(_describe(created), action='created')

    def delete(vc):
        api.delete_virtual_connection(connection, gateway['id'], vc['id'])
        return dict(_describe(vc), action='deleted')

    results = map_bounded(create, vc_plan.create, max_concurrency) + map_bounded(delete, vc_plan.delete, max_concurrency)
    if wait and results:
        settled = {vc['name']: vc for vc in wait_for_vcs(connection, gateway, [vc['name'] for vc in vc_plan.create],
                                                         timeout, gone=[vc['name'] for vc in vc_plan.delete])}
        for item in results:
            if item['action'] == 'created':
                item['status'] = settled[item['name']]['status']
    return vc_plan.results + results


def predicted_results(vc_plan, reason=None):
    """What ``apply`` would report, without calling the API (check mode, or a gateway not ready for VCs)."""
    action = 'pending_gateway' if reason else 'would_create'
    results = [dict(_describe(vc), action=action, **({'reason': reason} if reason else {})) for vc in vc_plan.create]
    results += [dict(_describe(vc), action='would_delete') for vc in vc_plan.delete]
    return vc_plan.results + results
