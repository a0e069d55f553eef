# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verdict of a DR rehearsal per gateway and its estimated time to recover (the steps: manual_steps.py)."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import problems
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.normalize import accounts_text, crn_accounts


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
    """('recoverable' | 'blocked' | 'not run', [reasons]) for one planned gateway; ``preflight_problems`` are
    problems.Problem records, the gateway's own picked by host."""
    reasons = problems.for_host(preflight_problems, host)
    if reasons:
        return 'blocked', reasons
    if not recovered:
        return 'not run', []
    if live is None:
        return 'blocked', [f'the recovery did not create {replacement} (see the recovery output)']
    if live.get('operational_status') in ('failed', 'create_rejected'):
        return 'blocked', [f"{replacement} ended {live['operational_status']}"]
    return 'recoverable', []
