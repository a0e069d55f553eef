"""The released artifact works on its own: build the tarball, install it offline into an empty collections path,
and run the collection's playbooks from there (and from nowhere else) against the simulator."""

import json
import os
import subprocess
import tarfile

import pytest
import yaml

from dlsim.playbook import COLLECTION_ROOT, ansible_playbook, run_playbook
from drill import DEMO_PLAN

BIN = os.path.dirname(ansible_playbook())
# What a user gets must stay a small download: no virtualenv, test output, benchmark or demo files.
MAX_TARBALL_BYTES = 400 * 1024
NEVER_SHIPPED = ('.venv/', 'tests/unit/', 'tests/integration/', 'tests/perf/', 'tests/output/', 'tools/', 'extensions/',
                 '.git/', 'bench-results/', 'demo-output/', 'context/', 'Makefile', 'pytest.ini', 'ansible.cfg',
                 'requirements-test.txt', 'execution-environment.yml')


def galaxy_version():
    with open(os.path.join(COLLECTION_ROOT, 'galaxy.yml'), encoding='utf-8') as stream:
        return yaml.safe_load(stream)['version']


@pytest.fixture
def installed(tmp_path):
    """(environment, collections dir): the built tarball installed offline into a fresh collections path only."""
    build = tmp_path / 'build'
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(build),
                    COLLECTION_ROOT], cwd=str(tmp_path), capture_output=True, text=True, check=True)
    tarball = build / f'cloud_dr-ibm_direct_link-{galaxy_version()}.tar.gz'
    assert tarball.is_file(), list(build.iterdir())
    collections = tmp_path / 'collections'
    config = tmp_path / 'ansible.cfg'
    config.write_text('[defaults]\n')
    environment = {
        'ANSIBLE_CONFIG': str(config),                 # not the repository's, which points at .venv/collections
        'ANSIBLE_COLLECTIONS_PATH': str(collections),  # only the fresh directory ...
        'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'false',  # ... and no ansible_collections on sys.path
        'ANSIBLE_GALAXY_SERVER_LIST': '',
    }
    install = subprocess.run(
        [os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '--no-deps', '-p', str(collections),
         str(tarball)], cwd=str(tmp_path), env=dict(os.environ, **environment), capture_output=True, text=True,
        check=False)
    assert install.returncode == 0, install.stdout + install.stderr
    return tarball, environment, collections


def test_the_tarball_is_small_and_holds_only_the_collection(installed):
    tarball, _environment, _collections = installed
    size = tarball.stat().st_size
    assert size < MAX_TARBALL_BYTES, f'{tarball.name} is {size} bytes'
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    for name in names:
        assert not name.startswith(NEVER_SHIPPED) and name not in NEVER_SHIPPED, name
        assert '__pycache__' not in name and not name.endswith('.pyc'), name
    for required in ('MANIFEST.json', 'FILES.json', 'meta/runtime.yml', 'meta/execution-environment.yml',
                     'meta/ee-requirements.txt', 'playbooks/backup.yml', 'playbooks/recover.yml', 'playbooks/verify.yml',
                     'roles/recover/meta/argument_specs.yml', 'plugins/modules/gateway.py', 'README.md', 'LICENSE',
                     'playbooks/rehearse.yml', 'tests/dlsim/src/dlsim/server.py'):
        assert required in names, required


def test_the_installed_collection_is_the_only_one_ansible_sees(installed):
    _tarball, environment, collections = installed
    listing = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'list', '--format', 'json'],
                             env=dict(os.environ, **environment), capture_output=True, text=True, check=True)
    found = json.loads(listing.stdout)
    fresh = str(collections / 'ansible_collections')
    assert found[fresh] == {'cloud_dr.ibm_direct_link': {'version': galaxy_version()}}
    # Besides the fresh directory, only ansible-core's own internal collections (ansible._protomatter).
    others = {path for path in found if path != fresh}
    assert all(os.sep + os.path.join('ansible', '_internal', 'ansible_collections') in path for path in others), others
    doc = subprocess.run([os.path.join(BIN, 'ansible-doc'), '--json', 'cloud_dr.ibm_direct_link.gateway_info'],
                         env=dict(os.environ, **environment), capture_output=True, text=True, check=True)
    filename = json.loads(doc.stdout)['cloud_dr.ibm_direct_link.gateway_info']['doc']['filename']
    assert filename.startswith(str(collections)), filename


def test_backup_verify_and_rehearse_run_from_the_installed_collection(sim, tmp_path, installed):
    _tarball, environment, _collections = installed
    backup_dir = tmp_path / 'backup'
    backup = run_playbook(sim, 'cloud_dr.ibm_direct_link.backup', tmp_path, ['-e', f'backup_dir={backup_dir}'],
                          env=environment)
    assert backup.rc == 0, backup.output
    assert (backup_dir / 'group_vars' / 'all' / 'direct_link_manifest.yml').is_file()
    verify = run_playbook(sim, 'cloud_dr.ibm_direct_link.verify', tmp_path, ['-i', str(backup_dir)], env=environment)
    assert verify.rc == 0, verify.output
    assert '5 gateways match the backup' in verify.stdout
    sim.reset_stats()
    rehearsal = run_playbook(sim, 'cloud_dr.ibm_direct_link.rehearse', tmp_path,
                             ['-i', str(backup_dir), '-e', f'@{DEMO_PLAN}', '-e', f'rehearse_dir={tmp_path / "rehearsal"}'],
                             env=environment)
    assert rehearsal.rc == 0, rehearsal.output
    assert sim.stats()['total'] == 0
