"""The action plugin of the waiting modules: when it watches, what it prints, and what it leaves behind."""

import json
import os
import stat
import time
from types import SimpleNamespace

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.action.gateways import ActionModule
from ansible_collections.cloud_dr.ibm_direct_link.plugins.plugin_utils.progress_action import Watcher, private_file, read_snapshot

SNAPSHOT = {'schema_version': 1, 'gateways': {'gw': {'type': 'connect', 'status': 'create_pending', 'failed': None}},
            'vcs': {}}


def wait_for(condition, deadline=10.0):
    end = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < end, 'timed out'
        time.sleep(0.01)


def test_the_watcher_prints_the_snapshot_every_interval_until_the_module_returns(tmp_path):
    path = tmp_path / 'progress.json'
    path.write_text(json.dumps(SNAPSHOT))
    shown = []
    with Watcher(str(path), 0.02, '[localhost] ', show=shown.append) as watcher:
        wait_for(lambda: len(shown) >= 2)
    assert not watcher._thread.is_alive()  # pylint: disable=protected-access
    assert all(line.startswith('[localhost] still waiting, ') and '1 waiting (provider 1)' in line for line in shown)


def test_no_snapshot_yet_or_a_foreign_file_reads_as_none(tmp_path):
    assert read_snapshot(str(tmp_path / 'progress.json')) is None
    (tmp_path / 'partial.json').write_text('{"gatew')
    assert read_snapshot(str(tmp_path / 'partial.json')) is None


def test_the_private_file_is_in_a_0700_directory_removed_afterwards():
    with private_file() as path:
        directory = os.path.dirname(path)
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
        with open(path, 'w', encoding='utf-8') as stream:
            stream.write('{}')
    assert not os.path.exists(directory)


def action(transport='local', become=False, async_val=0, check_mode=False, args=None):
    task = SimpleNamespace(async_val=async_val, check_mode=check_mode, args=args or {})
    connection = SimpleNamespace(transport=transport)
    return ActionModule(task, connection, SimpleNamespace(become=become), None, None, None)


@pytest.mark.parametrize('settings, watched', [
    ({}, True), ({'transport': 'ssh'}, False), ({'become': True}, False), ({'async_val': 600}, False),
    ({'check_mode': True}, False)], ids=['local', 'remote', 'become', 'async', 'check-mode'])
def test_progress_is_watched_only_where_the_module_can_write_what_the_plugin_reads(settings, watched):
    assert action(**settings)._module_runs_here() is watched  # pylint: disable=protected-access


@pytest.mark.parametrize('value, seconds', [(None, 30), (2, 2), ('5', 5), (0, 0), (-1, 0), ('soon', 0)])
def test_the_interval_comes_from_the_task(value, seconds):
    args = {} if value is None else {'progress_interval': value}
    assert action(args=args)._interval() == seconds  # pylint: disable=protected-access
