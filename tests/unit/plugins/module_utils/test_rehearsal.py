"""The rehearsal's verdict, manual steps and time-to-recover estimate."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import rehearsal

ACCOUNT = '4111d05f36894e3cb9b46a43556d9000'
OTHER = '7e2f9c3d1a8b4c5d9e0f1a2b3c4d5e6f'


def vpc(account):
    return {'name': 'vc', 'type': 'vpc', 'network_id': f'crn:v1:bluemix:public:is:us-south:a/{account}::vpc:r006-1'}


def keys(found):
    return [key for key, _text in found]


def test_a_connect_gateway_waits_for_its_provider_and_new_bgp_peers():
    gateway = {'type': 'connect', 'virtual_connections': [vpc(ACCOUNT)]}
    assert keys(rehearsal.steps(gateway, bgp_kept=True, account_id=ACCOUNT)) == ['provider_order']
    assert keys(rehearsal.steps(gateway, bgp_kept=False, account_id=ACCOUNT)) == ['provider_order', 'bgp_repeering']


def test_a_dedicated_gateway_with_a_vpc_of_another_account_and_a_transit_connection():
    gateway = {'type': 'dedicated', 'virtual_connections': [vpc(OTHER), {'name': 't', 'type': 'transit'}]}
    assert keys(rehearsal.steps(gateway, bgp_kept=True, account_id=ACCOUNT)) == [
        'loa', 'cross_connect', 'ibm_patching', 'link_up', 'transit_connection', 'cross_account_approval']


def test_the_estimate_adds_the_steps_to_the_automated_part():
    found = rehearsal.steps({'type': 'connect'}, bgp_kept=False, account_id=ACCOUNT)
    lead_times = dict(rehearsal.LEAD_TIMES, provider_order=[1, 2], bgp_repeering=[0.5, 1])
    assert rehearsal.estimate(found, 0.25, lead_times) == [1.75, 3.25]


def test_verdicts():
    problems = ["gateway 'a' (host a): port P is at wdc04, not at dal12", "gateway 'b' (host b): speed"]
    assert rehearsal.verdict('a', 'a-dr', problems, None, recovered=False) == ('blocked', [problems[0]])
    assert rehearsal.verdict('c', 'c-dr', problems, None, recovered=False) == ('not run', [])
    assert rehearsal.verdict('c', 'c-dr', [], None, recovered=True)[0] == 'blocked'
    assert rehearsal.verdict('c', 'c-dr', [], {'operational_status': 'failed'}, recovered=True) == (
        'blocked', ['c-dr ended failed'])
    assert rehearsal.verdict('c', 'c-dr', [], {'operational_status': 'provisioned'}, recovered=True) == ('recoverable', [])
