# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for many gateways at once with one ``GET /gateways`` per poll round, however many gateways are awaited.

The ``gateways`` module awaits every gateway of a recovery on its own thread. Polled one by one, 500 gateways cost
500 requests a round; polled through one ``GatewayListPoller``, a round costs one list request that answers every
waiting thread.
"""

import math
import threading
import time

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.lifecycle import gateway_done, gateway_failure

# Seconds between rounds: the first round a second after a gateway starts being awaited, each next one 20 % later, up
# to 10 s. One round costs one request whatever the number of gateways, so the interval grows more slowly than that
# of a single gateway's wait (50 %): after the first minute both poll every 10 s.
FIRST_INTERVAL = 1.0
GROWTH = 1.2
MAX_INTERVAL = 10.0


class GatewayListPoller:
    """Poll rounds shared by the threads of one module run: one ``list_gateways`` answers every waiting thread.

    A thread waits for a round that started after it asked, so a gateway created just before is in the list; one
    missing from such a round is read by id once before it counts as gone. Rounds are ``interval`` apart, which
    starts at FIRST_INTERVAL whenever a thread starts waiting and grows by GROWTH each round up to MAX_INTERVAL.
    ``list_gateways`` and ``get_gateway`` take no connection (tests give plain functions); ``observe`` is told every
    gateway a waiting thread reads (the run's progress), as ``lifecycle.wait_for_gateway`` tells it; ``clock`` is
    injectable.
    """

    def __init__(self, list_gateways, get_gateway, observe=None, clock=time.monotonic, first_interval=FIRST_INTERVAL):
        self._list_gateways = list_gateways
        self._get_gateway = get_gateway
        self._observe = observe or (lambda _gateway: None)
        self._clock = clock
        self._first_interval = first_interval
        self._interval = first_interval
        self._condition = threading.Condition()
        self._started = 0  # rounds started (a round's number is its place in this count)
        self._completed = 0  # the number of the last round completed
        self._polling = False
        self._due = math.inf  # when the next round may start (none until a thread waits)
        self._listed = {}  # gateway id -> the gateway, as the last completed round listed it
        self.rounds = 0  # list requests answered
        self.waiting = 0  # threads in wait()

    @classmethod
    def for_connection(cls, connection):
        """A poller that reads through a module run's ``Connection``."""
        return cls(lambda: api.list_gateways(connection), lambda gateway_id: api.get_gateway(connection, gateway_id),
                   observe=connection.progress.seen)

    def wait(self, gateway, timeout, done=gateway_done):
        """Like ``lifecycle.wait_for_gateway``: the gateway once ``done``; fails fast when it is rejected, failed or
        gone, and after ``timeout`` seconds. ``gateway`` as just read or created is taken as it is when it is done."""
        deadline = self._clock() + timeout
        current = gateway
        needed = self._register()
        try:
            while not done(current):
                problem = gateway_failure(current)
                if problem:
                    raise DirectLinkError(problem)
                if self._clock() >= deadline:
                    raise DirectLinkError(f"Timed out after {timeout}s waiting for gateway '{gateway['name']}'; last "
                                          f"seen: operational_status {current['operational_status']}")
                current, completed = self._fresh(gateway['id'], needed)
                needed = completed + 1
                if current is None:
                    current = self._get_gateway(gateway['id'])
                if current is None:
                    raise DirectLinkError(f"Gateway '{gateway['name']}' ({gateway['id']}) disappeared while waiting for it")
                self._observe(current)
            return current
        finally:
            with self._condition:
                self.waiting -= 1

    def _register(self):
        """A thread starts waiting: the next round starts within FIRST_INTERVAL, and it is the round the thread needs."""
        with self._condition:
            self.waiting += 1
            self._interval = self._first_interval
            self._due = min(self._due, self._clock() + self._first_interval)
            self._condition.notify_all()
            return self._started + 1

    def _fresh(self, gateway_id, needed):
        """The gateway as listed by round ``needed`` or a later one (None when not listed), and that round's number.

        The calling thread runs the round itself when it is due and no other thread is running one.
        """
        with self._condition:
            while self._completed < needed:
                now = self._clock()
                if not self._polling and now >= self._due:
                    self._polling = True
                    self._started += 1
                    number = self._started
                    break
                self._condition.wait(None if self._polling else self._due - now)
            else:
                return self._listed.get(gateway_id), self._completed
        return self._round(number, now).get(gateway_id), number

    def _round(self, number, started_at):
        """One list request (outside the lock); every waiting thread is told. Returns the gateways by id."""
        try:
            listed = {found['id']: found for found in self._list_gateways()}
        except BaseException:
            with self._condition:
                self._polling = False  # another waiting thread runs the round again
                self._condition.notify_all()
            raise
        with self._condition:
            self.rounds += 1
            self._polling = False
            self._listed, self._completed = listed, number
            self._due = started_at + self._interval
            self._interval = min(MAX_INTERVAL, self._interval * GROWTH)
            self._condition.notify_all()
        return listed
