# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creating without duplicates and waiting for lifecycles: the parts of the state modules that talk to the API.

A create whose response is lost (connection dropped, timeout, 5xx after the service committed) is never sent
again blindly: the resource is looked up by name first, and adopted when it exists.
"""

import time
from typing import cast

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.statuses import GATEWAY_FAILED, LOA_STAGE, VC_FAILED, VC_SETTLED, VC_SETTLING
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.waiters import wait_until

LOOKUP_AFTER_LOST_RESPONSE = 30.0


def response_may_be_lost(error):
    """Whether a failed create may nevertheless have been committed by the service."""
    return error.status_code is None or error.status_code >= 500


def find_own_gateway(connection, name):
    """The account's own gateway with this name, or None."""
    return next((g for g in api.list_gateways(connection) if g['name'] == name and not g.get('cross_account')), None)


def find_vc(connection, gateway_id, name):
    """The virtual connection of a gateway with this name, or None."""
    return next((vc for vc in api.list_virtual_connections(connection, gateway_id) if vc['name'] == name), None)


def create_once(create, lookup, what, policy, clock=time.monotonic):
    """Run ``create()`` so that it takes effect exactly once, even when responses are lost.

    After a failure that the service may nevertheless have committed (no response, 5xx), ``lookup()`` decides: the
    resource is adopted when it exists, and the create is sent again (with ``policy``'s backoff, at most
    ``policy.retries`` times) when it does not. Names are unique (gateways per account, virtual connections per
    gateway), so a create sent again can never duplicate: when an earlier attempt did commit after all, the service
    answers 409 and the resource is looked up until it appears.
    """
    maybe_committed = None
    for attempt in range(policy.retries + 1):
        try:
            return create()
        except DirectLinkError as error:
            if error.status_code == 409 and maybe_committed is not None:
                return _adopt(lookup, what, maybe_committed, clock, policy.sleep)
            if not response_may_be_lost(error):
                raise
            maybe_committed = error
        found = lookup()
        if found is not None:
            return found
        if attempt < policy.retries:
            policy.sleep(policy.backoff(attempt))
    last = cast(DirectLinkError, maybe_committed)  # every attempt that reached here failed with a lost response
    raise DirectLinkError(f'{last.message}; {what} was not created after {policy.retries + 1} attempts '
                          '(re-running is safe)', **_details(last))


def _adopt(lookup, what, error, clock, sleep):
    """Poll ``lookup()`` for the resource an earlier, unanswered create committed."""
    deadline = clock() + LOOKUP_AFTER_LOST_RESPONSE
    while True:
        found = lookup()
        if found is not None:
            return found
        if clock() > deadline:
            raise DirectLinkError(f'{error.message}; {what} exists by name but could not be read back (re-running is safe)',
                                  **_details(error))
        sleep(1.0)


def _details(error):
    return {key: value for key, value in error.details().items() if key != 'operation'}


def gateway_done(gateway):
    """Whether a gateway has reached what ``wait`` waits for: provisioned (connect) or the LOA stage (dedicated)."""
    status = gateway['operational_status']
    return status == 'provisioned' or (gateway['type'] == 'dedicated' and status in LOA_STAGE)


def gateway_failure(gateway):
    """The failure message of a rejected or failed gateway, else None."""
    if gateway['operational_status'] not in GATEWAY_FAILED:
        return None
    reasons = '; '.join(f"{r.get('code')}: {r.get('message')}" for r in gateway.get('operational_status_reasons') or [])
    return f"Gateway '{gateway['name']}' is {gateway['operational_status']}: {reasons or 'no reason given'}"


def wait_for_gateway(connection, gateway, timeout, done=gateway_done):
    """Poll a gateway until ``done``; fail fast when it is rejected, failed or gone."""
    def fetch():
        current = api.get_gateway(connection, gateway['id'])
        if current is None:
            raise DirectLinkError(f"Gateway '{gateway['name']}' ({gateway['id']}) disappeared while waiting for it")
        return current
    return wait_until(fetch, done, timeout, f"gateway '{gateway['name']}'", failed=gateway_failure,
                      describe=lambda g: f"operational_status {g['operational_status']}", observe=connection.progress.seen)


def wait_for_gateway_gone(connection, gateway, timeout):
    """Poll until a deleted gateway no longer exists."""
    def observe(current):
        connection.progress.gateway(gateway['name'], status=current['operational_status'] if current else 'deleted')
    wait_until(lambda: api.get_gateway(connection, gateway['id']), lambda g: g is None, timeout,
               f"gateway '{gateway['name']}' to be deleted", describe=lambda g: f"operational_status {g['operational_status']}",
               observe=observe)


def wait_for_vcs(connection, gateway, names, timeout, gone=()):
    """Poll a gateway's VCs until ``names`` are attached or awaiting approval and ``gone`` no longer exist."""
    names, gone = set(names), set(gone)

    def done(vcs):
        by_name = {vc['name']: vc for vc in vcs}
        return all(by_name.get(n, {}).get('status') in VC_SETTLED for n in names) and not gone & set(by_name)

    def failed(vcs):
        bad = [f"{vc['name']} is {vc['status']}" for vc in vcs if vc['name'] in names and vc['status'] in VC_FAILED]
        return f"Virtual connection(s) failed: {', '.join(bad)}" if bad else None

    def describe(vcs):
        return ', '.join(f"{vc['name']}: {vc['status']}" for vc in vcs if vc['name'] in names | gone) or 'none'

    return wait_until(lambda: api.list_virtual_connections(connection, gateway['id']), done, timeout,
                      'virtual connections', failed=failed, describe=describe,
                      observe=lambda vcs: connection.progress.listed(gateway['name'], names, vcs, gone))


def wait_for_vcs_settled(connection, gateway, ids, timeout):
    """Poll a gateway's VCs until none of ``ids`` is still being set up (pending, attaching); return the VCs."""
    ids = set(ids)

    def settling(vcs):
        return [vc for vc in vcs if vc['id'] in ids and vc['status'] in VC_SETTLING]

    return wait_until(lambda: api.list_virtual_connections(connection, gateway['id']), lambda vcs: not settling(vcs), timeout,
                      'virtual connections to settle', describe=lambda vcs: ', '.join(f"{vc['name']}: {vc['status']}" for vc in settling(vcs)),
                      observe=lambda vcs: connection.progress.listed(gateway['name'], [vc['name'] for vc in vcs if vc['id'] in ids], vcs))
