"""The backup directory read as untrusted data: only what the backup writes, no symbolic links, bounded YAML,
no journal; and the writer's lock and journal refuse anything that is not the collection's own."""

import json
import os

import backup_writer
import pytest
from backup_writer import write

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery

GATEWAY = {'id': 'g1', 'name': 'gw-1', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999, 'port': 'p1',
           'location_name': 'dal10', 'virtual_connections': []}
HOST = 'gw_1'


def write_backup(root, gateway_text=None):
    """A backup as backup_store writes it (one gateway); ``gateway_text`` replaces its file, checksum included."""
    backup_writer.write_backup(root, GATEWAY, HOST, text=gateway_text)


def problems(root):
    return recovery.read_backup(str(root)).problems


def test_hidden_entries_and_a_readme_are_allowed(tmp_path):
    write_backup(tmp_path)
    write(tmp_path, 'README.md', '# our backups\n')
    write(tmp_path, os.path.join('.git', 'config'), '[core]\n')
    write(tmp_path, os.path.join(files.HOST_VARS, HOST, '.direct-link-abc.tmp'), 'staged')
    assert problems(tmp_path) == []


@pytest.mark.parametrize('relative, reported', [
    ('host_vars/gw_1/zz.yml', 'host_vars/gw_1/zz.yml'),
    ('host_vars/gw_1/more/vars', 'host_vars/gw_1/more'),
    ('host_vars/gw_1.yml', 'host_vars/gw_1.yml'),
    ('group_vars/all/x.yml', 'group_vars/all/x.yml'),
    ('group_vars/direct_link_gateways.yml', 'group_vars/direct_link_gateways.yml'),
    ('hosts.ini', 'hosts.ini'),
    ('extra/inventory.yml', 'extra'),
])
def test_a_file_ansible_would_load_that_the_backup_did_not_write_is_refused(tmp_path, relative, reported):
    write_backup(tmp_path)
    write(tmp_path, relative, 'recover_desired: {name: planted}\n')
    found = problems(tmp_path)
    assert any(p.startswith(f'{tmp_path}/{reported}: not ') for p in found), found


def test_inventory_with_vars_or_extra_hosts_is_refused(tmp_path):
    write_backup(tmp_path)
    path = os.path.join(str(tmp_path), files.INVENTORY)
    with open(path, 'a', encoding='utf-8') as stream:
        stream.write('    planted:\n      hosts: {evil: {ansible_python_interpreter: /tmp/x}}\n')
    assert any(p.startswith(path) and 'not the inventory the backup writes' in p for p in problems(tmp_path))


def test_extra_top_level_keys_in_a_gateway_file_are_refused(tmp_path):
    write_backup(tmp_path, files.gateway_document(HOST, GATEWAY) + 'ansible_python_interpreter: /tmp/x\n')
    assert any("top-level key 'ansible_python_interpreter' is not written by the backup" in p for p in problems(tmp_path))


@pytest.mark.parametrize('linked', [
    os.path.join(files.HOST_VARS, HOST),
    os.path.join(files.HOST_VARS, HOST, files.GATEWAY_FILE),
    files.MANIFEST,
    files.INVENTORY,
    files.CATALOG,
])
def test_symbolic_links_inside_the_backup_are_refused_naming_them(tmp_path, linked):
    root = tmp_path / 'backup'
    write_backup(root)
    write(root, files.CATALOG, files.catalog_document({}))
    target = tmp_path / 'elsewhere'
    os.rename(os.path.join(str(root), linked), str(target))
    os.symlink(str(target), os.path.join(str(root), linked))
    assert any(p == files.symlink_message(os.path.join(str(root), linked)) for p in problems(root)), problems(root)


def test_the_backup_root_itself_may_be_a_symbolic_link(tmp_path):
    write_backup(tmp_path / 'real')
    os.symlink(str(tmp_path / 'real'), str(tmp_path / 'link'))
    assert problems(tmp_path / 'link') == []


def test_a_manifest_host_that_is_a_path_is_refused(tmp_path):
    write_backup(tmp_path)
    path = os.path.join(str(tmp_path), files.MANIFEST)
    with open(path, encoding='utf-8') as stream:
        text = stream.read()
    write(tmp_path, files.MANIFEST, text.replace('    gw_1:\n', "    '../../somewhere':\n"))
    assert problems(tmp_path) == [f"{path}: gateways entry '../../somewhere' is not a host the backup writes (expected a "
                                  f'mapping under a host name {files.HOST_RULE})']


BILLION_LAUGHS = 'direct_link_backup:\n  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + ''.join(
    f'  {chr(98 + i)}: &{chr(98 + i)} [' + ', '.join([f'*{chr(97 + i)}'] * 9) + ']\n' for i in range(8))


def test_yaml_anchors_and_aliases_are_refused_before_they_expand(tmp_path):
    write_backup(tmp_path, BILLION_LAUGHS)
    path = files.gateway_path(str(tmp_path), HOST)
    assert f'{path}: line 2: YAML anchors and aliases are refused' in ' '.join(problems(tmp_path))


def test_deep_nesting_is_refused_with_a_message_not_a_recursion_error(tmp_path):
    write_backup(tmp_path, 'direct_link_backup: ' + '[' * 5000 + ']' * 5000 + '\n')
    found = ' '.join(problems(tmp_path))
    assert f'nested deeper than {files.MAX_DEPTH} levels' in found and 'recursion' not in found


def test_a_manifest_with_too_many_gateways_is_refused(tmp_path):
    entries = {f'gw_{index}': {'sha256': 'x'} for index in range(recovery.MAX_GATEWAYS + 1)}
    write(tmp_path, files.MANIFEST, files.manifest_document({}, 'direct_link_gateways', entries))
    assert any(f'more than a backup holds ({recovery.MAX_GATEWAYS} at most)' in p for p in problems(tmp_path))


def test_gateway_files_that_add_up_to_more_than_a_backup_holds_are_refused(tmp_path, monkeypatch):
    write_backup(tmp_path)
    monkeypatch.setattr(recovery, 'MAX_BACKUP_BYTES', 100)
    assert f'{tmp_path}: the gateway files add up to more than 100 bytes' in ' '.join(problems(tmp_path))


def test_a_directory_with_a_journal_is_refused_with_the_command_that_completes_it(tmp_path):
    write_backup(tmp_path)
    write(tmp_path, files.JOURNAL, '{}')
    assert problems(tmp_path) == [files.resume_hint(str(tmp_path))]
    assert f"backup_store -a 'path={tmp_path} resume_only=true'" in problems(tmp_path)[0]


@pytest.mark.parametrize('journal', [
    {'version': 1, 'renames': [['host_vars/gw_1/.direct-link-x.tmp', '../../outside.yml']], 'prunes': []},
    {'version': 1, 'renames': [['../.direct-link-x.tmp', 'inventory.yml']], 'prunes': []},
    {'version': 1, 'renames': [['host_vars/gw_1/notes.yml', 'host_vars/gw_1/direct_link.yml']], 'prunes': []},
    {'version': 1, 'renames': [], 'prunes': ['../..']},
])
def test_a_journal_naming_anything_but_the_backups_own_files_is_refused(tmp_path, journal):
    write_backup(tmp_path)
    write(tmp_path, files.JOURNAL, json.dumps(journal))
    with pytest.raises(files.BackupPathError, match='it was not written by backup_store'):
        files.complete_journal(str(tmp_path))
    assert os.path.exists(os.path.join(str(tmp_path), files.JOURNAL))


def test_the_lock_is_exclusive_and_waiting_for_it_ends_with_a_message_naming_the_directory(tmp_path):
    message = f'{tmp_path}: another backup has held the directory lock'
    with files.locked(str(tmp_path), 5), pytest.raises(files.BackupPathError, match=message), files.locked(str(tmp_path), 0.2):
        pass
    with files.locked(str(tmp_path), 0):
        pass
