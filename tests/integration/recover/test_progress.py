"""A recovery is never silent while it waits: progress lines arrive on the live output while gateways provision."""

import os
import re
import subprocess

import pytest

from drill import DEMO_PLAN, report_document
from playbook_runner import ansible_environment, ansible_playbook

PROGRESS = re.compile(r'^\[localhost\] still waiting, \d+s elapsed; 3 gateway\(s\): \d+ provisioned, .*'
                      r'; 4 virtual connection\(s\): \d+ attached, ')
BATCH_TASK = 'TASK [cloud_dr.ibm_direct_link.recover : Create and await every replacement gateway'


@pytest.fixture
def sim_options():
    return {'provision_delay': 3, 'vc_delay': 1}


def test_progress_lines_arrive_while_the_gateways_are_awaited(sim, tmp_path, backup_dir):
    sim.disaster(location='dal10', mode='lost')
    private_tmp = tmp_path / 'tmp'
    private_tmp.mkdir()
    command = [ansible_playbook(), 'cloud_dr.ibm_direct_link.recover', '-i', str(backup_dir), '-e', f'@{DEMO_PLAN}',
               '-e', f'recover_report_dir={tmp_path}', '-e', 'recover_progress_interval=1', '-e', 'recover_wait_timeout=60']
    environment = ansible_environment(sim, {'TMPDIR': str(private_tmp), 'ANSIBLE_SHOW_CUSTOM_STATS': 'true'})
    lines, live = [], []
    with subprocess.Popen(command, cwd=str(tmp_path), env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as process:
        for line in process.stdout:
            lines.append(line.rstrip('\n'))
            if PROGRESS.match(line):
                live.append(process.poll() is None)
        assert process.wait(timeout=300) == 0, '\n'.join(lines)
    output = '\n'.join(lines)
    assert live and all(live), output
    batch = next(index for index, line in enumerate(lines) if line.startswith(BATCH_TASK))
    result = next(index for index, line in enumerate(lines) if index > batch and line.startswith('changed: [localhost]'))
    recap = next(index for index, line in enumerate(lines) if line.startswith('PLAY RECAP'))
    progress = [index for index, line in enumerate(lines) if PROGRESS.match(line)]
    assert batch < progress[0] and progress[-1] < result < recap, output
    assert any('waiting (LOA 1' in lines[index] for index in progress), output
    # The module's snapshots lived in a private directory of the run's temporary directory, removed afterwards.
    assert not os.listdir(private_tmp)
    report = report_document(tmp_path / 'recovery-report.json')
    assert report['status'] == 'recovered' and len(report['gateways']) == 3
    assert 'CUSTOM STATS' in output and '"cloud_dr_recovery"' in output
