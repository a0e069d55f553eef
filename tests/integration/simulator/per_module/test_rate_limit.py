"""The simulator's rate limit, through the real SDK: a token bucket per account, 429 with Retry-After when empty,
counted in the stats apart from random faults, set and cleared by /_sim/rate_limit or the command line."""

import math
import time

import pytest
from ibm_cloud_sdk_core import ApiException

from dlsim.process import Simulator, SimulatorError
from dlsim.seeds import PARTNER_API_KEY


@pytest.fixture(autouse=True)
def no_limit_afterwards(sim):
    """Every test sets its own limit (which starts every bucket full) and leaves the simulator without one."""
    sim.reset_stats()
    yield
    sim.rate_limit()


def call(client):
    """One Direct Link request: None when it was answered, else the 429 ApiException."""
    try:
        client.list_gateways()
    except ApiException as exc:
        if exc.status_code != 429:
            raise
        return exc
    return None


def answers(client, count):
    """``count`` requests in a row: for each, None (answered) or the 429 ApiException."""
    return [call(client) for _index in range(count)]


def poll_until_answered(client, timeout=15.0):
    """Send requests until one is answered (a token came back); the 429s met on the way."""
    deadline = time.monotonic() + timeout
    throttled = []
    while (refused := call(client)) is not None:
        throttled.append(refused)
        assert time.monotonic() < deadline, 'no token came back before the deadline'
        time.sleep(0.05)
    return throttled


def test_a_burst_beyond_the_bucket_gets_429_with_retry_after_in_the_ibm_error_shape(sim, dl):
    sim.rate_limit(rps=0.1, burst=5)  # one token every 10 s: none comes back during the burst
    results = answers(dl, 8)
    assert results[:5] == [None] * 5
    refused = results[5:]
    assert all(exc is not None for exc in refused)
    for exc in refused:
        assert 1 <= int(exc.http_response.headers['Retry-After']) <= math.ceil(1 / 0.1)
        body = exc.http_response.json()
        assert body['status_code'] == 429 and body['errors'][0]['code'] == 'rate_limit_exceeded' and body['trace']


def test_tokens_refill_at_the_rate_and_never_faster(sim, dl):
    rps, burst = 4, 2
    sim.rate_limit(rps=rps, burst=burst)
    assert answers(dl, burst) == [None] * burst
    empty_at = time.monotonic()
    assert call(dl) is not None
    refill_answers = 3
    for _answer in range(refill_answers):
        for exc in poll_until_answered(dl):
            assert exc.http_response.headers['Retry-After'] == '1'  # under a second to the next token, rounded up
    # Each answer needed a token the bucket earned at rps since it was empty (a bound, not a timing).
    assert refill_answers <= rps * (time.monotonic() - empty_at) + 1


def test_each_account_has_its_own_bucket_and_iam_is_not_limited(sim, dl):
    sim.rate_limit(rps=0.1, burst=2)
    assert answers(dl, 3)[2] is not None
    partner = sim.client(api_key=PARTNER_API_KEY)  # its first call fetches an IAM token: not limited
    results = answers(partner, 3)
    assert results[:2] == [None, None] and results[2] is not None
    assert sim.stats()['iam_tokens'] >= 1


def test_stats_count_the_429s_apart_from_faults_and_by_status_and_the_control_clears_the_limit(sim, dl):
    assert sim.rate_limit(rps=0.1, burst=1) == {'rps': 0.1, 'burst': 1}
    refused = sum(exc is not None for exc in answers(dl, 4))
    stats = sim.stats()
    assert refused == 3 and stats['rate_limited'] == 3 and stats['faults_injected'] == 0
    assert stats['requests']['GET /v1/gateways'] == 4
    assert stats['by_status'] == {'200': 1, '429': 3}  # Direct Link answers only: not the IAM token's
    assert sim.rate_limit() == {'rps': None, 'burst': None}
    assert answers(dl, 10) == [None] * 10
    assert sim.stats()['rate_limited'] == 3


@pytest.mark.parametrize('settings', [{'rps': 0}, {'rps': 'fast'}, {'rps': 5, 'burst': 0}, {'rate': 5}])
def test_invalid_settings_are_refused(sim, settings):
    with pytest.raises(SimulatorError, match='400'):
        sim.control('POST', 'rate_limit', settings)


def test_the_command_line_sets_the_limit():
    with Simulator(seed='empty', rate_limit=0.1, rate_burst=3) as limited:
        assert limited.control('GET', 'rate_limit') == {'rps': 0.1, 'burst': 3}
        results = answers(limited.client(), 4)
        assert results[:3] == [None] * 3 and results[3] is not None
        assert limited.stats()['rate_limited'] == 1
