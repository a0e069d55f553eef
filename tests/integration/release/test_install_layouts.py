"""Every playbook works wherever a user can install the collection, from any working directory, with nothing else
configured.

The built tarball is installed (``ansible-galaxy collection install --offline --no-deps --force -p``) into one of
the places Ansible finds collections, and the playbooks run from a directory outside the repository, with an
environment stripped of every ``ANSIBLE_*`` variable and of the Makefile's settings (its PATH entry, the repository's
ansible.cfg), and a temporary HOME (so that the real ~/.ansible cannot supply the collection):

* ``project``: a project directory whose ansible.cfg says ``collections_path = ./collections``, playbooks run from it;
* ``env``: ANSIBLE_COLLECTIONS_PATH;
* ``home``: the first default path, ~/.ansible/collections;
* ``ee``: the second default path, /usr/share/ansible/collections, where ansible-builder installs collections in an
  execution environment. That directory does not exist on this machine and the test must not write into /usr/share:
  each command runs in a private mount namespace (``unshare --mount``, we are root) in which an overlay mounted on
  /usr/share shows the real /usr/share plus a temporary upper directory that holds ansible/collections. Nothing
  outside the namespace sees it (the test checks /usr/share/ansible is not created).

The project layout runs the whole sequence (backup, verify, rehearse, then recover in check mode and for real after
the demo disaster); the others run backup, verify and rehearse, which itself starts recover and verify runs.
"""

import json
import os
import shutil
import subprocess

import pytest

from drill import DAL10, DEMO_PLAN
from playbook_runner import PlaybookResult, ansible_playbook

BIN = os.path.dirname(ansible_playbook())
USR_SHARE = '/usr/share'
EE_COLLECTIONS = os.path.join(USR_SHARE, 'ansible', 'collections')
NEEDS_A_MOUNT_NAMESPACE = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which('unshare'),
                                             reason='the ee layout mounts an overlay in a private mount namespace')
CREDENTIALS = ('IC_API_KEY', 'IBMCLOUD_API_KEY', 'IBMCLOUD_DL_API_ENDPOINT', 'IBMCLOUD_IAM_API_ENDPOINT')


def bare_environment(home):
    """The test's environment without any Ansible setting, credential, virtualenv or the Makefile's PATH entry."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith('ANSIBLE_') and name not in CREDENTIALS + ('VIRTUAL_ENV', 'PYTHONPATH')}
    environment['PATH'] = os.pathsep.join(entry for entry in os.environ.get('PATH', '').split(os.pathsep)
                                          if entry and os.path.realpath(entry) != os.path.realpath(BIN))
    environment['HOME'] = str(home)
    return environment


class Layout:
    """The collection installed one way under ``base`` (``install_dir``, seen by Ansible at ``found_at``), and how
    playbooks run there."""

    def __init__(self, kind, base):
        self.kind = kind
        self.home = base / 'home'
        self.workdir = base / 'work'  # where the playbooks run from: outside the repository
        self.extra = {}               # environment that this layout (and only it) configures
        self.prefix = []              # what every command runs inside
        self.install_dir = self.found_at = None
        getattr(self, f'_set_up_{kind}')(base)
        self.found_at = self.found_at or self.install_dir
        self.home.mkdir(parents=True, exist_ok=True)
        self.workdir.mkdir(parents=True, exist_ok=True)

    def _set_up_project(self, base):
        self.workdir = base / 'project'
        self.workdir.mkdir(parents=True)
        (self.workdir / 'ansible.cfg').write_text('[defaults]\ncollections_path = ./collections\n')
        self.install_dir = self.workdir / 'collections'

    def _set_up_env(self, base):
        self.install_dir = base / 'collections'
        self.extra = {'ANSIBLE_COLLECTIONS_PATH': str(self.install_dir)}

    def _set_up_home(self, _base):
        self.install_dir = self.home / '.ansible' / 'collections'

    def _set_up_ee(self, base):
        upper, overlay_work = base / 'usr-share-upper', base / 'usr-share-work'
        overlay_work.mkdir(parents=True)
        self.install_dir = upper / 'ansible' / 'collections'
        self.found_at = EE_COLLECTIONS
        self.prefix = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c',
                       f'mount -t overlay overlay -o lowerdir={USR_SHARE},upperdir={upper},workdir={overlay_work} '
                       f'{USR_SHARE} && exec "$@"', 'sh']

    def environment(self, sim=None):
        return dict(bare_environment(self.home), **self.extra, **(sim.environment() if sim else {}))

    def run(self, argv, sim=None, timeout=600):
        process = subprocess.run([*self.prefix, *argv], cwd=str(self.workdir), env=self.environment(sim),
                                 capture_output=True, text=True, timeout=timeout, check=False)
        return PlaybookResult(process.returncode, process.stdout, process.stderr, {})

    def playbook(self, sim, name, *args):
        return self.run([ansible_playbook(), f'cloud_dr.ibm_direct_link.{name}', *args], sim)

    def collection_paths(self):
        """Where ansible-galaxy finds cloud_dr.ibm_direct_link in this layout."""
        listing = self.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'list', 'cloud_dr.ibm_direct_link',
                            '--format', 'json'])
        assert listing.rc == 0, listing.output
        return sorted(path for path, found in json.loads(listing.stdout).items() if found)


@pytest.fixture
def layout(request, tmp_path, install_collection):
    """The tarball installed in the layout the test is parametrized with (``kind``), and nowhere else."""
    usr_share_had_no_ansible = not os.path.exists(os.path.join(USR_SHARE, 'ansible'))
    installed = Layout(request.param, tmp_path / 'layout')
    install_collection(installed.install_dir, bare_environment(installed.home))
    assert installed.collection_paths() == [os.path.join(installed.found_at, 'ansible_collections')]
    yield installed
    if usr_share_had_no_ansible:
        assert not os.path.exists(os.path.join(USR_SHARE, 'ansible')), 'the overlay leaked out of its namespace'


def given(layout, backup_dir):
    """How the playbooks are given the backup: as the inventory in two layouts, as data (backup_dir) in the others."""
    return ['-i', str(backup_dir)] if layout.kind in ('project', 'home') else ['-e', f'backup_dir={backup_dir}']


def backup_verify_and_rehearse(sim, layout, tmp_path):
    """The backup, verify and rehearse playbooks from the layout; returns the backup directory.

    The env layout gives both directories relative to its working directory, as a user typing them would: they
    must be that directory's, not the installed playbooks' (where modules run), and the verify report goes beside
    the backup there."""
    relative = layout.kind == 'env'
    base = layout.workdir if relative else tmp_path
    backup_dir, rehearsal_dir = base / 'backup', base / 'rehearsal'
    typed = (lambda path: path.relative_to(base)) if relative else (lambda path: path)
    backup = layout.playbook(sim, 'backup', '-e', f'backup_dir={typed(backup_dir)}')
    assert backup.rc == 0, backup.output
    assert (backup_dir / 'group_vars' / 'all' / 'direct_link_manifest.yml').is_file()
    verify = layout.playbook(sim, 'verify', *given(layout, typed(backup_dir)))
    assert verify.rc == 0, verify.output
    assert '5 gateways match the backup' in verify.stdout
    assert (base / 'verify-report.json').is_file()
    sim.reset_stats()
    rehearsal = layout.playbook(sim, 'rehearse', *given(layout, typed(backup_dir)), '-e', f'@{DEMO_PLAN}',
                                '-e', f'rehearse_dir={typed(rehearsal_dir)}')
    assert rehearsal.rc == 0, rehearsal.output + ''.join(
        path.read_text() for path in sorted(rehearsal_dir.glob('*.log')))
    assert sim.stats()['total'] == 0, 'the rehearsal reached production'
    report = (rehearsal_dir / 'rehearsal-report.md').read_text()
    assert all(f'| {name} → {name}-dr |' in report for name in DAL10) and '| blocked |' not in report, report
    assert 'PLAY RECAP' in (rehearsal_dir / 'recover.log').read_text()
    return backup_dir


@pytest.mark.parametrize('layout', ['project'], indirect=True)
def test_every_playbook_runs_from_a_project_directory_with_its_collections_path(sim, tmp_path, layout):
    backup_dir = backup_verify_and_rehearse(sim, layout, tmp_path)
    sim.disaster(location='dal10', mode='lost')
    # The backup as data here (verify and rehearse had it as the inventory): the suites recover with -i.
    recover_args = ['-e', f'backup_dir={backup_dir}', '-e', f'@{DEMO_PLAN}', '-e', f'recover_report_dir={tmp_path}']
    sim.reset_stats()
    planned = layout.playbook(sim, 'recover', *recover_args, '--check', '--diff')
    assert planned.rc == 0, planned.output
    assert sim.stats()['mutating'] == 0
    recovered = layout.playbook(sim, 'recover', *recover_args)
    assert recovered.rc == 0, recovered.output
    assert all(sim.gateway(f'{name}-dr')['location_name'] == 'dal12' for name in DAL10)
    assert (tmp_path / 'recovery-report.md').is_file()


@pytest.mark.parametrize('layout', ['env', 'home', pytest.param('ee', marks=NEEDS_A_MOUNT_NAMESPACE)], indirect=True)
def test_backup_verify_and_rehearse_run_from_the_layout(sim, tmp_path, layout):
    backup_verify_and_rehearse(sim, layout, tmp_path)
