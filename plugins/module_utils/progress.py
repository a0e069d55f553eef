# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a waiting module run is waiting for: snapshots it writes to a file, and the progress line made of one.

A module that waits (``gateways``, ``gateway``, ``virtual_connection``) records in a ``Progress`` the state its
waiters have just polled - never anything it would have to ask the API for - and rewrites a small JSON snapshot
whenever that state changes. The collection's action plugin for the module reads the snapshot every
``progress_interval`` seconds and prints ``line(snapshot, elapsed)``, so a long wait is never silent (see
docs/architecture.md, *Progress during waits*).

Snapshot (``schema_version`` 1)::

    {"schema_version": 1,
     "gateways": {NAME: {"type": "connect" | "dedicated" | null, "status": OPERATIONAL_STATUS | null, "failed": MSG | null}},
     "vcs": {"GATEWAY/VC": STATUS | null}}

A status of null means not created yet; ``deleted`` means gone after a deletion.
"""

import contextlib
import json
import math
import os
import tempfile
import threading
import time

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.statuses import GATEWAY_FAILED, LOA_STAGE, VC_FAILED

SCHEMA_VERSION = 1
DEFAULT_INTERVAL = 30
# The most often a snapshot is rewritten, in seconds. Each write serialises the whole state, so writing on every change
# of a large recovery (500 gateways and 2000 virtual connections) would cost time quadratic in its size; a change
# within the gap is written when the gap ends. The action plugin reads the snapshot every progress_interval (>= 1 s).
WRITE_GAP = 0.5


def argument_spec():
    """The options of the modules that report progress (documented by the ``progress`` doc fragment)."""
    return dict(progress_file=dict(type='path'), progress_interval=dict(type='int', default=DEFAULT_INTERVAL))


class Progress:
    """The state a module run waits on, written to ``path`` as a JSON snapshot on every change (no file: no-op).

    Safe to share between the worker threads of one run. A snapshot that cannot be written (a full disk, a
    directory the module may not write to) stops the reporting, never the run. Snapshots are at least ``write_gap``
    seconds apart; the last change is always written.
    """

    def __init__(self, path=None, write_gap=WRITE_GAP, clock=time.monotonic):
        self.path = path
        self._gateways = {}
        self._vcs = {}
        self._lock = threading.Lock()
        self._write_gap = write_gap
        self._clock = clock
        self._written_at = -math.inf
        self._pending = None  # the timer that writes the changes made within the current gap
        self._batching = 0  # the batches open (see batch)
        self._batched = False  # whether a change was made within them

    def gateway(self, name, gateway_type=None, status=None, failed=None):
        """Record a gateway: its type, its status, why it failed (each when known; None keeps what was recorded)."""
        with self._lock:
            created = name not in self._gateways
            entry = self._gateways.setdefault(name, {'type': None, 'status': None, 'failed': None})
            changed = [self._set(entry, key, value) for key, value in
                       (('type', gateway_type), ('status', status), ('failed', failed))]
            self._write(created or any(changed))

    @contextlib.contextmanager
    def batch(self):
        """Record many changes as one (a run announcing all its gateways): no snapshot shows part of them."""
        with self._lock:
            self._batching += 1
        try:
            yield self
        finally:
            with self._lock:
                self._batching -= 1
                if not self._batching and self._batched:
                    self._batched = False
                    self._write(True)

    def seen(self, api_gateway):
        """Record a gateway as the API returned it."""
        self.gateway(api_gateway['name'], api_gateway.get('type'), api_gateway.get('operational_status'))

    def vcs(self, gateway_name, statuses):
        """Record virtual connections of a gateway: ``{vc name: status}`` (None: not created yet)."""
        with self._lock:
            changed = False
            for name, status in statuses.items():
                key = f'{gateway_name}/{name}'
                changed |= key not in self._vcs or self._vcs[key] != status
                self._vcs[key] = status
            self._write(changed)

    def listed(self, gateway_name, names, listed, gone=()):
        """Record the virtual connections ``names`` and ``gone`` as a list of a gateway's VCs shows them."""
        by_name = {vc['name']: vc.get('status') for vc in listed}
        statuses = {name: by_name.get(name) for name in names}
        statuses.update({name: by_name.get(name, 'deleted') for name in gone})
        self.vcs(gateway_name, statuses)

    def snapshot(self):
        """The current state as a JSON-ready dict."""
        return {'schema_version': SCHEMA_VERSION, 'gateways': {name: dict(entry) for name, entry in self._gateways.items()},
                'vcs': dict(self._vcs)}

    @staticmethod
    def _set(entry, key, value):
        if value is None or entry[key] == value:
            return False
        entry[key] = value
        return True

    def _write(self, changed):
        """Write the snapshot now, or when the gap since the last write ends (called holding the lock)."""
        if not (self.path and changed):
            return
        if self._batching:
            self._batched = True
            return
        wait = self._written_at + self._write_gap - self._clock()
        if wait <= 0:
            self._flush()
        elif self._pending is None:
            self._pending = threading.Timer(wait, self._flush_pending)
            self._pending.daemon = True
            self._pending.start()

    def _flush_pending(self):
        with self._lock:
            self._pending = None
            if self.path:
                self._flush()

    def _flush(self):
        self._written_at = self._clock()
        directory = os.path.dirname(os.path.abspath(self.path))
        try:
            handle, temporary = tempfile.mkstemp(dir=directory, prefix='.progress-', suffix='.tmp')
            with os.fdopen(handle, 'w', encoding='utf-8') as stream:
                json.dump(self.snapshot(), stream)
            os.replace(temporary, self.path)
        except OSError:
            self.path = None


def gateway_category(entry):
    """(category, what it waits on) of one gateway of a snapshot: what a progress line counts it as."""
    status = entry.get('status')
    if entry.get('failed') or status in GATEWAY_FAILED:
        return 'failed', None
    if status in ('provisioned', 'deleted'):
        return status, None
    if status is None:
        return 'starting', None
    if entry.get('type') == 'dedicated' and status in LOA_STAGE:
        return 'waiting', 'LOA'
    if entry.get('type') == 'connect' and status == 'create_pending':
        return 'waiting', 'provider'
    return 'waiting', 'IBM'


def vc_category(status):
    """(category, what it waits on) of one virtual connection of a snapshot."""
    if status == 'attached':
        return 'attached', None
    if status in VC_FAILED:
        return 'failed', None
    if status in ('deleting', 'deleted'):
        return status, None
    if status is None:
        return 'pending', 'gateway'
    if status == 'approval_pending':
        return 'pending', 'approval'
    return 'pending', 'IBM'


def _counted(categories, shown):
    """'1 provisioned, 2 waiting (provider 1, LOA 1), 0 failed' from (category, on) pairs."""
    counts: dict[str, int] = {}
    reasons: dict[str, dict[str, int]] = {}
    for category, on in categories:
        counts[category] = counts.get(category, 0) + 1
        if on:
            reasons.setdefault(category, {}).setdefault(on, 0)
            reasons[category][on] += 1
    parts = []
    for category in shown + sorted(set(counts) - set(shown)):
        count = counts.get(category, 0)
        if count or category in shown:
            detail = ', '.join(f'{on} {number}' for on, number in sorted(reasons.get(category, {}).items()))
            parts.append(f'{count} {category}' + (f' ({detail})' if detail else ''))
    return ', '.join(parts)


def elapsed_text(seconds):
    """1m05s, 45s, 1h02m03s."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f'{hours}h{minutes:02d}m{seconds:02d}s'
    return f'{minutes}m{seconds:02d}s' if minutes else f'{seconds}s'


def line(snapshot, elapsed):
    """The progress line of a snapshot after ``elapsed`` seconds."""
    parts = [f'still waiting, {elapsed_text(elapsed)} elapsed']
    gateways = list((snapshot.get('gateways') or {}).values())
    if gateways:
        parts.append(f'{len(gateways)} gateway(s): '
                     + _counted([gateway_category(entry) for entry in gateways], ['provisioned', 'waiting', 'failed']))
    vcs = list((snapshot.get('vcs') or {}).values())
    if vcs:
        parts.append(f'{len(vcs)} virtual connection(s): '
                     + _counted([vc_category(status) for status in vcs], ['attached', 'pending', 'failed']))
    return '; '.join(parts)
