"""A hostile or broken backup directory changes nothing it should not.

backup_store runs here as the module it is (its main(), in a process of its own, as Ansible runs it), so that two
runs can race and a run can die between two renames; the recovery runs through ansible-playbook and the simulator.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

import pytest
import yaml

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery
from drill import DEMO_PLAN, backup, gateway_names, recover, tree_digest
from playbook_runner import collections_path, run_playbook

# Runs backup_store's main() with the arguments in the JSON file argv[1]; with argv[2] = k > 0 the process dies (as
# from kill -9) right after the k-th os.replace of the run.
STORE = '''
import json, os, sys
from ansible.module_utils.testing import patch_module_args
from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import backup_store
die_after, done, replace = int(sys.argv[2]), [], os.replace
def replace_then_die(source, target):
    replace(source, target)
    done.append(target)
    if len(done) == die_after:
        os._exit(9)
os.replace = replace_then_die
with open(sys.argv[1], encoding='utf-8') as stream, patch_module_args(json.load(stream)):
    backup_store.main()
'''


def gateway(index, speed=1000):
    return {'id': f'00000000-0000-4000-8000-{index:012d}', 'name': f'gw-{index:03d}', 'type': 'connect', 'speed_mbps': speed,
            'bgp_asn': 64999, 'location_name': 'dal10', 'port': 'p1', 'virtual_connections': []}


def start_store(directory, gateways=None, die_after=0, **options):
    """backup_store in a process of its own (Popen)."""
    args = dict(path=str(directory), **options)
    if gateways is not None:
        args['gateways'] = gateways
    handle, path = tempfile.mkstemp(suffix='.json')  # outside the trees the tests compare
    with os.fdopen(handle, 'w', encoding='utf-8') as stream:
        json.dump(args, stream)
    process = subprocess.Popen([sys.executable, '-c', STORE, path, str(die_after)], text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=dict(os.environ, PYTHONPATH=collections_path()))
    process.args_file = path
    return process


def finish(process):
    """Wait for a backup_store process; returns (exit code, result or None, output)."""
    try:
        out, err = process.communicate(timeout=120)
    finally:
        os.remove(process.args_file)
    try:
        result = json.loads(out)
    except ValueError:
        result = None
    return process.returncode, result, out + err


def store(directory, gateways=None, die_after=0, **options):
    """Run backup_store to its end; returns (exit code, result or None, output)."""
    return finish(start_store(directory, gateways, die_after, **options))


def modes_and_digests(directory):
    digest = tree_digest(directory)
    digest['.'] = oct(os.stat(directory).st_mode & 0o777)
    return digest


def edit_manifest(directory, change):
    path = os.path.join(str(directory), files.MANIFEST)
    with open(path, encoding='utf-8') as stream:
        document = yaml.safe_load(stream)
    change(document['direct_link_backup_manifest'])
    with open(path, 'w', encoding='utf-8') as stream:
        yaml.safe_dump(document, stream)
    return path


def stray_temporaries(directory):
    return [os.path.join(path, name) for path, _dirs, names in os.walk(directory) for name in names
            if name.startswith(files.TEMP_PREFIX) and name.endswith(files.TEMP_SUFFIX)]


# 1. Deletion outside the backup

def test_a_manifest_host_that_is_a_path_deletes_nothing_outside_even_with_prune(tmp_path):
    directory = tmp_path / 'repo' / 'backup'
    assert store(directory, [gateway(1), gateway(2)])[0] == 0
    outside = tmp_path / 'repo' / 'somewhere'
    outside.mkdir()
    (outside / 'precious.txt').write_text('keep me')
    manifest = edit_manifest(directory, lambda m: m['gateways'].update({'../../somewhere': {'id': 'x', 'name': 'x'}}))
    before = modes_and_digests(tmp_path)

    rc, _result, output = store(directory, [gateway(1)], prune=True)

    assert rc != 0
    assert f"{manifest}: gateways entry '../../somewhere' is not a host the backup writes" in output, output
    assert 'Traceback' not in output
    assert (outside / 'precious.txt').read_text() == 'keep me'
    assert modes_and_digests(tmp_path) == before


def test_prune_deletes_only_the_backups_own_file(tmp_path):
    directory = tmp_path / 'backup'
    assert store(directory, [gateway(1), gateway(2)])[0] == 0
    notes = directory / 'host_vars' / 'gw_002' / '.notes'
    notes.write_text('an operator note in the host directory')

    rc, result, output = store(directory, [gateway(1)], prune=True)

    assert rc == 0 and result['pruned'] == ['gw_002'], output
    assert not (directory / 'host_vars' / 'gw_002' / 'direct_link.yml').exists()
    assert notes.read_text() == 'an operator note in the host directory'


# 2. Symbolic links

@pytest.mark.parametrize('linked', [os.path.join('host_vars', 'gw_001'), os.path.join('host_vars', 'gw_001', 'direct_link.yml'),
                                    'group_vars', 'inventory.yml'])
def test_a_symbolic_link_inside_the_backup_is_never_written_through_nor_chmodded(tmp_path, linked):
    directory = tmp_path / 'backup'
    assert store(directory, [gateway(1)])[0] == 0
    target = tmp_path / 'target'
    os.rename(directory / linked, target)
    os.chmod(target, 0o755 if target.is_dir() else 0o644)
    for path, _dirs, _names in os.walk(target):  # looks like a stale temporary of the backup, but is not inside it
        with open(os.path.join(path, '.direct-link-stale.tmp'), 'w', encoding='utf-8') as stream:
            stream.write("not the backup's")
    os.symlink(target, directory / linked)
    before = modes_and_digests(tmp_path)

    rc, _result, output = store(directory, [gateway(1, speed=2000), gateway(2)])

    assert rc != 0
    assert files.symlink_message(str(directory / linked)) in output, output
    assert modes_and_digests(tmp_path) == before
    assert stat.S_IMODE(os.stat(target).st_mode) in (0o755, 0o644)


# 4. Two backups into one directory at once

def test_two_concurrent_backups_into_one_directory_leave_a_consistent_backup(tmp_path):
    directory = tmp_path / 'backup'
    first = [gateway(index) for index in range(150)]
    second = [gateway(index, speed=2000) for index in range(50, 200)]
    runs = [start_store(directory, gateways) for gateways in (first, second)]
    for rc, _result, output in [finish(run) for run in runs]:
        assert rc == 0 or 'another backup has held the directory lock' in output, output
        assert 'Traceback' not in output, output
    assert stray_temporaries(directory) == []
    backup_read = recovery.read_backup(str(directory))
    assert backup_read.problems == []
    assert len(backup_read.gateways) == 200


def test_a_backup_waiting_for_the_lock_fails_naming_the_directory(tmp_path):
    directory = tmp_path / 'backup'
    directory.mkdir()
    with files.locked(str(directory), 0):
        rc, _result, output = store(directory, [gateway(1)], lock_timeout=0.5)
    assert rc != 0
    assert f'{directory}: another backup has held the directory lock' in output, output
    assert sorted(os.listdir(directory)) == [files.LOCK]


# 5. A backup killed between its renames

@pytest.mark.parametrize('die_after', [2, 4])
def test_a_backup_killed_between_renames_is_refused_then_completed_to_the_uninterrupted_result(tmp_path, die_after):
    old = [gateway(index) for index in range(1, 5)]
    new = [gateway(1, speed=2000), gateway(2, speed=5000), gateway(3), gateway(5)]  # 2 changed, 1 added, 1 pruned
    killed, whole = tmp_path / 'killed', tmp_path / 'whole'
    for directory in (killed, whole):
        assert store(directory, old)[0] == 0
    assert store(whole, new, prune=True)[0] == 0

    rc, _result, _output = store(killed, new, die_after=die_after, prune=True)
    assert rc == 9
    problems = recovery.read_backup(str(killed)).problems
    assert problems == [files.resume_hint(str(killed))]
    assert f"-m cloud_dr.ibm_direct_link.backup_store -a 'path={killed} resume_only=true'" in problems[0]

    rc, result, output = store(killed, resume_only=True)

    assert rc == 0 and result['resumed'] is True and result['changed'] is True, output
    assert tree_digest(killed) == tree_digest(whole)
    assert recovery.read_backup(str(killed)).problems == []


# 6. Bounded reading in the writer too

def test_a_manifest_full_of_aliases_is_refused_by_the_backup(tmp_path):
    directory = tmp_path / 'backup'
    assert store(directory, [gateway(1)])[0] == 0
    manifest = directory / files.MANIFEST
    manifest.write_text('direct_link_backup_manifest:\n  a: &a [x, x, x, x, x, x, x, x]\n  b: [*a, *a, *a, *a, *a]\n')

    rc, _result, output = store(directory, [gateway(1)])

    assert rc != 0 and 'YAML anchors and aliases are refused' in output and str(manifest) in output, output


# 3. Unlisted files change a recovery

def planted_gateway(backup_dir):
    """A desired gateway that no backup file describes: the primary's, renamed, at the plan's new location."""
    with open(os.path.join(backup_dir, 'host_vars', 'dal10_connect_primary', 'direct_link.yml'), encoding='utf-8') as stream:
        original = yaml.safe_load(stream.read().replace('!unsafe ', ''))['direct_link_backup']['gateway']
    desired = {key: value for key, value in original.items() if key not in ('id', 'bgp_cer_cidr', 'bgp_ibm_cidr')}
    desired.update(name='planted', location_name='dal12', port='852573d5-ff32-5f19-957f-cddf4900eba7', virtual_connections=[])
    return desired


def test_an_unlisted_host_vars_file_cannot_make_a_per_host_recovery_create_a_gateway(sim, tmp_path, backup_dir):
    planted = os.path.join(backup_dir, 'host_vars', 'dal10_connect_primary', 'zz_planted.yml')
    with open(planted, 'w', encoding='utf-8') as stream:
        yaml.safe_dump({'recover_desired': planted_gateway(str(backup_dir)),  # vars files are templates to Ansible
                        'recover_iam_token': "{{ hostvars['localhost'].recover_token.iam_token }}"}, stream)
    sim.disaster(location='dal10', mode='lost')
    sim.reset_stats()

    result = recover(sim, tmp_path, backup_dir, '-e', 'recover_strategy=per_host')

    assert result.rc != 0
    assert f'{planted}: not listed in the manifest' in result.output, result.output
    assert 'planted' not in gateway_names(sim)
    assert sim.stats()['mutating'] == 0


def test_group_vars_the_backup_did_not_write_cannot_change_a_recovery(sim, tmp_path, backup_dir):
    elsewhere, clean = tmp_path / 'elsewhere', tmp_path / 'clean'
    shutil.copytree(backup_dir, clean)
    extra = os.path.join(backup_dir, 'group_vars', 'all', 'x.yml')
    with open(extra, 'w', encoding='utf-8') as stream:  # and point the pre-flight at a clean copy, to go unnoticed
        yaml.safe_dump({'recover_report_dir': str(elsewhere), 'recover_backup_dir': str(clean)}, stream)
    sim.disaster(location='dal10', mode='lost')
    sim.reset_stats()

    result = recover(sim, tmp_path, backup_dir)

    assert result.rc != 0
    assert f'{extra}: not listed in the manifest' in result.output, result.output
    assert sim.stats()['mutating'] == 0
    assert not elsewhere.exists()


def test_the_backup_playbook_keeps_working_in_its_own_directory_and_commits_no_lock(sim, tmp_path):
    directory = tmp_path / 'backup'
    result = backup(sim, tmp_path, directory, '-e', 'backup_git=true')
    assert result.rc == 0, result.output
    committed = subprocess.run(['git', 'ls-files'], cwd=directory, capture_output=True, text=True, check=True).stdout.split()
    assert files.LOCK not in committed and os.path.exists(directory / files.LOCK)
    assert recovery.read_backup(str(directory)).problems == []


def test_a_backup_given_as_data_is_refused_before_anything_in_it_is_evaluated(sim, tmp_path, backup_dir):
    pwned = tmp_path / 'PWNED'
    extra = os.path.join(backup_dir, 'group_vars', 'all', 'zz.yml')
    with open(extra, 'w', encoding='utf-8') as stream:  # what -i DIR would evaluate for the very first task
        yaml.safe_dump({'ansible_user': f"{{{{ lookup('pipe', 'touch {pwned}') }}}}",
                        'recover_location_map': {'dal10': 'dal12'}}, stream)
    sim.disaster(location='dal10', mode='lost')
    sim.reset_stats()
    as_data = ['-e', f'backup_dir={backup_dir}', '-e', f'@{DEMO_PLAN}']

    recovered = run_playbook(sim, 'cloud_dr.ibm_direct_link.recover', tmp_path, as_data)
    rehearsed = run_playbook(sim, 'cloud_dr.ibm_direct_link.rehearse', tmp_path,
                             [*as_data, '-e', f'rehearse_dir={tmp_path / "rehearsal"}'])

    for result in (recovered, rehearsed):
        assert result.rc != 0
        assert f'{extra}: not listed in the manifest' in result.output, result.output
    assert not pwned.exists()
    assert sim.stats()['mutating'] == 0
