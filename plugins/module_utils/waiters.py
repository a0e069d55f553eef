# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling with a deadline."""

import time

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError


def wait_until(fetch, done, timeout, what, failed=None, describe=repr, observe=None, interval=1.0, max_interval=10.0,
               clock=time.monotonic, sleep=time.sleep):
    """Call ``fetch()`` until ``done(value)``; return the last value.

    ``failed(value)`` returning a message stops the wait with that error.  When ``timeout`` seconds pass, the error
    names ``what`` and the last value seen, described by ``describe``.  ``observe(value)`` is told every value
    fetched (a run's progress).  The interval grows by half each poll, up to ``max_interval``.
    """
    deadline = clock() + timeout
    observe = observe or (lambda _value: None)
    value = fetch()
    observe(value)
    while not done(value):
        problem = failed(value) if failed else None
        if problem:
            raise DirectLinkError(problem)
        remaining = deadline - clock()
        if remaining <= 0:
            raise DirectLinkError(f'Timed out after {timeout}s waiting for {what}; last seen: {describe(value)}')
        sleep(min(interval, remaining))
        interval = min(max_interval, interval * 1.5)
        value = fetch()
        observe(value)
    return value
