"""A first backup: each gateway document is built once, unless another run wrote the directory before the lock was taken."""

import contextlib
import os

import backup_writer

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import backup_store

GATEWAYS = [{'id': f'g{number}', 'name': f'gw{number}', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999,
             'port': 'p1', 'location_name': 'dal10', 'virtual_connections': []} for number in range(3)]
OTHER = {'id': 'g-other', 'name': 'other', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64998, 'port': 'p1',
         'location_name': 'dal10', 'virtual_connections': []}


def params(root):
    return {'path': str(root), 'gateways': GATEWAYS, 'import_cli_dir': None, 'source': {'account_id': 'a'},
            'inventory_group': backup_writer.GROUP, 'allow_shrink': False, 'prune': False, 'catalog': None,
            'lock_timeout': 5, 'resume_only': False}


def counting_documents(monkeypatch):
    """Count the gateway documents built from now on."""
    built = []
    document = files.gateway_document

    def counted(host, gateway, present=True):
        built.append(host)
        return document(host, gateway, present)
    monkeypatch.setattr(files, 'gateway_document', counted)
    return built


def manifest_hosts(root):
    with open(os.path.join(str(root), files.MANIFEST), encoding='utf-8') as stream:
        manifest = files.load(stream.read())
    return {host: entry['present'] for host, entry in manifest[files.MANIFEST_KEY]['gateways'].items()}


def test_a_first_backup_builds_each_gateway_document_once(tmp_path, monkeypatch):
    built = counting_documents(monkeypatch)
    changed, result = backup_store.store(params(tmp_path / 'backup'))
    assert changed and result['added'] == ['gw0', 'gw1', 'gw2']
    assert sorted(built) == ['gw0', 'gw1', 'gw2']
    assert manifest_hosts(tmp_path / 'backup') == {'gw0': True, 'gw1': True, 'gw2': True}


def test_a_first_backup_plans_again_when_another_run_wrote_the_directory_before_it_took_the_lock(tmp_path, monkeypatch):
    root = tmp_path / 'backup'
    locked = files.locked

    @contextlib.contextmanager
    def another_run_first(path, timeout):
        backup_writer.write_backup(path, OTHER, 'other')
        with locked(path, timeout):
            yield
    monkeypatch.setattr(files, 'locked', another_run_first)
    built = counting_documents(monkeypatch)
    _changed, result = backup_store.store(params(root))
    assert result['absent'] == ['other'] and result['added'] == ['gw0', 'gw1', 'gw2']
    assert sorted(built).count('gw0') == 2
    assert manifest_hosts(root) == {'gw0': True, 'gw1': True, 'gw2': True, 'other': False}
