"""The released artifact works on its own: the built tarball holds the collection and nothing else, and once
installed offline into an empty collections path it is the only collection Ansible sees (test_install_layouts runs
the playbooks from every install layout)."""

import json
import os
import subprocess
import tarfile

import pytest

from playbook_runner import ansible_playbook

BIN = os.path.dirname(ansible_playbook())

# What a user gets must stay a small download: no virtualenv, test output, benchmark or demo files.
MAX_TARBALL_BYTES = 400 * 1024
NEVER_SHIPPED = ('.venv/', 'tests/', 'tools/', 'extensions/', 'docs/docsite/',
                 '.git/', 'bench-results/', 'demo-output/', 'context/', 'Makefile', 'pytest.ini', 'ansible.cfg',
                 'requirements-test.txt', 'requirements-awx.txt', 'execution-environment.yml')


@pytest.fixture
def installed(tmp_path, install_collection):
    """(environment, collections dir): the built tarball installed offline into a fresh collections path only."""
    collections = tmp_path / 'collections'
    config = tmp_path / 'ansible.cfg'
    config.write_text('[defaults]\n')
    environment = {
        'ANSIBLE_CONFIG': str(config),                 # not the repository's, which points at .venv/collections
        'ANSIBLE_COLLECTIONS_PATH': str(collections),  # only the fresh directory ...
        'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'false',  # ... and no ansible_collections on sys.path
        'ANSIBLE_GALAXY_SERVER_LIST': '',
    }
    install_collection(collections, dict(os.environ, **environment))
    return environment, collections


def test_the_tarball_is_small_and_holds_only_the_collection(collection_tarball):
    tarball = collection_tarball
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
                     'playbooks/rehearse.yml', 'simulator/dlsim/server.py'):
        assert required in names, required


def test_the_installed_collection_is_the_only_one_ansible_sees(installed, collection_version):
    environment, collections = installed
    listing = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'list', '--format', 'json'],
                             env=dict(os.environ, **environment), capture_output=True, text=True, check=True)
    found = json.loads(listing.stdout)
    fresh = str(collections / 'ansible_collections')
    assert found[fresh] == {'cloud_dr.ibm_direct_link': {'version': collection_version}}
    # Besides the fresh directory, only ansible-core's own internal collections (ansible._protomatter).
    others = {path for path in found if path != fresh}
    assert all(os.sep + os.path.join('ansible', '_internal', 'ansible_collections') in path for path in others), others
    doc = subprocess.run([os.path.join(BIN, 'ansible-doc'), '--json', 'cloud_dr.ibm_direct_link.gateway_info'],
                         env=dict(os.environ, **environment), capture_output=True, text=True, check=True)
    filename = json.loads(doc.stdout)['cloud_dr.ibm_direct_link.gateway_info']['doc']['filename']
    assert filename.startswith(str(collections)), filename
