# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``make bench`` only: how long each task of a playbook run took, written as JSON to ``$BENCH_TASK_TIMES``."""

DOCUMENTATION = r"""
name: task_times
type: aggregate
short_description: Wall time of every task, for the benchmarks
description:
  - When the playbook ends, writes each task's name and seconds, and the seconds before the first task, as JSON to
    the file named by the environment variable E(BENCH_TASK_TIMES).
  - A task's time runs from its start to the start of the next task (or the end of the run), so it covers every
    host the task runs on.
requirements:
  - enabled in the configuration (only tests/perf/bench.py does)
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Records task start times; writes the durations at the end of the run."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_times'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_at = time.monotonic()
        self._first_task_at = None
        self._current = None
        self._tasks = []

    def _close(self):
        """End the task that is running (if any)."""
        now = time.monotonic()
        if self._current is not None:
            name, started = self._current
            self._tasks.append({'name': name, 'seconds': round(now - started, 3)})
        self._current = None
        return now

    def v2_playbook_on_task_start(self, task, is_conditional):
        """A task starts: the previous one has ended."""
        now = self._close()
        if self._first_task_at is None:
            self._first_task_at = now
        self._current = (task.get_name(), now)

    def v2_playbook_on_play_start(self, play):
        """A play starts: the last task of the previous play has ended."""
        self._close()

    def v2_playbook_on_stats(self, stats):
        """The run ends: write every task's time."""
        ended = self._close()
        path = os.environ.get('BENCH_TASK_TIMES')
        if not path:
            return
        first = self._first_task_at if self._first_task_at is not None else ended
        with open(path, 'w', encoding='utf-8') as stream:
            json.dump({'tasks': self._tasks, 'before_first_task_seconds': round(first - self._loaded_at, 3),
                       'after_callback_loaded_seconds': round(ended - self._loaded_at, 3)}, stream)
