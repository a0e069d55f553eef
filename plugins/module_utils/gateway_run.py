# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One gateway brought to its desired state: find it, check the options, then create, update or delete it.

Shared by the ``gateway`` module (one gateway per invocation) and the ``gateways`` module (many gateways in one
invocation, each on its own worker thread).
"""

from typing import cast

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api, gateway_fields, normalize, transit_state, vc_state
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog, catalog_problems
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_state import (
    create_template,
    difference,
    immutable_message,
    missing_for_create,
    predicted,
    validate,
)
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.lifecycle import (
    create_once,
    find_own_gateway,
    gateway_done,
    wait_for_gateway,
    wait_for_gateway_gone,
    wait_for_vcs_settled,
)
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.shapes import Gateway

NOT_PATCHABLE = ('create_pending', 'configuring', 'delete_pending')


def _without_read_only(gateway):
    return {key: value for key, value in (gateway or {}).items()
            if key != 'read_only' and key not in gateway_fields.CHILD_FIELDS}


class GatewayRun:
    """One gateway's run: find it, then create, update or delete it.

    ``params`` holds the ``gateway`` module's options; ``catalog`` may be shared by the runs of one invocation, and so
    may ``poller`` (a ``GatewayListPoller``: the runs then await their gateways with shared list requests) and
    ``transit_gateways`` (a ``transit_state.TransitGateways``, needed when the options have ``transit_connections``)
    and ``approver`` (an ``approvals.Approver``: the keys of the network accounts that may approve requests).
    """

    def __init__(self, connection, params, check_mode, catalog=None, poller=None, transit_gateways=None, approver=None):
        self.params = params
        self.connection = connection
        self.check_mode = check_mode
        self.catalog = catalog or Catalog(connection)
        self.poller = poller
        self.transit_gateways = transit_gateways
        self.approver = approver
        self.desired = cast(Gateway, {key: params.get(key) for key in gateway_fields.argument_spec()})
        self.actions = []

    def find(self):
        """The live API gateway the options identify (by id, else by name), or None."""
        if self.params['id']:
            found = api.get_gateway(self.connection, self.params['id'])
            return None if found is None or found.get('cross_account') else found
        return find_own_gateway(self.connection, self.params['name'])

    def current_shape(self, api_gateway):
        """The live gateway option-shaped, with the sub-resources the desired state mentions (and their ETags)."""
        etags = {}
        lists = {}
        for kind in ('export', 'import'):
            if self.desired.get(f'{kind}_route_filters') is not None:
                lists[f'{kind}_filters'], etags[f'{kind}_route_filters'] = api.list_route_filters(
                    self.connection, api_gateway['id'], kind)
        macsec_config = api.get_macsec(self.connection, api_gateway['id']) if self.desired.get('macsec') else None
        caks = api.list_macsec_caks(self.connection, api_gateway['id']) if macsec_config else None
        shape = normalize.gateway(api_gateway, macsec_config=macsec_config, macsec_caks=caks, **lists)
        return shape, etags

    # ------------------------------------------------------------------------------------------ present
    def problems(self, api_gateway):
        """Everything wrong with the options, checked before any change, each problem naming the field."""
        if api_gateway is None and self.params.get('id'):
            return [f"no gateway with id {self.params['id']} in this account"]
        gateway_type = self.desired.get('type') or (api_gateway or {}).get('type')
        problems = validate(self.desired, gateway_type)
        if api_gateway is None:
            problems += [f'{field} is required to create a gateway' for field in missing_for_create(self.desired)]
            if not problems:
                problems += catalog_problems(self.catalog, self.desired)
            if not problems and self.desired.get('virtual_connections'):
                problems += vc_state.plan(self.desired, self.desired['virtual_connections'], []).problems
        if not problems and self.desired.get('transit_connections'):
            placed = {key: value for key, value in (api_gateway or {}).items() if key in ('location_name', 'connection_mode')}
            placed.update({key: value for key, value in self.desired.items() if value is not None})
            problems += transit_state.problems(self.transit_gateways, placed, (api_gateway or {}).get('crn'))
        return problems

    def label(self, api_gateway):
        """How messages name the gateway."""
        return self.desired.get('name') or (api_gateway or {}).get('name') or self.params.get('id')

    def announce(self, api_gateway):
        """Record in the run's progress the gateway (as found, None when it does not exist) and the virtual
        connections it is to have, before anything is waited for."""
        progress = self.connection.progress
        if api_gateway is None:
            progress.gateway(self.desired['name'], self.desired.get('type'))
        else:
            progress.seen(api_gateway)
        desired_vcs = self.desired.get('virtual_connections')
        if desired_vcs:
            gateway = api_gateway or self.desired
            progress.vcs(gateway['name'], {vc['name']: None for vc in vc_state.plan(gateway, desired_vcs, []).create})

    def present(self, api_gateway=None, checked=False):
        """Create or update; then wait and reconcile virtual connections.

        ``checked`` means the caller already found the gateway (``api_gateway``, None when it does not exist),
        checked ``problems`` and announced it.
        """
        if not checked:
            api_gateway = self.find()
            problems = self.problems(api_gateway)
            if problems:
                raise DirectLinkError(f"Gateway '{self.label(api_gateway)}': " + '; '.join(problems))
            self.announce(api_gateway)
        if api_gateway is None:
            before, api_gateway, changed = {}, self.create(), True
            self.connection.progress.seen(api_gateway)
            current = normalize.gateway(api_gateway)
        else:
            current, etags = self.current_shape(api_gateway)
            before = _without_read_only(current)
            api_gateway, changed = self.update(api_gateway, current, etags)
        if self.params['wait'] and not self.check_mode and api_gateway.get('id'):
            api_gateway = self.await_gateway(api_gateway)
        after = predicted(self.desired, current)
        after['read_only'] = normalize.gateway(api_gateway)['read_only'] if api_gateway.get('id') else {}
        vc_results, vc_changed = self.virtual_connections(api_gateway)
        transit_results, transit_changed = self.transit_connections(api_gateway)
        diff = {'before': before, 'after': _without_read_only(after)}
        if transit_results:
            # The Transit Gateway connections by transit gateway and name: the ones there before, the ones after.
            labels = [f"{item['transit_gateway'].get('name')}/{item['name']}" for item in transit_results]
            diff['before']['transit_connections'] = [label for label, item in zip(labels, transit_results)
                                                     if item['action'] == 'exists']
            diff['after']['transit_connections'] = labels
        return {'changed': changed or vc_changed or transit_changed, 'gateway': after, 'virtual_connections': vc_results,
                'transit_connections': transit_results, 'actions': self.actions, 'diff': diff}

    def await_gateway(self, api_gateway):
        """Wait until the gateway is provisioned (or at the LOA stage), through the shared poller when there is one."""
        if self.poller is not None:
            return self.poller.wait(api_gateway, self.params['wait_timeout'])
        return wait_for_gateway(self.connection, api_gateway, self.params['wait_timeout'])

    def create(self):
        """Create the gateway (predicted in check mode)."""
        self.actions.append('create')
        template = create_template(self.desired)
        if self.check_mode:
            return dict(template, operational_status='create_pending')
        name = self.desired['name']
        return create_once(lambda: api.create_gateway(self.connection, template),
                           lambda: find_own_gateway(self.connection, name), f"gateway '{name}'", self.connection.retry)

    def update(self, api_gateway, current, etags):
        """Apply in-place changes; fail on immutable ones. Returns (latest API gateway, changed)."""
        diff = difference(self.desired, current)
        if diff.immutable:
            raise DirectLinkError(immutable_message(api_gateway['name'], diff.immutable))
        if not diff.changed:
            return api_gateway, False
        self.actions += diff.actions()
        if self.check_mode:
            return api_gateway, True
        if api_gateway['operational_status'] in NOT_PATCHABLE:
            if not self.params['wait']:
                raise DirectLinkError(f"Gateway '{api_gateway['name']}' is {api_gateway['operational_status']} and cannot "
                                      'be changed until it is provisioned; run with wait: true to wait for it')
            api_gateway = self.await_gateway(api_gateway)
        if diff.patch:
            api_gateway = api.update_gateway(self.connection, api_gateway['id'], diff.patch)
        for field, items in sorted(diff.replace.items()):
            if field == 'as_prepends':
                etag = api.list_as_prepends(self.connection, api_gateway['id'])[1]
                api.replace_as_prepends(self.connection, api_gateway['id'], etag, items)
            else:
                kind = field.split('_', 1)[0]
                api.replace_route_filters(self.connection, api_gateway['id'], kind, etags[field], items)
        return api_gateway, True

    def virtual_connections(self, api_gateway):
        """Reconcile the desired virtual connections, then approve the requests ``approvals`` has keys for; returns
        (results, changed)."""
        desired = self.desired.get('virtual_connections')
        if desired is None:
            return [], False
        current = api.list_virtual_connections(self.connection, api_gateway['id']) if api_gateway.get('id') else []
        vc_plan = vc_state.plan(api_gateway, desired, current, self.params['purge_virtual_connections'])
        if vc_plan.problems:
            raise DirectLinkError(f"Gateway '{api_gateway['name']}': " + '; '.join(vc_plan.problems))
        self.connection.progress.listed(api_gateway['name'], [vc['name'] for vc in vc_plan.create] + [
            vc['name'] for vc in vc_plan.results if vc['action'] == 'exists'], current)
        self.actions += [f"create virtual connection {vc['name']}" for vc in vc_plan.create]
        self.actions += [f"delete virtual connection {vc['name']}" for vc in vc_plan.delete]
        ready = api_gateway.get('operational_status') == 'provisioned'
        if self.check_mode or not ready or not vc_plan.changed:
            reason = None if self.check_mode or ready else (
                f"the gateway is {api_gateway.get('operational_status')}: its virtual connections are created once it is "
                'provisioned (re-run then)')
            results = vc_state.predicted_results(vc_plan, reason)
            changed = vc_plan.changed and self.check_mode
        else:
            results = vc_state.apply(self.connection, api_gateway, vc_plan, self.params['wait'], self.params['wait_timeout'],
                                     self.params['max_concurrency'])
            changed = True
        approved = self.approve_requests(api_gateway, results) if ready else False
        return results, changed or approved

    def approve_requests(self, api_gateway, results):
        """Approve, as their network's account (``approvals``), the pending requests of the virtual connections the
        desired state names; whether any was (would be, in check mode) approved."""
        if self.approver is None:
            return False
        pending = self.approver.pending(results, {vc['name'] for vc in self.desired.get('virtual_connections') or []})
        for item in pending:
            account = normalize.crn_account(item['network_id'])
            self.actions.append(f"approve virtual connection {item['name']} as account {account}")
            if not self.check_mode:
                self.approver.approve(api_gateway['id'], item)
                item['approved_by'] = account
        if pending and not self.check_mode and self.params['wait']:
            settled = {vc['id']: vc for vc in wait_for_vcs_settled(self.connection, api_gateway, [item['id'] for item in pending],
                                                                   self.params['wait_timeout'])}
            for item in pending:
                item['status'] = settled.get(item['id'], item)['status']
        return bool(pending)

    def transit_connections(self, api_gateway):
        """Create the desired Transit Gateway connections that do not exist; returns (results, changed)."""
        if not self.desired.get('transit_connections'):
            return [], False
        run = transit_state.TransitRun(self.transit_gateways, self.check_mode, self.params['wait'],
                                       self.params['wait_timeout'], self.params['max_concurrency'])
        results, changed = run.reconcile(self.desired, api_gateway)
        self.actions += run.actions
        return results, changed

    # ------------------------------------------------------------------------------------------- absent
    def absent(self):
        """Delete the gateway (and with force its virtual connections)."""
        api_gateway = self.find()
        if api_gateway is None:
            return {'changed': False, 'gateway': {}, 'virtual_connections': [], 'actions': [], 'diff': {'before': {}, 'after': {}}}
        self.connection.progress.seen(api_gateway)
        vcs = api.list_virtual_connections(self.connection, api_gateway['id'])
        if vcs and not self.params['force']:
            raise DirectLinkError(f"Gateway '{api_gateway['name']}' has virtual connections "
                                  f"({', '.join(sorted(vc['name'] for vc in vcs))}); delete them first or set force: true")
        before = _without_read_only(normalize.gateway(api_gateway))
        self.actions += [f"delete virtual connection {vc['name']}" for vc in vcs] + ['delete']
        results = [dict(name=vc['name'], type=vc['type'], id=vc['id'], action='deleted') for vc in vcs]
        if not self.check_mode:
            if api_gateway['operational_status'] in ('create_pending', 'configuring'):
                api_gateway = wait_for_gateway(self.connection, api_gateway, self.params['wait_timeout'], done=gateway_done)
            if vcs:
                vc_plan = vc_state.VcPlan()
                vc_plan.delete = vcs
                vc_state.apply(self.connection, api_gateway, vc_plan, True, self.params['wait_timeout'],
                               self.params['max_concurrency'])
            api.delete_gateway(self.connection, api_gateway['id'])
            if self.params['wait']:
                wait_for_gateway_gone(self.connection, api_gateway, self.params['wait_timeout'])
        return {'changed': True, 'gateway': {}, 'virtual_connections': results, 'actions': self.actions,
                'diff': {'before': before, 'after': {}}}
