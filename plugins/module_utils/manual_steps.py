# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The steps a recovered gateway leaves for people: one rule set for the recovery report and the rehearsal.

Direct Link recovery is only partly automatable: dedicated gateways need a new cross-connect (LOA, carrier order,
completion notice, IBM patching), connect gateways need the provider's side of the circuit, cross-account virtual
connections need approval in the network's account, transit connections are made from the Transit Gateway, key
references must resolve in the target region, and new BGP addresses must reach the on-premises router.

``steps()`` gives every step as a ``Step(key, text)``: the recovery report prints the texts (with the values of the
gateway the recovery created), the rehearsal adds up the lead times of the keys into its time-to-recover estimate.
Without a recovery result (a rehearsal's plan) the steps are predicted from the planned gateway alone.

Lead times are ranges in hours, from IBM's documentation where it gives one (dedicated: LOA within 24 h, IBM
patching in 1-4 business days, link status lagging up to 30 min; cross-account requests expire after 72 h) and
conservative assumptions where it does not (provider orders, cross-connects, BGP changes). The rehearsal's
``lead_times`` option (rehearse_lead_times) overrides any of them, so the estimate is the user's own RTO.
"""

from typing import Any, NamedTuple, Optional

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.normalize import crn_account

IBM_ASN = 13884
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


class Step(NamedTuple):
    """One manual step: ``key`` names its lead time in LEAD_TIMES (None: a step that adds no waiting time)."""

    key: Optional[str]
    text: str


def decisions(notes: dict) -> list[str]:
    """What the plan decided not to recreate for one gateway (skipped VCs, accepted gaps, a provider's request)."""
    lines = [f"Not recreated: virtual connection {vc['name']}, {vc['reason']}." for vc in notes.get('skipped_vcs') or []]
    lines += [f"Recovered without {entry['field']}: {entry['reason']}." for entry in notes.get('without') or []]
    if notes.get('macsec_from_plan'):
        lines.append('MACsec settings (CAKs) taken from recover_macsec.')
    if isinstance(notes.get('change_request'), dict):
        lines.append(f"Not carried over: {change_request_text(notes['change_request'])}, pending at backup time; the "
                     'provider must request it again for the new gateway.')
    return lines


def change_request_text(change: dict) -> str:
    """A provider's change request (``{type, updates?}``) in words: its type and the attribute values it asks for."""
    updates = [f'{key} {value}' for update in change.get('updates') or [] if isinstance(update, dict)
               for key, value in sorted(update.items())]
    return f"the provider's {change.get('type')} change request" + (f" ({', '.join(updates)})" if updates else '')


def decision_steps(notes: Optional[dict]) -> list[Step]:
    """The plan's decisions as steps without a lead time (the rehearsal lists them with the manual steps)."""
    return [Step(None, line) for line in decisions(notes or {})]


def steps(desired: dict, notes: Optional[dict], result: Optional[dict] = None, account_id: str = '') -> list[Step]:
    """The manual steps after the automated recovery of one gateway.

    ``desired`` is the planned replacement (the options the recovery creates it with), ``notes`` what the plan noted
    about it (new location, provider, original BGP addresses, accepted gaps), ``result`` what the recovery returned
    for it (None: predict from the plan), ``account_id`` the account the recovery runs in (to predict approvals).
    """
    notes = notes or {}
    gateway = (result or {}).get('gateway') or {}
    vc_results = (result or {}).get('virtual_connections') or []
    found = _circuit_steps(desired, notes, gateway) + _bgp_steps(desired, notes, gateway) + _key_steps(desired, notes)
    found += _network_steps(desired, vc_results if result is not None else None, (account_id, *notes.get('approving_accounts', ())),
                            (result or {}).get('transit_connections'))
    found += [Step(None, WITHOUT_STEPS.get(entry['field'], f"{entry['field']}: recreate it by hand."))
              for entry in notes.get('without') or []]
    waiting = [vc['name'] for vc in vc_results if vc.get('action') == 'pending_gateway']
    if waiting:
        found.append(Step(None, f"Re-run the recovery once the gateway is provisioned to create {', '.join(waiting)}."))
    return found


def _location(desired: dict, notes: dict) -> Any:
    return notes.get('new_location') or desired.get('location_name')


def _circuit_steps(desired: dict, notes: dict, gateway: dict) -> list[Step]:
    """The physical side: the provider's circuit (connect) or the cross-connect (dedicated, until provisioned)."""
    read_only = gateway.get('read_only') or {}
    gateway_ref = read_only.get('id') or gateway.get('id') or '(created by the recovery run)'
    location = _location(desired, notes)
    if desired['type'] == 'connect':
        return [Step('provider_order', f"Provider order: order the virtual circuit from {notes.get('provider', 'the provider')} "
                                       f"on port {notes.get('port_label', desired.get('port'))} at {location} for gateway "
                                       f'{gateway_ref}; providers with API integration may create it from their portal '
                                       'and ask you to accept it.')]
    if read_only.get('operational_status') == 'provisioned':
        return []
    return [Step('loa', f"LOA: IBM uploads the letter of authorization for gateway {desired['name']} ({gateway_ref}) "
                        'within 24 hours; accept it.'),
            Step('cross_connect', f"Cross-connect: give the LOA to {desired.get('carrier_name')} to order the cross-connect "
                                  f"to router {desired.get('cross_connect_router')} at {location} (IBM does not order it)."),
            Step('ibm_patching', 'Completion notice: upload it; IBM then patches the fiber (1-4 business days).'),
            Step('link_up', 'Link status: it can take up to 30 minutes after patching to show up.')]


def _bgp_steps(desired: dict, notes: dict, gateway: dict) -> list[Step]:
    """The on-premises router's side of the BGP session (no waiting time when its addresses are unchanged)."""
    cer = gateway.get('bgp_cer_cidr') or desired.get('bgp_cer_cidr')
    ibm = gateway.get('bgp_ibm_cidr') or desired.get('bgp_ibm_cidr')
    if not (cer and ibm):
        return [Step('bgp_repeering', 'BGP: IBM assigns the peer addresses; read them from the gateway once it is '
                                      'provisioned and configure the on-premises router.')]
    kept = cer == notes.get('original_bgp_cer_cidr')
    ibm_asn = (gateway.get('read_only') or {}).get('bgp_ibm_asn', IBM_ASN)
    return [Step(None if kept else 'bgp_repeering',
                 f"BGP ({'unchanged' if kept else 'NEW'} addresses): on the on-premises router use local address {cer} and "
                 f"neighbor {ibm.split('/')[0]} remote-as {ibm_asn} (your ASN {desired['bgp_asn']}).")]


def _key_steps(desired: dict, notes: dict) -> list[Step]:
    """Key references that must resolve in the new location's key store."""
    location = _location(desired, notes)
    found = []
    if desired.get('authentication_key'):
        found.append(Step(None, f"BGP MD5: key {desired['authentication_key']} must exist in a key store reachable from {location}."))
    if desired.get('macsec'):
        keys = ', '.join(cak['key'] for cak in desired['macsec'].get('caks', []))
        found.append(Step(None, f'MACsec: the CAK keys {keys} must exist in a key store reachable from {location}.'))
    return found


def _network_steps(desired: dict, vc_results: Optional[list], deciding: tuple, transit_results: Optional[list] = None) -> list[Step]:
    """Transit Gateway connections left to make, and approvals of the networks' owners (as the recovery reported them,
    or predicted from the networks' CRNs when there is no recovery result: a request is predicted to wait unless
    ``deciding``, the recovery's account and those the plan's recover_approvals gives keys for, has the network's).

    The Transit Gateway connections a backup recorded are made by the recovery itself: only those it could not make
    yet are steps. Without them in the backup (an older backup, a CLI export) the connection is a step by hand.
    """
    vcs = desired.get('virtual_connections') or []
    if desired.get('transit_connections'):
        found = [Step(None, f"Transit Gateway: re-run the recovery once the gateway is provisioned to create connection "
                            f"{item['name']} on transit gateway {(item.get('transit_gateway') or {}).get('name')}.")
                 for item in transit_results or [] if item.get('action') == 'pending_gateway']
        found += [Step('cross_account_approval', f"Approval: the account owning the network must approve Transit Gateway "
                                                 f"connection {item['name']} on transit gateway "
                                                 f"{(item.get('transit_gateway') or {}).get('name')}.")
                  for item in transit_results or [] if item.get('request_status') == 'pending']
    else:
        found = [Step('transit_connection', f"Transit Gateway: recreate the connection to {vc.get('network_id')} ({vc['name']}) "
                                            'from the transit gateway side.') for vc in vcs if vc.get('type') == 'transit']
        if not found and desired.get('connection_mode') == 'transit':
            found.append(Step('transit_connection', 'Transit Gateway: connect the new gateway from the transit gateway side.'))
    if vc_results is None:
        awaiting = [vc for vc in vcs if vc.get('type') == 'vpc' and crn_account(vc.get('network_id') or '') not in ('', *deciding)]
    else:
        awaiting = [vc for vc in vc_results if vc.get('status') == 'approval_pending']
    found += [Step('cross_account_approval', f"Approval: the account owning {vc.get('network_id')} must approve virtual "
                                             f"connection {vc['name']} (requests expire after 72 hours).") for vc in awaiting]
    return found
