"""Backup, recover and verify against an API under stress: each test is one cell of the fault matrix.

Promises checked in every cell: the operation completes (or fails cleanly and a re-run completes), the backup is
byte-identical to a fault-free one, and the recovery creates exactly the expected resources — never a duplicate.
"""

import subprocess
import time

import pytest

from drill import DAL10, DEMO_PLAN, backup, gateway_names, recover, tree_digest, vc_names, verify
from playbook_runner import ansible_environment, ansible_playbook

STORM = {'rate': 0.3, 'statuses': [429, 500, 502, 503], 'retry_after': 1, 'seed': 7}


@pytest.fixture
def sim_options():
    return {'provision_delay': 0.5, 'vc_delay': 0.3}


def lose_dal10(sim):
    """The disaster: dal10 is lost. Returns what the recovery must rebuild: names, and VC names by connect gateway
    (a dedicated replacement waits for its LOA; a transit VC is the Direct Link side of the Transit Gateway connection
    the recovery makes, named by the plan's template like its gateway)."""
    expected_vcs = {f'{name}-dr': sorted(vc['name'] if vc['type'] != 'transit' else f"{vc['name']}-dr"
                                         for vc in sim.gateway(name)['virtual_connections'])
                    for name in DAL10 if 'dedicated' not in name}
    survivors = [name for name in gateway_names(sim) if name not in DAL10]
    sim.disaster(location='dal10', mode='lost')
    return sorted(survivors + [f'{name}-dr' for name in DAL10]), expected_vcs


def assert_recovered_exactly(sim, expected_names, expected_vcs):
    """Every expected gateway once, nothing more; every VC of the connect gateways once."""
    assert gateway_names(sim) == expected_names
    for name, vcs in expected_vcs.items():
        assert vc_names(sim, name) == vcs, name


def wait_for(predicate, timeout=60, interval=0.1):
    """Poll ``predicate`` until it is true, or fail at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError('condition not reached before the deadline')


# ------------------------------------------------------------------------------------------------------ backup
@pytest.mark.parametrize('faults', [
    pytest.param(STORM, id='429-and-5xx-storm'),
    pytest.param({'iam_outage_seconds': 3}, id='iam-outage'),
])
def test_backup_under_faults_is_byte_identical(sim, tmp_path, faults):
    clean = tmp_path / 'clean'
    assert backup(sim, tmp_path, clean).rc == 0
    sim.faults(**faults)
    sim.reset_stats()
    stressed = tmp_path / 'stressed'
    result = backup(sim, tmp_path, stressed)
    assert result.rc == 0, result.output
    assert tree_digest(stressed) == tree_digest(clean)
    assert sim.stats()['mutating'] == 0


@pytest.mark.parametrize('sim_options', [{'token_ttl': 1, 'latency_ms': 100}], ids=['token-ttl-1s'])
def test_backup_outlives_its_token(sim, tmp_path):
    sim.reset_stats()
    result = backup(sim, tmp_path, tmp_path / 'backup')
    assert result.rc == 0, result.output
    assert sim.stats()['iam_tokens'] >= 2, 'the run did not last longer than one token'


# ----------------------------------------------------------------------------------------------------- recover
@pytest.mark.parametrize('faults', [
    pytest.param(STORM, id='429-and-5xx-storm'),
    pytest.param({'lost_response_rate': 0.5, 'lost_response_methods': ['POST'], 'seed': 3}, id='lost-create-responses'),
    pytest.param({'iam_outage_seconds': 3}, id='iam-outage'),
])
def test_recovery_under_faults_creates_exactly_the_plan(sim, tmp_path, backup_dir, faults):
    expected_names, expected_vcs = lose_dal10(sim)
    sim.faults(**faults)
    result = recover(sim, tmp_path, backup_dir)
    assert result.rc == 0, result.output
    assert_recovered_exactly(sim, expected_names, expected_vcs)
    sim.reset_stats()
    again = recover(sim, tmp_path, backup_dir)
    assert again.rc == 0, again.output
    assert sim.stats()['mutating'] == 0
    assert_recovered_exactly(sim, expected_names, expected_vcs)


@pytest.mark.parametrize('sim_options', [{'token_ttl': 2, 'provision_delay': 3, 'vc_delay': 1}], ids=['token-ttl-2s'])
def test_recovery_outlives_its_tokens(sim, tmp_path, backup_dir):
    expected_names, expected_vcs = lose_dal10(sim)
    sim.reset_stats()
    result = recover(sim, tmp_path, backup_dir)
    assert result.rc == 0, result.output
    assert sim.stats()['iam_tokens'] >= 2, 'the run did not last longer than one token'
    assert_recovered_exactly(sim, expected_names, expected_vcs)


@pytest.mark.parametrize('sim_options', [{'provision_delay': 4, 'vc_delay': 1}])
def test_simulator_crash_mid_recovery_then_a_rerun_completes(sim, tmp_path, backup_dir):
    state_file = tmp_path / 'dlsim-state.json'
    sim.stop()
    sim.options['state_file'] = str(state_file)
    sim.start()  # the demo account again, now persisted
    backup_dir = tmp_path / 'persisted-backup'
    assert backup(sim, tmp_path, backup_dir).rc == 0
    expected_names, expected_vcs = lose_dal10(sim)
    with open(tmp_path / 'first-run.log', 'w', encoding='utf-8') as log:
        first = subprocess.Popen(  # pylint: disable=consider-using-with
            [ansible_playbook(), 'cloud_dr.ibm_direct_link.recover', '-i', str(backup_dir), '-e', f'@{DEMO_PLAN}',
             '-e', f'recover_report_dir={tmp_path}', '-e', 'recover_wait_timeout=20', '-f', '10'],
            cwd=tmp_path, env=ansible_environment(sim), stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: any(name.endswith('-dr') for name in gateway_names(sim)))
            sim.kill()
            sim.restart()
            first.wait(timeout=300)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    assert any(name.endswith('-dr') for name in gateway_names(sim)), 'the state file lost the created gateways'
    result = recover(sim, tmp_path, backup_dir)
    assert result.rc == 0, result.output
    assert_recovered_exactly(sim, expected_names, expected_vcs)


@pytest.mark.parametrize('status', ['failed', 'create_rejected'])
def test_a_gateway_that_fails_to_provision_is_named_and_the_others_complete(sim, tmp_path, backup_dir, status):
    expected_names, expected_vcs = lose_dal10(sim)
    reasons = [{'code': 'provider_capacity', 'message': 'The provider has no capacity on this port.'}]
    sim.faults(fail_creates={'count': 1, 'location': 'dal12', 'to': status, 'reasons': reasons})
    result = recover(sim, tmp_path, backup_dir)
    assert result.rc != 0
    failed = [g for g in sim.state()['gateways'] if g['operational_status'] == status]
    assert len(failed) == 1
    failed_name = failed[0]['name']
    host = failed_name[:-len('-dr')].replace('-', '_')
    assert f'{host}' in result.stdout and 'failed=1' in result.stdout
    assert gateway_names(sim) == expected_names
    for name, vcs in expected_vcs.items():
        if name != failed_name:
            assert vc_names(sim, name) == vcs, name
    report = (tmp_path / 'recovery-report.md').read_text()
    assert failed_name in report and status in report and 'The provider has no capacity on this port.' in report


@pytest.mark.parametrize('sim_options', [{'provision_delay': 600, 'vc_delay': 0.3}])
def test_wait_timeout_names_the_last_status_and_a_rerun_resumes(sim, tmp_path, backup_dir):
    expected_names, expected_vcs = lose_dal10(sim)
    result = recover(sim, tmp_path, backup_dir, '-e', 'recover_wait_timeout=2')
    assert result.rc != 0
    assert 'create_pending' in result.output and 'timed out' in result.output.lower()
    for name in expected_vcs:
        sim.advance(name=name, to='provisioned')
    sim.reset_stats()
    again = recover(sim, tmp_path, backup_dir)
    assert again.rc == 0, again.output
    assert sim.stats()['requests'].get('POST /v1/gateways', 0) == 0
    assert_recovered_exactly(sim, expected_names, expected_vcs)


# ------------------------------------------------------------------------------------------------------ verify
def test_verify_under_a_storm_gives_the_fault_free_verdict(sim, tmp_path, backup_dir):
    expected_names, expected_vcs = lose_dal10(sim)
    assert recover(sim, tmp_path, backup_dir).rc == 0
    assert_recovered_exactly(sim, expected_names, expected_vcs)
    sim.faults(**STORM)
    sim.reset_stats()
    result = verify(sim, tmp_path, backup_dir, plan=DEMO_PLAN)
    assert result.rc == 0, result.output
    assert sim.stats()['mutating'] == 0
    replacement = sim.gateway('dal10-connect-primary-dr')
    speed = 2000 if replacement['speed_mbps'] == 1000 else 1000
    sim.faults()
    sim.client().update_gateway(replacement['id'], {'speed_mbps': speed})
    sim.faults(**STORM)
    drifted = verify(sim, tmp_path, backup_dir, plan=DEMO_PLAN)
    assert drifted.rc != 0
    assert f"speed_mbps is {speed}, backup has {replacement['speed_mbps']}" in drifted.output, drifted.output
