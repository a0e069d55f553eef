"""A short IAM outage costs a module run its backoff, not the IBM SDK's 60-second pacing of token requests."""

from playbook_runner import run_tasks

# A deadline for the whole module run, far above its few seconds of backoff, far below the SDK's 60 s pacing
# that every failed token request used to cost.
DEADLINE_SECONDS = 30


def test_a_module_run_through_an_iam_outage_asks_iam_again_after_each_failure(sim, tmp_path):
    sim.faults(iam_failures=2)  # the run's first two token requests meet the outage
    sim.reset_stats()
    read = {'name': 'Read the gateways while IAM recovers', 'cloud_dr.ibm_direct_link.gateway_info': {'include_cross_account': True},
            'timeout': DEADLINE_SECONDS, 'register': 'gateways'}
    result = run_tasks(sim, [read], tmp_path)
    assert result.rc == 0, result.output
    stats = sim.stats()
    assert stats['faults_injected'] == 2
    assert stats['requests']['POST /identity/token'] == 3 and stats['iam_tokens'] == 1
    listed = sim.client().list_gateways().get_result()['gateways']
    assert [gateway['name'] for gateway in result['gateways']['gateways']] == sorted(gateway['name'] for gateway in listed)
