# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bounded thread pool, and the adaptive limit on requests in flight that its threads share."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

# The most requests in flight at once by default (the adaptive limit's ceiling). API calls wait on the network, not
# the CPU: 16 keeps a 50 ms-latency gather of 200 gateways 8x faster than one request at a time (make bench), well
# under the HTTP pool size; a rate-limited service brings the limit down (AdaptiveLimiter).
DEFAULT_MAX_CONCURRENCY = 32
# The shortest window the accepted rate is measured over (a 429 at once after the first request).
MIN_WINDOW_SECONDS = 0.001


def map_bounded(function, items, max_workers=DEFAULT_MAX_CONCURRENCY):
    """``[function(item) for item in items]`` run concurrently; order kept; the first error propagates.

    When a call fails, calls not yet started are cancelled before the error is raised.
    """
    items = list(items)
    if len(items) <= 1 or max_workers <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items))) as pool:
        futures = [pool.submit(function, item) for item in items]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise


class AdaptiveLimiter:
    """How many requests may be in flight, and how fast they may be sent, learnt from the service's answers (AIMD).

    The limit on requests in flight starts at ``ceiling`` and the send rate is free.  A 429 (at most once per window:
    answers to requests sent before the last cut do not cut again) halves the limit and pauses every request until
    its ``Retry-After`` has passed; when the run was sending all the limit let it (threads waiting, or every slot
    taken), it also sets the rate to the one the service accepted since the last cut (answered requests per second;
    a run that sent less tells nothing about the service's rate).  Each success adds one to the limit per ``limit``
    successes (never above ``ceiling``) and one request per second to the rate per second of successes, as TCP grows
    its window.  Pacing matters as much as the limit: a fast service answers one request at a time faster than its
    rate limit allows.

    Every thread of a module run shares one limiter (a condition variable over the limit, the count in flight and
    the time of the next send).  ``clock`` is injectable for tests.
    """

    def __init__(self, ceiling, clock=time.monotonic):
        self.ceiling = max(1, int(ceiling))
        self.limit = self.ceiling
        self.rate = None  # requests per second; None until the first 429
        self.in_flight = 0
        self.waiting = 0  # threads waiting to send
        self.paused_until = 0.0
        self._next_send = 0.0  # when the rate is set: the earliest time of the next send
        self._clock = clock
        self._sent = 0  # requests sent so far; a request's ticket is its number
        self._window_start = 0  # the number of requests sent when the limit was last cut
        self._window_started_at = None  # when it was cut (or the first request was sent)
        self._window_successes = 0
        self._successes = 0  # since the limit last changed
        self._condition = threading.Condition()

    def try_acquire(self):
        """A ticket for one request when one may be sent now, else None."""
        with self._condition:
            return self._take(self._clock())

    def acquire(self):
        """Wait until a request may be sent (a free slot, no pause in force, its turn at the rate); return its ticket."""
        with self._condition:
            while True:
                now = self._clock()
                ticket = self._take(now)
                if ticket is not None:
                    return ticket
                wake = max(self.paused_until, self._next_send) - now
                self.waiting += 1
                try:
                    self._condition.wait(wake if wake > 0 else None)
                finally:
                    self.waiting -= 1

    def succeeded(self):
        """The request was answered: one step of additive increase."""
        with self._condition:
            self._window_successes += 1
            self._successes += 1
            if self._successes >= self.limit and self.limit < self.ceiling:
                self.limit += 1
                self._successes = 0
            if self.rate is not None:
                self.rate += 1.0 / self.rate
            self._release()

    def failed(self):
        """The request failed for a reason other than the rate limit: the limit and the rate stay."""
        with self._condition:
            self._release()

    def throttled(self, ticket, retry_after=None):
        """The request was answered 429: cut once per window; pause until ``retry_after`` seconds from now."""
        with self._condition:
            now = self._clock()
            if ticket > self._window_start:
                self._cut(now)
            if retry_after:
                self.paused_until = max(self.paused_until, now + retry_after)
            self._release()

    def _cut(self, now):
        """Multiplicative decrease, and the start of a new window."""
        if self.waiting or self.in_flight >= self.limit:
            elapsed = max(now - self._window_started_at, MIN_WINDOW_SECONDS)
            self.rate = max(1, self._window_successes) / elapsed
        self.limit = max(1, self.limit // 2)
        self._successes = self._window_successes = 0
        self._window_start, self._window_started_at = self._sent, now

    def _take(self, now):
        if now < self.paused_until or self.in_flight >= self.limit or (self.rate is not None and now < self._next_send):
            return None
        if self.rate is not None:
            self._next_send = max(now, self._next_send) + 1.0 / self.rate
        if self._window_started_at is None:
            self._window_started_at = now
        self.in_flight += 1
        self._sent += 1
        return self._sent

    def _release(self):
        self.in_flight -= 1
        self._condition.notify_all()
