"""AdaptiveLimiter driven step by step (a fake clock, no threads): AIMD on the requests in flight and on the send
rate, one cut per window, Retry-After honoured by every request, and Connection telling it how requests went."""

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.api import Connection
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import AdaptiveLimiter


class Clock:
    """A clock that moves only when told."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Throttled(Exception):
    """What the SDK raises for a 429: a status code and the HTTP response with its headers."""

    def __init__(self, retry_after='2'):
        super().__init__('429')
        self.status_code = 429
        self.http_response = type('Response', (), {'headers': {'Retry-After': retry_after}})()


def fill(limiter):
    """Acquire every slot free now; return the tickets."""
    tickets = []
    while (ticket := limiter.try_acquire()) is not None:
        tickets.append(ticket)
    return tickets


def succeed(limiter, clock, count=1):
    """Send and answer ``count`` requests one after another, each a minute after the last (never held back by
    the rate)."""
    for _request in range(count):
        clock.now += 60
        assert limiter.try_acquire() is not None
        limiter.succeeded()


def test_starts_at_the_ceiling_and_bounds_the_requests_in_flight():
    limiter = AdaptiveLimiter(8, clock=Clock())
    tickets = fill(limiter)
    assert len(tickets) == 8 and limiter.in_flight == 8 and limiter.rate is None
    limiter.succeeded()  # one answered: its slot is free again
    assert limiter.try_acquire() is not None and limiter.try_acquire() is None


def test_a_429_halves_the_limit_once_per_window():
    clock = Clock()
    limiter = AdaptiveLimiter(16, clock=clock)
    window = fill(limiter)
    for ticket in window:  # every request sent before the cut is answered 429: one cut, not sixteen
        limiter.throttled(ticket)
    assert limiter.limit == 8
    clock.now += 60
    next_window = fill(limiter)
    assert len(next_window) == 1  # the rate is set now: one send at a time
    limiter.throttled(next_window[0])
    assert limiter.limit == 4
    limiter.throttled(window[0])  # a late answer from the first window
    assert limiter.limit == 4


def test_the_limit_never_falls_below_one():
    clock = Clock()
    limiter = AdaptiveLimiter(2, clock=clock)
    for _cut in range(4):
        clock.now += 60
        limiter.throttled(limiter.try_acquire())
    clock.now += 60
    assert limiter.limit == 1 and len(fill(limiter)) == 1


def test_successes_grow_the_limit_by_one_per_limit_successes_up_to_the_ceiling():
    clock = Clock()
    limiter = AdaptiveLimiter(6, clock=clock)
    limiter.throttled(limiter.try_acquire())
    clock.now += 60
    limiter.throttled(limiter.try_acquire())
    assert limiter.limit == 1  # 6 -> 3 -> 1
    for grown in (2, 3, 4):
        succeed(limiter, clock, limiter.limit - 1)
        assert limiter.limit == grown - 1
        succeed(limiter, clock)
        assert limiter.limit == grown
    succeed(limiter, clock, 100)
    assert limiter.limit == 6


def test_a_429_while_every_slot_is_taken_sets_the_rate_the_service_accepted_and_sends_are_paced_at_it():
    clock = Clock()
    limiter = AdaptiveLimiter(1, clock=clock)
    for _answered in range(20):  # 20 answers in the 2 s before the 429
        limiter.try_acquire()
        limiter.succeeded()
        clock.now += 0.1
    limiter.throttled(limiter.try_acquire())
    assert limiter.rate == pytest.approx(10.0)
    assert limiter.try_acquire() is not None
    limiter.succeeded()
    clock.now += 0.09
    assert limiter.try_acquire() is None  # the next send is due 1/rate = 0.1 s after the last one
    clock.now += 0.02
    assert limiter.try_acquire() is not None


def throttled_after_one_success(ceiling):
    """(limiter, clock) after one request answered, then a second one, a second later, answered 429 (sent alone)."""
    clock = Clock()
    limiter = AdaptiveLimiter(ceiling, clock=clock)
    limiter.try_acquire()
    limiter.succeeded()
    clock.now += 1
    limiter.throttled(limiter.try_acquire())
    return limiter, clock


def test_a_429_while_the_run_sends_less_than_it_may_leaves_the_rate_free():
    limiter, _clock = throttled_after_one_success(4)  # one request of four allowed in flight, nobody waiting
    assert limiter.rate is None and limiter.limit == 2


def test_each_success_adds_one_over_the_rate_one_request_per_second_more_per_second_of_successes():
    limiter, clock = throttled_after_one_success(1)
    assert limiter.rate == pytest.approx(1.0)
    for rate in (2.0, 2.5, 2.9):
        succeed(limiter, clock)
        assert limiter.rate == pytest.approx(rate)


def test_retry_after_stops_every_request_until_its_time():
    clock = Clock()
    limiter = AdaptiveLimiter(4, clock=clock)
    first, second = limiter.try_acquire(), limiter.try_acquire()
    limiter.throttled(first, retry_after=3)
    assert limiter.try_acquire() is None  # a free slot, but the pause is in force
    limiter.throttled(second, retry_after=1)  # a shorter pause does not shorten the longer one
    clock.now += 2.9
    assert limiter.try_acquire() is None
    clock.now += 0.1
    assert limiter.try_acquire() is not None


def test_other_failures_free_the_slot_and_keep_the_limit():
    limiter = AdaptiveLimiter(4, clock=Clock())
    fill(limiter)
    limiter.failed()
    assert limiter.limit == 4 and limiter.in_flight == 3 and limiter.rate is None


def test_acquire_returns_at_once_when_a_request_may_be_sent():
    limiter = AdaptiveLimiter(1, clock=Clock())
    ticket = limiter.acquire()
    limiter.succeeded()
    assert limiter.acquire() == ticket + 1


def test_connection_reports_each_answer_to_its_limiter():
    connection = Connection(sdk=None, retry=None, max_in_flight=8)
    assert connection.send(lambda: 'answer') == 'answer'
    assert connection.limiter.limit == 8

    def throttled():
        raise Throttled(retry_after='2')

    with pytest.raises(Throttled):
        connection.send(throttled)
    assert connection.limiter.limit == 4 and connection.limiter.in_flight == 0
    assert connection.limiter.try_acquire() is None  # Retry-After: 2 is in force for every request of the run

    def failing():
        raise ValueError('not a rate limit')

    connection = Connection(sdk=None, retry=None, max_in_flight=8)
    with pytest.raises(ValueError):
        connection.send(failing)
    assert connection.limiter.limit == 8 and connection.limiter.in_flight == 0
