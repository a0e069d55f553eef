"""The retry policy: what is retried, how long it waits, and that creates are never retried blindly."""

import pytest
import requests
import responses
from ibm_cloud_sdk_core import ApiException

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.retry import RetryPolicy, is_retryable

API = 'https://dl.example.test/v1/gateways'
IAM = 'https://iam.example.test/identity/token'


def failure(status, url=API, headers=None):
    """An ApiException as the SDK raises it for a real HTTP response (built with `responses`)."""
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, url, status=status, json={'errors': [{'code': 'x', 'message': 'boom'}]}, headers=headers)
        response = requests.get(url, timeout=5)
    return ApiException(status, http_response=response)


class Calls:
    """A callable that raises the given exceptions in turn, then returns 'ok'."""

    def __init__(self, *failures):
        self.failures = list(failures)
        self.count = 0

    def __call__(self):
        self.count += 1
        if self.failures:
            raise self.failures.pop(0)
        return 'ok'


def policy(sleeps, retries=5):
    return RetryPolicy(retries=retries, delay=1.0, max_delay=8.0, sleep=sleeps.append, rand=lambda: 1.0)


@pytest.mark.parametrize('status', [429, 500, 502, 503, 504])
def test_reads_retry_on_throttling_and_server_errors(status):
    sleeps = []
    calls = Calls(failure(status), failure(status))
    assert policy(sleeps).run(calls) == 'ok'
    assert calls.count == 3 and sleeps == [1.0, 2.0]


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409, 412])
def test_client_errors_are_not_retried(status):
    calls = Calls(failure(status))
    with pytest.raises(ApiException):
        policy([]).run(calls)
    assert calls.count == 1


def test_connection_errors_retry_for_reads_but_not_for_creates():
    sleeps = []
    assert policy(sleeps).run(Calls(requests.exceptions.ConnectionError('reset'))) == 'ok'
    create = Calls(requests.exceptions.ConnectionError('reset'))
    with pytest.raises(requests.exceptions.ConnectionError):
        policy(sleeps).run(create, idempotent=False)
    assert create.count == 1


@pytest.mark.parametrize('status, retried', [(429, True), (500, False), (503, False)])
def test_creates_retry_only_when_certainly_not_processed(status, retried):
    create = Calls(failure(status))
    if retried:
        assert policy([]).run(create, idempotent=False) == 'ok'
    else:
        with pytest.raises(ApiException):
            policy([]).run(create, idempotent=False)
    assert create.count == (2 if retried else 1)


def test_iam_failures_before_a_create_are_retried():
    assert is_retryable(failure(503, IAM), idempotent=False)
    assert not is_retryable(failure(503, API), idempotent=False)


def test_retry_after_is_honoured_and_capped():
    sleeps = []
    rand_zero = RetryPolicy(retries=3, delay=1.0, max_delay=8.0, sleep=sleeps.append, rand=lambda: 0.0)
    rand_zero.run(Calls(failure(429, headers={'Retry-After': '3'}), failure(429, headers={'Retry-After': '120'})))
    assert sleeps == [3.0, 8.0]


def test_backoff_is_exponential_jittered_and_capped():
    ceiling = RetryPolicy(retries=10, delay=0.5, max_delay=4.0, rand=lambda: 1.0)
    assert [ceiling.backoff(n) for n in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert RetryPolicy(delay=0.5, max_delay=4.0, rand=lambda: 0.25).backoff(3) == 1.0


def test_attempts_are_bounded():
    calls = Calls(*[failure(503) for _attempt in range(10)])
    with pytest.raises(ApiException):
        policy([], retries=3).run(calls)
    assert calls.count == 4
