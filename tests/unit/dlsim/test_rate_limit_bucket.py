"""dlsim's token bucket driven by a fake clock: burst, refill at the rate, Retry-After rounded up, per account."""

import pytest

from dlsim.errors import ApiError
from dlsim.server import RateLimit


class Clock:
    """A clock that moves only when told."""

    def __init__(self):
        self.now = 50.0

    def __call__(self):
        return self.now


def test_a_full_bucket_serves_the_burst_then_names_the_wait_rounded_up():
    clock = Clock()
    limit = RateLimit(rps=0.5, burst=3, clock=clock)
    assert [limit.take('a') for _request in range(3)] == [None] * 3
    assert limit.take('a') == 2  # a token every 2 s
    clock.now += 1.5
    assert limit.take('a') == 1  # 0.5 s to go, rounded up
    clock.now += 0.5
    assert limit.take('a') is None and limit.take('a') == 2


def test_tokens_refill_at_the_rate_up_to_the_burst():
    clock = Clock()
    limit = RateLimit(rps=8, burst=5, clock=clock)
    assert [limit.take('a') for _request in range(5)] == [None] * 5
    clock.now += 0.5  # 4 tokens
    assert [limit.take('a') for _request in range(5)] == [None, None, None, None, 1]
    clock.now += 60
    assert sum(limit.take('a') is None for _request in range(10)) == 5


def test_each_account_has_its_own_bucket_and_setting_the_limit_fills_them():
    limit = RateLimit(rps=1, burst=1, clock=Clock())
    assert limit.take('a') is None and limit.take('a') == 1
    assert limit.take('b') is None
    limit.set(1, 1)
    assert limit.take('a') is None


def test_off_by_default_and_cleared_by_an_empty_configuration():
    limit = RateLimit(clock=Clock())
    assert all(limit.take('a') is None for _request in range(100))
    limit.configure({'rps': 2})
    assert limit.describe() == {'rps': 2.0, 'burst': 2}
    limit.configure({})
    assert limit.describe() == {'rps': None, 'burst': None} and limit.take('a') is None


@pytest.mark.parametrize('settings', [{'rps': -1}, {'rps': True}, {'rps': 1, 'burst': 1.5}, {'burst': 3, 'other': 1}, []])
def test_invalid_settings_are_a_400(settings):
    with pytest.raises(ApiError) as caught:
        RateLimit().configure(settings)
    assert caught.value.status == 400
