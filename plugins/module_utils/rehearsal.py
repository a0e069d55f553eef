# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verdict of a DR rehearsal per gateway, with its manual steps and an estimated time to recover.

Lead times are ranges in hours, from IBM's documentation where it gives one (dedicated: LOA within 24 h, IBM
patching in 1-4 business days, link status lagging up to 30 min; cross-account requests expire after 72 h) and
conservative assumptions where it does not (provider orders, cross-connects, BGP changes). Every one can be
overridden with the ``lead_times`` option (rehearse_lead_times), so the estimate is the user's own RTO.
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.normalize import accounts_text, crn_account, crn_accounts
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.recovery_report import decisions

LEAD_TIMES = {
    'provider_order': [4, 72],          # connect: the provider's virtual circuit referencing the new gateway (assumed)
    'loa': [1, 24],                     # dedicated: IBM uploads the LOA within 24 h
    'cross_connect': [24, 120],         # dedicated: the customer's carrier orders the cross-connect (assumed 1-5 days)
    'ibm_patching': [24, 96],           # dedicated: IBM patches the fiber in 1-4 business days
    'link_up': [0, 0.5],                # dedicated: link status can lag 30 min
    'cross_account_approval': [1, 72],  # VPC in another account: approval there; requests expire after 72 h
    'transit_connection': [0.25, 1],    # Transit Gateway: recreate its Direct Link connection
    'bgp_repeering': [0.5, 4],          # on-premises peers move to the new BGP addresses (assumed)
}


def steps(gateway, bgp_kept, account_id):
    """The manual steps after the automated part, as (lead-time key, text) pairs."""
    found = []
    if gateway['type'] == 'connect':
        found.append(('provider_order', 'order the virtual circuit from the port provider, referencing the new gateway'))
    else:
        found += [('loa', 'accept the LOA IBM uploads'), ('cross_connect', 'order the cross-connect with the LOA'),
                  ('ibm_patching', 'upload the completion notice; IBM patches the fiber'),
                  ('link_up', 'wait for link status up')]
    vcs = gateway.get('virtual_connections') or []
    if any(vc.get('type') == 'transit' for vc in vcs) or gateway.get('connection_mode') == 'transit':
        found.append(('transit_connection', 'recreate the Transit Gateway connection to the new gateway'))
    if any(crn_account(vc.get('network_id') or '') not in ('', account_id) for vc in vcs if vc.get('type') == 'vpc'):
        found.append(('cross_account_approval', 'approve the VPC connection in the network owner\'s account'))
    if not bgp_kept:
        found.append(('bgp_repeering', 'move the on-premises BGP peers to the new addresses'))
    return found


def plan_decisions(notes):
    """What the pre-flight decided not to recreate (``notes`` of one planned gateway), as steps without a lead time."""
    return [(None, line) for line in decisions(notes or {})]


def account_id(manifest, sections):
    """The account a backup was made from: the manifest's ``source.account_id``, else the one every gateway's CRN
    names (backups imported from a CLI export before the import recorded it). Returns (account, problem)."""
    recorded = (manifest.get('source') or {}).get('account_id') if isinstance(manifest.get('source'), dict) else None
    if recorded:
        return str(recorded), None
    accounts = crn_accounts((host, (section.get('source') or {}).get('crn')) for host, section in sections.items())
    if len(accounts) == 1:
        return next(iter(accounts)), None
    if not accounts:
        return None, 'source.account_id is missing and no gateway CRN names the account'
    return None, f'source.account_id is missing and the gateway CRNs name different accounts ({accounts_text(accounts)})'


def estimate(gateway_steps, automation_hours, lead_times):
    """[min, max] hours: the automated part, then the manual steps one after another (steps without a lead-time
    key, the plan's decisions, take no time)."""
    low = high = automation_hours
    for key, _text in gateway_steps:
        if key is not None:
            low += lead_times[key][0]
            high += lead_times[key][1]
    return [round(low, 2), round(high, 2)]


def verdict(host, replacement, preflight_problems, live, recovered):
    """('recoverable' | 'blocked' | 'not run', [reasons]) for one planned gateway."""
    reasons = [problem for problem in preflight_problems if f'(host {host})' in problem]
    if reasons:
        return 'blocked', reasons
    if not recovered:
        return 'not run', []
    if live is None:
        return 'blocked', [f'the recovery did not create {replacement} (see the recovery output)']
    if live.get('operational_status') in ('failed', 'create_rejected'):
        return 'blocked', [f"{replacement} ended {live['operational_status']}"]
    return 'recoverable', []
