"""One rule set for the manual steps: the recovery report's texts and the rehearsal's lead-time keys."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import manual_steps

ACCOUNT = '4111d05f36894e3cb9b46a43556d9000'
OTHER = '7e2f9c3d1a8b4c5d9e0f1a2b3c4d5e6f'
NOTES = {'new_location': 'dal12', 'original_bgp_cer_cidr': '169.254.0.2/30', 'provider': 'equinix', 'port_label': 'EQ-PRI'}


def vpc(account, name='vc'):
    return {'name': name, 'type': 'vpc', 'network_id': f'crn:v1:bluemix:public:is:us-south:a/{account}::vpc:r006-1'}


def connect(**fields):
    return dict({'name': 'gw-dr', 'type': 'connect', 'bgp_asn': 64999, 'port': 'p1', 'virtual_connections': []}, **fields)


def dedicated(**fields):
    return dict({'name': 'gw-dr', 'type': 'dedicated', 'bgp_asn': 64999, 'carrier_name': 'Carrier', 'cross_connect_router':
                 'xcr01.dal12', 'virtual_connections': []}, **fields)


def keys(found):
    return [step.key for step in found]


def test_a_connect_gateway_waits_for_its_provider_and_for_new_bgp_peers_only_when_the_addresses_change():
    kept = connect(bgp_cer_cidr='169.254.0.2/30', bgp_ibm_cidr='169.254.0.1/30')
    assert keys(manual_steps.steps(kept, NOTES)) == ['provider_order', None]
    assert keys(manual_steps.steps(connect(), NOTES)) == ['provider_order', 'bgp_repeering']
    moved = connect(bgp_cer_cidr='169.254.9.2/30', bgp_ibm_cidr='169.254.9.1/30')
    found = manual_steps.steps(moved, NOTES)
    assert keys(found) == ['provider_order', 'bgp_repeering']
    assert found[0].text.startswith('Provider order: order the virtual circuit from equinix on port EQ-PRI at dal12')
    assert found[1].text == ('BGP (NEW addresses): on the on-premises router use local address 169.254.9.2/30 and neighbor '
                             '169.254.9.1 remote-as 13884 (your ASN 64999).')


def test_a_dedicated_gateway_needs_the_cross_connect_until_it_is_provisioned():
    planned = dedicated()
    assert keys(manual_steps.steps(planned, NOTES))[:4] == ['loa', 'cross_connect', 'ibm_patching', 'link_up']
    awaiting = {'gateway': {'id': 'n1', 'read_only': {'id': 'n1', 'operational_status': 'awaiting_loa'}}}
    found = manual_steps.steps(planned, NOTES, awaiting)
    assert found[0].text.startswith('LOA: IBM uploads the letter of authorization for gateway gw-dr (n1)')
    assert 'give the LOA to Carrier to order the cross-connect to router xcr01.dal12 at dal12' in found[1].text
    provisioned = {'gateway': {'id': 'n1', 'read_only': {'operational_status': 'provisioned'}}}
    assert 'loa' not in keys(manual_steps.steps(planned, NOTES, provisioned))


def test_approvals_are_predicted_from_the_network_account_without_a_result_and_read_from_the_result_with_one():
    transit = {'name': 't', 'type': 'transit', 'network_id': 'crn:tgw'}
    planned = dedicated(virtual_connections=[vpc(OTHER, 'partner'), vpc(ACCOUNT, 'own'), transit])
    predicted = manual_steps.steps(planned, NOTES, account_id=ACCOUNT)
    assert [step.key for step in predicted if step.key in ('transit_connection', 'cross_account_approval')] == [
        'transit_connection', 'cross_account_approval']
    assert any('must approve virtual connection partner' in step.text for step in predicted)
    # After the recovery, the connection's own status says whether the other account must still act.
    approved = {'virtual_connections': [{'name': 'partner', 'action': 'created', 'status': 'attached'}]}
    assert 'cross_account_approval' not in keys(manual_steps.steps(planned, NOTES, approved, ACCOUNT))
    pending = {'virtual_connections': [{'name': 'partner', 'action': 'created', 'status': 'approval_pending',
                                        'network_id': 'crn:x'}]}
    assert 'cross_account_approval' in keys(manual_steps.steps(planned, NOTES, pending, ACCOUNT))


def test_key_references_accepted_gaps_and_re_runs_are_steps_without_lead_time():
    planned = connect(authentication_key='crn:key:md5', macsec={'caks': [{'key': 'crn:key:cak'}]})
    notes = dict(NOTES, without=[{'field': 'route_filters', 'reason': 'not in the export'}])
    result = {'virtual_connections': [{'name': 'later', 'action': 'pending_gateway'}]}
    found = manual_steps.steps(planned, notes, result)
    texts = [step.text for step in found if step.key is None]
    assert texts == ['BGP MD5: key crn:key:md5 must exist in a key store reachable from dal12.',
                     'MACsec: the CAK keys crn:key:cak must exist in a key store reachable from dal12.',
                     manual_steps.WITHOUT_STEPS['route_filters'],
                     'Re-run the recovery once the gateway is provisioned to create later.']


def test_every_lead_time_key_a_rule_can_give_is_known():
    planned = dedicated(virtual_connections=[vpc(OTHER), {'name': 't', 'type': 'transit'}])
    given = set(keys(manual_steps.steps(planned, NOTES, account_id=ACCOUNT)) + keys(manual_steps.steps(connect(), NOTES)))
    assert given - {None} == set(manual_steps.LEAD_TIMES)
