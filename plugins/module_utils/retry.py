# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jittered exponential backoff for rate limits, server errors and connection failures.

Reads and idempotent writes (GET, PUT, PATCH, DELETE) are retried on 429, 500, 502, 503, 504 and on connection
errors or timeouts.  Creates (POST) are retried only when the service certainly did not act on them: a 429, or a
failure of the IAM token request that precedes the call.  After a lost response on a create, the state modules
look the resource up by name before sending the create again.
"""

import random
import time

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import is_iam_failure

RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))

TRANSIENT_EXCEPTIONS: tuple[type[Exception], ...]
try:
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import Timeout as RequestsTimeout
    TRANSIENT_EXCEPTIONS = (RequestsConnectionError, RequestsTimeout)
except ImportError:  # pragma: no cover - requests comes with the SDK; the module reports the missing SDK
    TRANSIENT_EXCEPTIONS = ()


def retry_after_seconds(exc):
    """The ``Retry-After`` of a failed response in seconds, or None."""
    response = getattr(exc, 'http_response', None)
    headers = getattr(response, 'headers', None) or {}
    value = headers.get('Retry-After') if hasattr(headers, 'get') else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def is_retryable(exc, idempotent):
    """Whether a failed call may be sent again."""
    status = getattr(exc, 'status_code', None)
    if status is not None and hasattr(exc, 'http_response'):
        if status not in RETRY_STATUSES:
            return False
        return idempotent or status == 429 or is_iam_failure(exc)
    if TRANSIENT_EXCEPTIONS and isinstance(exc, TRANSIENT_EXCEPTIONS):
        return idempotent or is_iam_failure(exc)
    return False


class RetryPolicy:
    """How often and how long to back off; ``sleep`` and ``rand`` are injectable for tests."""

    def __init__(self, retries=10, delay=1.0, max_delay=30.0, sleep=time.sleep, rand=random.random):
        self.retries = max(0, retries)
        self.delay = max(0.0, delay)
        self.max_delay = max(0.0, max_delay)
        self.sleep = sleep
        self.rand = rand

    def backoff(self, attempt, retry_after=None):
        """Seconds to wait before retry number ``attempt`` (0-based): full jitter, capped; Retry-After honoured."""
        ceiling = min(self.max_delay, self.delay * (2 ** attempt))
        wait = self.rand() * ceiling
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_delay))
        return wait

    def run(self, call, idempotent=True):
        """Run ``call()``, retrying what ``is_retryable`` allows; the last exception propagates."""
        attempt = 0
        while True:
            try:
                return call()
            except Exception as exc:  # pylint: disable=broad-except
                if attempt >= self.retries or not is_retryable(exc, idempotent):
                    raise
                self.sleep(self.backoff(attempt, retry_after_seconds(exc)))
                attempt += 1
