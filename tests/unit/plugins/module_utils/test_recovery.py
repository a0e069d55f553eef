"""Recovery planning: backup reading (schema, checksums, structure) and plan validation."""

import os

import backup_writer

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery

GATEWAY = {'id': 'g1', 'name': 'gw-{{ lookup("pipe", "id") }}', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999,
           'port': 'p1', 'location_name': 'dal10', 'virtual_connections': []}


def write_backup(root, gateway=None, text=None):
    """The one-gateway backup of host ``gw``; returns its gateway file."""
    return backup_writer.write_backup(root, gateway or GATEWAY, 'gw', text=text)


def test_a_clean_backup_reads_back_and_template_text_stays_data(tmp_path):
    path = write_backup(tmp_path)
    with open(path, encoding='utf-8') as stream:
        assert 'name: !unsafe gw-{{ lookup("pipe", "id") }}' in stream.read()
    backup = recovery.read_backup(str(tmp_path))
    assert backup.problems == [] and backup.gateways['gw']['gateway']['name'] == GATEWAY['name']


def test_edited_truncated_and_unlisted_files_are_problems(tmp_path):
    path = write_backup(tmp_path)
    with open(path, 'a', encoding='utf-8') as stream:
        stream.write('# edited\n')
    os.makedirs(os.path.join(str(tmp_path), files.HOST_VARS, 'intruder'))
    problems = recovery.read_backup(str(tmp_path)).problems
    assert any('checksum does not match the manifest' in p for p in problems)
    assert any('intruder: not listed in the manifest' in p for p in problems)


def test_wrong_types_and_schema_versions_name_the_file_and_field(tmp_path):
    text = files.gateway_document('gw', dict(GATEWAY, speed_mbps='fast'))
    path = write_backup(tmp_path, gateway=dict(GATEWAY, speed_mbps='fast'), text=text)
    problems = recovery.read_backup(str(tmp_path)).problems
    assert any(p.startswith(path) and "gateway.speed_mbps is 'fast', expected int" in p for p in problems), problems

    future = text.replace(f'schema_version: {files.SCHEMA_VERSION}', 'schema_version: 99')
    assert future != text
    path = write_backup(tmp_path / 'future', gateway=dict(GATEWAY, speed_mbps='fast'), text=future)
    problems = recovery.read_backup(str(tmp_path / 'future')).problems
    assert any(p.startswith(path) and 'schema_version 99 is not supported' in p for p in problems), problems


def test_plan_typos_and_types_are_reported():
    plan = recovery.Plan({'recover_location_map': ['dal10'], 'recover_bgp': 'sometimes', 'recover_name_template': 'fixed'})
    problems = plan.problems(['recover_locaton_map', 'recover_bgp'])
    assert any('unknown key recover_locaton_map (did you mean recover_location_map?)' in p for p in problems)
    assert any('recover_location_map must be a mapping' in p for p in problems)
    assert any("recover_bgp is 'sometimes'" in p for p in problems)
    assert any('must contain' in p for p in problems)


def test_name_template_is_substituted_never_templated():
    assert recovery.Plan({'recover_name_template': '{{ name }}-dr'}).new_name('a{{b}}') == 'a{{b}}-dr'
    assert recovery.Plan({}).new_name('x') == 'x'
