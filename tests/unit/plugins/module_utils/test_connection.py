"""Connection: at most max_in_flight requests at once, however many threads share it."""

import threading
import time

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.api import Connection


class BlockedRequests:
    """Requests that stay in flight until released, counting how many are in flight at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.release = threading.Event()

    def request(self):
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        self.release.wait(timeout=30)
        with self.lock:
            self.in_flight -= 1
        return 'answer'


def in_flight_when_settled(requests, expected, deadline_seconds=10):
    """Poll (with a deadline) until ``expected`` requests are in flight; return the count then."""
    deadline = time.monotonic() + deadline_seconds
    while requests.in_flight < expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return requests.in_flight


@pytest.mark.parametrize('bound, expected_peak', [(3, 3), (None, 10)])
def test_requests_in_flight_are_bounded(bound, expected_peak):
    connection = Connection(sdk=None, retry=None, max_in_flight=bound)
    requests = BlockedRequests()
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(connection.send(requests.request))) for _index in range(10)]
    for thread in threads:
        thread.start()
    try:
        assert in_flight_when_settled(requests, expected_peak) == expected_peak
    finally:
        requests.release.set()
        for thread in threads:
            thread.join(timeout=30)
    assert requests.peak == expected_peak and answers == ['answer'] * 10
