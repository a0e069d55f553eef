"""The rehearsal's verdict and time-to-recover estimate."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import manual_steps, problems, rehearsal
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.manual_steps import Step
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.problems import Problem


def test_the_estimate_adds_the_lead_times_of_the_steps_to_the_automated_part():
    found = [Step('provider_order', 'order'), Step(None, 'a decision'), Step('bgp_repeering', 'peers')]
    lead_times = dict(manual_steps.LEAD_TIMES, provider_order=[1, 2], bgp_repeering=[0.5, 1])
    assert rehearsal.estimate(found, 0.25, lead_times) == [1.75, 3.25]


def test_verdicts():
    # Picked by host, not by the text: b's message names host a, and a general problem names no host at all.
    problems = [Problem("gateway 'a' (host a): port P is at wdc04, not at dal12", 'a', 'a'),
                Problem("gateway 'b' (host b): speed, as gateway 'a' (host a) has", 'b', 'b'), Problem('plan: (host a)')]
    assert rehearsal.verdict('a', 'a-dr', problems, None, recovered=False) == ('blocked', [problems[0].message])
    assert rehearsal.verdict('c', 'c-dr', problems, None, recovered=False) == ('not run', [])
    assert rehearsal.verdict('c', 'c-dr', [], None, recovered=True)[0] == 'blocked'
    assert rehearsal.verdict('c', 'c-dr', [], {'operational_status': 'failed'}, recovered=True) == (
        'blocked', ['c-dr ended failed'])
    assert rehearsal.verdict('c', 'c-dr', [], {'operational_status': 'provisioned'}, recovered=True) == ('recoverable', [])


def test_problem_records_survive_the_round_trip_through_a_module_result():
    found = [Problem('m1', 'h1', 'g1'), Problem('m2')]
    records = [problem.as_dict() for problem in found]
    assert [record['scope'] for record in records] == ['gateway', 'general']
    assert problems.from_records(records + [{'host': 'x'}, 'junk']) == found
