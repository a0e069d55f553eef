"""The JSON reports: each kind's document matches the JSON Schema the collection ships for it (docs/schemas/)."""

import json
import os

import jsonschema
import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import decommission, recovery, recovery_report, report_files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import _rehearsal_report as rehearsal_report
from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import backup_verify
from catalog_stubs import EmptyCatalog

SCHEMAS = os.path.join(os.path.dirname(__file__), '..', '..', 'docs', 'schemas')


def validator(kind):
    with open(os.path.join(SCHEMAS, f'{kind}-report.schema.json'), encoding='utf-8') as stream:
        schema = json.load(stream)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def recovery_document(check_mode=False, result=None):
    section = {'gateway': {'id': 'g1', 'name': 'dal10-connect', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999,
                           'location_name': 'dal10', 'port': 'p1',
                           'virtual_connections': [{'name': 'vc', 'type': 'classic', 'read_only': {'status': 'attached'}}]}}
    replacement = recovery.Replacement('dal10_connect', section)
    recovery.remap(replacement, recovery.Plan({'recover_name_template': '{name}-dr'}), EmptyCatalog())
    plan = {'dal10_connect': {'desired': replacement.desired, 'notes': replacement.notes}}
    result = result if result is not None else {'gateway': {'read_only': {'id': 'n1', 'operational_status': 'provisioned'}},
                                                'virtual_connections': [{'name': 'vc', 'action': 'created', 'status': 'attached'}]}
    return recovery_report.document(plan, {'dal10_connect': result}, [], ['pending one'], check_mode)


@pytest.mark.parametrize('check_mode, result, status', [
    (False, None, 'recovered'), (True, None, 'planned'), (False, {'failed': True, 'msg': 'boom'}, 'failed')])
def test_a_recovery_document_matches_its_schema_and_its_summary_agrees(check_mode, result, status):
    document = recovery_document(check_mode, result)
    validator('recovery').validate(json.loads(report_files.as_json(document)))
    summary = recovery_report.summary(document, '/srv/dr/recovery-report.md')
    assert (document['status'], summary['status']) == (status, status)
    assert summary['report_json'] == '/srv/dr/recovery-report.json'
    assert summary['manual_steps'] == [f'dal10-connect-dr: {step}' for step in document['gateways'][0]['steps']]
    assert summary['gateways_failed'] == (['dal10-connect-dr'] if status == 'failed' else [])


@pytest.mark.parametrize('drift, problems, status, said', [
    ([], [], 'match', 'The live account matches the backup: 1 gateway(s) compared.'),
    (['gw: speed_mbps is 1000'], [], 'drift', '- gw: speed_mbps is 1000'),
    ([], ['manifest: missing'], 'unreadable', '- manifest: missing')])
def test_a_verify_document_matches_its_schema_whatever_its_status(drift, problems, status, said):
    document = backup_verify.document(drift, [], [] if problems else ['gw'], [], problems)
    validator('verify').validate(document)
    assert document['status'] == status and said in backup_verify.markdown(document)
    assert backup_verify.summary(document, '')['report_json'] == ''


def test_a_rehearsal_document_matches_its_schema():
    gateways = {'gw': {'host': 'gw', 'replacement': 'gw-dr', 'type': 'connect', 'result': 'recoverable', 'reasons': [],
                       'from': 'dal10', 'to': 'dal12', 'steps': ['order the circuit'], 'estimate_hours': [4.0, 72.0]}}
    document = rehearsal_report.document(gateways, [], ['other'], 12.5)
    validator('rehearsal').validate(document)
    assert document['status'] == 'passed' and document['rto_hours'] == [4.0, 72.0]
    assert rehearsal_report.document(gateways, ['a problem of the plan'], [], None)['status'] == 'failed'


@pytest.mark.parametrize('result, error, status', [('deleted', None, 'deleted'), ('failed', 'timed out', 'failed')])
def test_a_decommission_document_matches_its_schema(result, error, status):
    gateway = {'name': 'dal10-gw', 'host': 'dal10_gw', 'id': 'g1', 'type': 'connect', 'location_name': 'dal10', 'crn': 'crn:g1',
               'virtual_connections': [{'name': 'vc', 'type': 'vpc', 'id': 'v1', 'network_id': 'crn:vpc'}],
               'replacement': {'name': 'dal10-gw-dr', 'id': None, 'location_name': None, 'operational_status': None},
               'backup_file': {'path': '/srv/b/host_vars/dal10_gw/direct_link.yml', 'sha256': 'a' * 64},
               'forced_past': ['its replacement dal10-gw-dr is not in the account'], 'result': result, 'error': error}
    document = decommission.document('/srv/b', 'b' * 64, [gateway], True, '2025-01-02T03:04:05Z')
    validator('decommission').validate(json.loads(report_files.as_json(document)))
    assert document['status'] == status
    assert '| dal10-gw | g1 | dal10 | ' + result + ' | vc | dal10-gw-dr (missing) |' in decommission.markdown(document)


def test_a_key_the_schema_does_not_document_is_refused():
    document = dict(recovery_document(), surprise=True)
    with pytest.raises(jsonschema.ValidationError, match='surprise'):
        validator('recovery').validate(document)


def test_the_json_report_is_written_beside_the_markdown_one_and_only_rewritten_on_change(tmp_path):
    path = str(tmp_path / 'reports' / 'recovery-report.md')
    document = recovery_document()
    assert report_files.write(path, recovery_report.markdown(document), document) is True
    assert report_files.write(path, recovery_report.markdown(document), document) is False
    with open(tmp_path / 'reports' / 'recovery-report.json', encoding='utf-8') as stream:
        assert json.load(stream) == json.loads(report_files.as_json(document))
    assert oct(os.stat(tmp_path / 'reports').st_mode & 0o777) == '0o700'
    assert oct(os.stat(tmp_path / 'reports' / 'recovery-report.json').st_mode & 0o777) == '0o600'
