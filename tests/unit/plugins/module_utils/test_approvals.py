"""Approvals with the other account's consent: the mapping is checked before any change, and only the pending requests
of managed virtual connections to a named account are approved."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import approvals, manual_steps

PARTNER = '7e2f9c3d1a8b4c5d9e0f1a2b3c4d5e6f'
OTHER = '0123456789abcdef0123456789abcdef'


def vpc(account):
    return f'crn:v1:bluemix:public:is:us-south:a/{account}::vpc:r006-1'


def test_a_mapping_to_a_set_variable_is_no_problem():
    assert approvals.problems({PARTNER: 'PARTNER_KEY'}, environ={'PARTNER_KEY': 'secret'}) == []


def test_every_problem_of_the_mapping_is_named_without_any_key():
    found = approvals.problems({'not-an-account': 'X', PARTNER: 'has space', OTHER: 'UNSET'}, 'plan: recover_approvals',
                               environ={'X': 'secret'})
    assert found == [
        f'plan: recover_approvals[{OTHER}]: the environment variable UNSET is not set (it must hold an API key of '
        f'account {OTHER})',
        f'plan: recover_approvals[{PARTNER}] must name an environment variable that holds a key of the account (the '
        'name, never the key itself)',
        "plan: recover_approvals: 'not-an-account' is not an account id (32 hexadecimal characters)",
    ]
    assert not any('secret' in problem for problem in found)
    assert approvals.problems(['PARTNER_KEY']) == [
        'approvals must be a mapping of account id to the name of an environment variable, got list']


def test_only_pending_requests_of_managed_connections_to_named_accounts_are_approved():
    approver = approvals.Approver({}, {PARTNER: 'PARTNER_KEY'}, retry=None, environ={'PARTNER_KEY': 'secret'})
    results = [{'name': 'managed', 'status': 'approval_pending', 'network_id': vpc(PARTNER), 'id': 'v1'},
               {'name': 'unmanaged', 'status': 'approval_pending', 'network_id': vpc(PARTNER), 'id': 'v2'},
               {'name': 'other-account', 'status': 'approval_pending', 'network_id': vpc(OTHER), 'id': 'v3'},
               {'name': 'attached', 'status': 'attached', 'network_id': vpc(PARTNER), 'id': 'v4'}]
    assert [item['name'] for item in approver.pending(results, {'managed', 'other-account', 'attached'})] == ['managed']


def test_a_rehearsal_predicts_no_approval_step_for_an_account_the_plan_has_a_key_for():
    desired = {'name': 'gw', 'type': 'dedicated', 'bgp_asn': 64999, 'location_name': 'dal12',
               'virtual_connections': [{'name': 'vc-partner', 'type': 'vpc', 'network_id': vpc(PARTNER)}]}

    def approval_steps(notes):
        return [step.text for step in manual_steps.steps(desired, notes, None, OTHER) if step.key == 'cross_account_approval']

    assert approval_steps({}) == [f'Approval: the account owning {vpc(PARTNER)} must approve virtual connection vc-partner '
                                  '(requests expire after 72 hours).']
    assert approval_steps({'approving_accounts': [PARTNER]}) == []
