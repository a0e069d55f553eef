# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of the modules that wait: it runs the module and prints its progress while it waits.

The module rewrites a JSON snapshot of what it waits for (module_utils/progress.py) in a file of a private
temporary directory that this plugin creates (mode 0700) and removes; a thread of the plugin reads it every
``progress_interval`` seconds and prints the progress line through Display. In a fork, Display hands the line to
the main process at once, where the stdout callback prints it and ansible-runner (AWX) turns it into a job event.
When the module cannot write where the plugin reads - another host, a become user, async - there is no progress
and the module runs as it would without this plugin.
"""

import dataclasses
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import Optional

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.progress import DEFAULT_INTERVAL, line

display = Display()


def read_snapshot(path):
    """The snapshot in ``path``, or None while there is none (the module replaces the file atomically)."""
    try:
        with open(path, encoding='utf-8') as stream:
            return json.load(stream)
    except (OSError, ValueError):
        return None


@dataclasses.dataclass(eq=False)  # one watcher is one thread: equal only to itself
class Watcher:
    """Prints ``prefix`` and the progress line of the snapshot in ``path`` every ``interval`` seconds, on a
    fixed schedule from the start, until the ``with`` block ends."""

    path: str
    interval: float
    prefix: str
    clock: Callable[[], float] = time.monotonic
    show: Callable[[str], object] = display.display
    started: Optional[float] = dataclasses.field(init=False, default=None)
    _stop: threading.Event = dataclasses.field(init=False, default_factory=threading.Event)
    _thread: threading.Thread = dataclasses.field(init=False)

    def __post_init__(self):
        self._thread = threading.Thread(target=self._run, name='progress', daemon=True)

    def __enter__(self):
        self.started = self.clock()
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        tick = 1
        while not self._stop.wait(max(0.0, self.started + tick * self.interval - self.clock())):
            snapshot = read_snapshot(self.path)
            if snapshot is not None:
                self.show(f'{self.prefix}{line(snapshot, self.clock() - self.started)}')
            tick += 1


@contextmanager
def private_file():
    """A path in a new 0700 temporary directory, removed with everything in it afterwards."""
    directory = tempfile.mkdtemp(prefix='cloud_dr-progress-')
    try:
        yield os.path.join(directory, 'progress.json')
    finally:
        shutil.rmtree(directory, ignore_errors=True)


class ProgressAction(ActionBase):
    """Runs the task's module as the ``normal`` action does, printing its progress while it runs."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        wrap_async = self._task.async_val and not self._connection.has_native_async
        interval = self._interval()
        if interval and self._module_runs_here():
            with self._progress_file() as path:
                prefix = f"[{(task_vars or {}).get('inventory_hostname', 'localhost')}] "
                with Watcher(path, interval, prefix):
                    outcome = self._execute_module(module_args=dict(self._task.args, progress_file=path),
                                                   task_vars=task_vars, wrap_async=wrap_async)
        else:
            outcome = self._execute_module(task_vars=task_vars, wrap_async=wrap_async)
        result = merge_hash(result, outcome)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _interval(self):
        """The task's progress interval in seconds; 0 when none (an invalid value is the module's to report)."""
        try:
            return max(0, int(self._task.args.get('progress_interval', DEFAULT_INTERVAL)))
        except (TypeError, ValueError):
            return 0

    def _module_runs_here(self):
        """Whether the module runs on the controller as this user, synchronously: it can write what we read."""
        return (self._connection.transport == 'local' and not self._task.async_val
                and not self._play_context.become and not self._task.check_mode)

    @contextmanager
    def _progress_file(self):
        """The task's own progress_file when it gives one, else a private temporary file."""
        given = self._task.args.get('progress_file')
        if given:
            yield given
        else:
            with private_file() as path:
                yield path
