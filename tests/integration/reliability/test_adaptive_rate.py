"""A gather against a rate-limited API: the client's adaptive limit learns the rate from the first 429s and keeps
under it, so every request is answered and the 429s stay fewer than one bucket's worth."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY
from dlsim.process import Simulator
from playbook_runner import run_tasks

RPS = BURST = 20
GATEWAYS = 40


def test_gateway_info_under_a_rate_limit_completes_with_few_429s(tmp_path):
    with Simulator(seed=f'gen:{GATEWAYS}x2', rate_limit=RPS, rate_burst=BURST) as sim:
        result = run_tasks(sim, [{'name': 'gather', 'cloud_dr.ibm_direct_link.gateway_info': None, 'register': 'info'}],
                           tmp_path)
        stats = sim.stats()
    assert result.rc == 0, result.output
    assert len(result['info']['gateways']) == GATEWAYS
    answered = stats['total'] - stats['rate_limited'] - stats['iam_tokens']
    assert answered == 1 + 3 * GATEWAYS  # every request answered once: none given up, none repeated
    # A fixed 16 requests in flight, each retrying on its own, met 76 429s here, all through the run. The adaptive
    # limit meets those of the requests in flight when the bucket first runs dry (at most max_concurrency), at most
    # half as many once more while it learns the rate, and then keeps under it.
    assert stats['rate_limited'] <= DEFAULT_MAX_CONCURRENCY + DEFAULT_MAX_CONCURRENCY // 2
