"""create_once: a create takes effect exactly once whatever happens to its responses."""

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.lifecycle import create_once
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.retry import RetryPolicy

LOST = DirectLinkError('Direct Link create_gateway failed: connection reset')
UNAVAILABLE = DirectLinkError('Direct Link create_gateway failed (503)', status_code=503)
NAME_TAKEN = DirectLinkError('A gateway with the same name already exists', status_code=409)
INVALID = DirectLinkError('Invalid speed', status_code=400)


class Service:
    """The create answers in turn with the given outcomes (an exception, or a commit whose answer is lost)."""

    def __init__(self, *outcomes, visible_after=0):
        self.outcomes = list(outcomes)
        self.committed = None
        self.creates = 0
        self.lookups = 0
        self.visible_after = visible_after  # lookups that still miss a committed resource (eventual consistency)

    def create(self):
        self.creates += 1
        outcome = self.outcomes.pop(0) if self.outcomes else 'ok'
        if outcome == 'commit-then-lose':
            self.committed = {'name': 'gw'}
            raise LOST
        if isinstance(outcome, DirectLinkError):
            if outcome is NAME_TAKEN and self.committed is None:
                raise AssertionError('409 without an earlier commit')
            raise outcome  # pylint: disable=raising-bad-type
        if self.committed is not None:
            raise NAME_TAKEN
        self.committed = {'name': 'gw', 'fresh': True}
        return self.committed

    def lookup(self):
        self.lookups += 1
        if self.committed is None or self.lookups <= self.visible_after:
            return None
        return self.committed


def run(service, retries=3):
    policy = RetryPolicy(retries=retries, delay=0, sleep=lambda _seconds: None)
    return create_once(service.create, service.lookup, "gateway 'gw'", policy)


def test_a_lost_answer_to_a_committed_create_adopts_the_resource():
    service = Service('commit-then-lose')
    assert run(service) == {'name': 'gw'} and service.creates == 1


def test_an_uncommitted_5xx_is_sent_again_after_a_lookup():
    service = Service(UNAVAILABLE, LOST)
    assert run(service) == {'name': 'gw', 'fresh': True}
    assert service.creates == 3 and service.lookups == 2


def test_a_commit_that_is_not_visible_yet_is_adopted_through_the_409():
    service = Service('commit-then-lose', visible_after=2)
    assert run(service) == {'name': 'gw'}
    assert service.creates == 2  # the second create was refused by name, not duplicated


def test_a_refusal_is_not_retried():
    service = Service(INVALID)
    with pytest.raises(DirectLinkError, match='Invalid speed'):
        run(service)
    assert service.creates == 1 and service.lookups == 0


def test_giving_up_says_how_often_and_that_a_rerun_is_safe():
    service = Service(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE)
    with pytest.raises(DirectLinkError, match=r"gateway 'gw' was not created after 3 attempts \(re-running is safe\)"):
        run(service, retries=2)
    assert service.creates == 3 and service.committed is None
