"""A waiting run's progress: the snapshots its waiters record, and the line a snapshot reads as."""

import json
import os
import stat
import time

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import progress
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.waiters import wait_until


def read(path):
    with open(path, encoding='utf-8') as stream:
        return json.load(stream)


def test_every_change_rewrites_a_private_snapshot_and_a_repeat_does_not(tmp_path):
    path = tmp_path / 'progress.json'
    run = progress.Progress(str(path), write_gap=0)
    run.gateway('gw-a', 'connect')
    assert read(path)['gateways'] == {'gw-a': {'type': 'connect', 'status': None, 'failed': None}}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    run.seen({'name': 'gw-a', 'type': 'connect', 'operational_status': 'create_pending'})
    run.vcs('gw-a', {'vc-1': None})
    path.unlink()
    run.seen({'name': 'gw-a', 'type': 'connect', 'operational_status': 'create_pending'})
    run.vcs('gw-a', {'vc-1': None})
    run.listed('gw-a', ['vc-1'], [{'name': 'other', 'status': 'attached'}])
    assert not path.exists()
    run.listed('gw-a', ['vc-1'], [{'name': 'vc-1', 'status': 'pending'}, {'name': 'other', 'status': 'attached'}])
    run.gateway('gw-a', failed='boom')
    assert read(path) == {'schema_version': 1, 'vcs': {'gw-a/vc-1': 'pending'},
                          'gateways': {'gw-a': {'type': 'connect', 'status': 'create_pending', 'failed': 'boom'}}}
    assert os.listdir(tmp_path) == ['progress.json']


def test_changes_within_the_write_gap_are_written_once_when_it_ends(tmp_path):
    path = tmp_path / 'progress.json'
    now = [100.0]
    run = progress.Progress(str(path), write_gap=0.3, clock=lambda: now[0])
    run.gateway('gw-a', 'connect')
    first = path.stat().st_mtime_ns
    run.seen({'name': 'gw-a', 'type': 'connect', 'operational_status': 'create_pending'})
    run.vcs('gw-a', {'vc-1': 'pending'})
    assert read(path)['gateways']['gw-a']['status'] is None and path.stat().st_mtime_ns == first
    deadline = time.monotonic() + 10
    while read(path)['vcs'] != {'gw-a/vc-1': 'pending'}:
        assert time.monotonic() < deadline, 'the changes of the gap were never written'
        time.sleep(0.01)
    assert read(path)['gateways']['gw-a']['status'] == 'create_pending'
    assert sorted(os.listdir(tmp_path)) == ['progress.json']


def test_a_batch_of_changes_is_written_once_whole_when_it_ends(tmp_path):
    path = tmp_path / 'progress.json'
    run = progress.Progress(str(path), write_gap=0)
    with run.batch():
        run.gateway('gw-a', 'connect')
        run.gateway('gw-b', 'dedicated')
        assert not path.exists()
    assert sorted(read(path)['gateways']) == ['gw-a', 'gw-b']
    run.gateway('gw-c', 'connect')
    assert sorted(read(path)['gateways']) == ['gw-a', 'gw-b', 'gw-c']


def test_without_a_file_or_with_one_it_cannot_write_progress_is_silent(tmp_path):
    progress.Progress().gateway('gw', 'connect', 'provisioned')
    unwritable = progress.Progress(str(tmp_path / 'missing-dir' / 'progress.json'))
    unwritable.gateway('gw', 'connect')
    unwritable.gateway('gw', status='provisioned')
    assert unwritable.path is None and unwritable.snapshot()['gateways']['gw']['status'] == 'provisioned'


def test_deleted_virtual_connections_read_as_deleted_once_the_list_no_longer_has_them():
    run = progress.Progress()
    run.listed('gw', [], [{'name': 'old', 'status': 'deleting'}], gone={'old'})
    assert run.snapshot()['vcs'] == {'gw/old': 'deleting'}
    run.listed('gw', [], [], gone={'old'})
    assert run.snapshot()['vcs'] == {'gw/old': 'deleted'}


def entry(gateway_type, status, failed=None):
    return {'type': gateway_type, 'status': status, 'failed': failed}


def test_the_line_says_what_each_gateway_and_virtual_connection_waits_on():
    snapshot = {'gateways': {'a': entry('connect', 'provisioned'), 'b': entry('connect', 'create_pending'),
                             'c': entry('dedicated', 'awaiting_loa'), 'd': entry('connect', 'configuring'),
                             'e': entry('connect', 'create_rejected'), 'f': entry('connect', None, failed='timed out'),
                             'g': entry('connect', None)},
                'vcs': {'a/1': 'attached', 'a/2': 'approval_pending', 'a/3': 'pending', 'c/4': None, 'a/5': 'rejected'}}
    assert progress.line(snapshot, 75) == (
        'still waiting, 1m15s elapsed; 7 gateway(s): 1 provisioned, 3 waiting (IBM 1, LOA 1, provider 1), 2 failed, '
        '1 starting; 5 virtual connection(s): 1 attached, 3 pending (IBM 1, approval 1, gateway 1), 1 failed')


def test_a_line_names_only_what_the_run_waits_for():
    assert progress.line({'gateways': {}, 'vcs': {'gw/vc': 'deleting'}}, 5) == (
        'still waiting, 5s elapsed; 1 virtual connection(s): 0 attached, 0 pending, 0 failed, 1 deleting')
    assert progress.line({'gateways': {'gw': entry('connect', 'delete_pending')}, 'vcs': {}}, 3600 + 62) == (
        'still waiting, 1h01m02s elapsed; 1 gateway(s): 0 provisioned, 1 waiting (IBM 1), 0 failed')


@pytest.mark.parametrize('value', [None, {'operational_status': 'x'}])
def test_the_waiter_tells_every_value_it_fetched(value):
    values = iter([value, value, 'done'])
    seen = []
    assert wait_until(lambda: next(values), lambda v: v == 'done', 60, 'it', observe=seen.append,
                      clock=lambda: 0.0, sleep=lambda _s: None) == 'done'
    assert seen == [value, value, 'done']
