"""The API key is a secret everywhere: no output at -vvv, no file, no report, no log, no git commit."""

import os
import subprocess

from dlsim.iam import DEFAULT_ACCOUNT
from drill import DEMO_PLAN, backup, recover, verify

CANARY = 'canary-5f1e9c-DO-NOT-LEAK-7a2b'


def with_canary_key(sim):
    """Restart the simulator so that it accepts only the canary API key (the demo account)."""
    sim.stop()
    sim.options['api_key'] = [f'{CANARY}:{DEFAULT_ACCOUNT}']
    sim.api_key = CANARY
    sim.start()


def files_holding(root, secret):
    """Every file under ``root`` whose bytes contain ``secret``."""
    found = []
    for path, _dirs, names in os.walk(root):
        for name in names:
            with open(os.path.join(path, name), 'rb') as stream:
                if secret.encode() in stream.read():
                    found.append(os.path.join(path, name))
    return found


def test_the_api_key_never_leaves_the_environment(sim, tmp_path):
    with_canary_key(sim)
    remote = tmp_path / 'remote.git'
    subprocess.run(['git', 'init', '--quiet', '--bare', str(remote)], check=True)
    log = tmp_path / 'ansible.log'
    env = {'ANSIBLE_LOG_PATH': str(log)}
    backup_dir = tmp_path / 'backup'
    runs = {'backup': backup(sim, tmp_path, backup_dir, '-vvv', '-e', 'backup_git=true', '-e', f'backup_git_remote={remote}',
                             env=env)}
    sim.disaster(location='dal10', mode='lost')
    runs['recover --check'] = recover(sim, tmp_path, backup_dir, '-vvv', '--check', '--diff', env=env)
    runs['recover'] = recover(sim, tmp_path, backup_dir, '-vvv', env=env)
    runs['verify'] = verify(sim, tmp_path, backup_dir, '-vvv', plan=DEMO_PLAN, env=env)

    for name, result in runs.items():
        assert result.rc == 0, f'{name}: {result.output}'
        assert CANARY not in result.output, name
    assert (tmp_path / 'recovery-report.md').exists() and log.stat().st_size > 0
    assert files_holding(tmp_path, CANARY) == []  # backup, git objects (compressed), report, log, plan
    history = subprocess.run(['git', '--git-dir', str(remote), 'log', '-p', '--all'], capture_output=True, text=True,
                             check=True).stdout
    assert 'direct_link_backup' in history and CANARY not in history
