"""The collection as users get it: the tarball ``ansible-galaxy collection build`` makes, built once per session."""

import os
import subprocess

import pytest
import yaml

from playbook_runner import COLLECTION_ROOT, ansible_playbook

BIN = os.path.dirname(ansible_playbook())


def galaxy_version():
    with open(os.path.join(COLLECTION_ROOT, 'galaxy.yml'), encoding='utf-8') as stream:
        return yaml.safe_load(stream)['version']


@pytest.fixture(scope='session')
def collection_version():
    """The version galaxy.yml gives the collection."""
    return galaxy_version()


@pytest.fixture(scope='session')
def collection_tarball(tmp_path_factory):
    """The built collection tarball (building costs seconds: once per test session and worker)."""
    build = tmp_path_factory.mktemp('build')
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(build),
                    COLLECTION_ROOT], cwd=str(build), capture_output=True, text=True, check=True)
    tarball = build / f'cloud_dr-ibm_direct_link-{galaxy_version()}.tar.gz'
    assert tarball.is_file(), list(build.iterdir())
    return tarball


@pytest.fixture
def install_collection(collection_tarball):
    """A function that installs the tarball offline, without dependencies, into DIR/ansible_collections."""
    def install(collections_dir, environment):
        collections_dir.mkdir(parents=True, exist_ok=True)
        process = subprocess.run(
            [os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '--no-deps', '--force',
             '-p', str(collections_dir), str(collection_tarball)],
            cwd=str(collections_dir), env=environment, capture_output=True, text=True, check=False)
        assert process.returncode == 0, process.stdout + process.stderr
    return install
