"""Importing a backup made with the IBM Cloud CLI: file shapes across CLI versions, what it cannot carry, errors."""

import codecs
import json

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import cli_export
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.cli_export import CliExportError, read_cli_export

ACCOUNT = '4111d05f36894e3cb9b46a43556d9000'
OTHER = '7e2f9c3d1a8b4c5d9e0f1a2b3c4d5e6f'
KEY = f'crn:v1:bluemix:public:kms:us-south:a/{ACCOUNT}:key-ring:key:'


def listed(gateway_id, name, account=ACCOUNT, **extra):
    """A gateway as `ibmcloud dl gateways --output json` lists it."""
    item = {'id': gateway_id, 'name': name, 'type': 'dedicated', 'speed_mbps': 10000, 'global': True, 'metered': False,
            'bgp_asn': 64997, 'location_name': 'dal10', 'cross_connect_router': 'xcr01.dal10', 'carrier_name': 'c',
            'customer_name': 'x', 'operational_status': 'provisioned', 'created_at': '2026-01-01T00:00:00Z',
            'crn': f'crn:v1:bluemix:public:directlink:dal10:a/{account}::dedicated:{gateway_id}'}
    item.update(extra)
    return item


def vcs_of(*pairs):
    return [{'id': f'vc-{name}', 'name': name, 'type': 'classic', 'status': status, 'created_at': '2026-01-01T00:00:00Z'}
            for name, status in pairs]


def export(tmp_path, gateways, vcs=None, raw=None):
    """Write an export directory: gateways.json as JSON (or ``raw`` bytes), and VC files by gateway id."""
    (tmp_path / 'gateways.json').write_bytes(raw if raw is not None else json.dumps(gateways).encode())
    for gateway_id, content in (vcs or {}).items():
        (tmp_path / f'virtual-connections-{gateway_id}.json').write_text(json.dumps(content))
    return str(tmp_path)


def missing_fields(gateway):
    return [entry['field'] for entry in gateway['missing']]


@pytest.mark.parametrize('raw', [
    json.dumps([listed('g1', 'gw')]).encode(),
    json.dumps({'gateways': [listed('g1', 'gw')]}).encode(),
    b'OK\n' + json.dumps([listed('g1', 'gw')], indent=2).encode() + b'\nOK\n\n',
    codecs.BOM_UTF8 + json.dumps([listed('g1', 'gw')]).encode(),
    codecs.BOM_UTF16_LE + json.dumps([listed('g1', 'gw')]).encode('utf-16-le'),
    codecs.BOM_UTF16_BE + json.dumps([listed('g1', 'gw')]).encode('utf-16-be'),
], ids=['bare-array', 'wrapper', 'ok-lines', 'utf8-bom', 'utf16le-bom', 'utf16be-bom'])
def test_every_shape_the_cli_writes_reads_the_same(tmp_path, raw):
    gateways, source = read_cli_export(export(tmp_path, None, {'g1': {'virtual_connections': vcs_of(('a', 'attached'))}}, raw=raw))
    assert [gateway['name'] for gateway in gateways] == ['gw']
    assert gateways[0]['virtual_connections'][0]['read_only']['status'] == 'attached'
    assert source == {'account_id': ACCOUNT}


@pytest.mark.parametrize('content', ['', 'OK\n', '{}', '{"gateways": null}', '[]'])
def test_an_empty_or_absent_list_means_no_gateways(tmp_path, content):
    assert read_cli_export(export(tmp_path, None, raw=content.encode())) == ([], {})


def test_route_filters_are_always_missing_and_a_missing_vc_file_is_not_an_empty_list(tmp_path):
    directory = export(tmp_path, [listed('g1', 'with-file'), listed('g2', 'without-file')], {'g1': []})
    with_file, without_file = read_cli_export(directory)[0]
    assert missing_fields(with_file) == ['route_filters'] and with_file['virtual_connections'] == []
    assert missing_fields(without_file) == ['route_filters', 'virtual_connections']
    assert 'virtual_connections' not in without_file
    assert 'virtual-connections-g2.json is not in the export' in without_file['missing'][1]['reason']


def test_cross_account_gateways_are_left_out(tmp_path):
    theirs = {'id': 'g9', 'name': 'theirs', 'cross_account': True,
              'crn': f'crn:v1:bluemix:public:directlink:dal10:a/{OTHER}::connect:g9'}
    directory = export(tmp_path, [listed('g1', 'own'), theirs])
    gateways, source = read_cli_export(directory)
    assert [gateway['name'] for gateway in gateways] == ['own'] and source == {'account_id': ACCOUNT}


def test_active_macsec_without_caks_is_kept_and_recorded_as_missing(tmp_path):
    macsec = {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
              'window_size': 512, 'status': 'secured', 'status_reasons': []}
    gateway = read_cli_export(export(tmp_path, [listed('g1', 'gw', macsec=macsec)], {'g1': []}))[0][0]
    assert gateway['macsec'] == {'active': True, 'security_policy': 'must_secure', 'window_size': 512,
                                 'sak_rekey': {'mode': 'timer', 'interval': 3600}}
    reason = gateway['missing'][0]['reason']
    assert missing_fields(gateway) == ['macsec', 'route_filters']
    assert 'MACsec was active (must_secure)' in reason and 'CAKs' in reason and 'SAK rekey' not in reason
    assert 'macsec' not in gateway['read_only']


def test_the_list_form_without_sak_rekey_says_that_too(tmp_path):
    macsec = {'active': True, 'security_policy': 'should_secure', 'status': 'secured', 'status_reasons': []}
    gateway = read_cli_export(export(tmp_path, [listed('g1', 'gw', macsec=macsec)], {'g1': []}))[0][0]
    assert 'sak_rekey' not in gateway['macsec'] and 'the SAK rekey setting' in gateway['missing'][0]['reason']


def test_the_older_macsec_config_form_maps_what_it_can(tmp_path):
    older = {'active': True, 'security_policy': 'must_secure', 'sak_expiry_time': 3600, 'window_size': 148809600,
             'status': 'secured', 'primary_cak': {'crn': KEY + 'primary'}, 'fallback_cak': {'crn': KEY + 'fallback'}}
    gateway = read_cli_export(export(tmp_path, [listed('g1', 'gw', macsec_config=older)], {'g1': []}))[0][0]
    assert gateway['macsec'] == {'active': True, 'security_policy': 'must_secure', 'window_size': 148809600,
                                 'sak_rekey': {'mode': 'timer', 'interval': 3600}}
    reason = gateway['missing'][0]['reason']
    assert f'{KEY}primary (primary)' in reason and f'{KEY}fallback (fallback)' in reason and 'not the CAK names' in reason
    assert 'macsec_config' not in gateway['read_only']


def test_the_account_comes_from_the_crns_and_they_must_agree(tmp_path):
    directory = export(tmp_path, [listed('g1', 'a'), listed('g2', 'b', account=OTHER), listed('g3', 'c')])
    with pytest.raises(CliExportError) as error:
        read_cli_export(directory)
    assert f'gateways.json: the gateways belong to different accounts ({ACCOUNT}: a, c; {OTHER}: b)' in str(error.value)


@pytest.mark.parametrize('gateways, vcs, expected', [
    ([listed('g1', 'gw', speed_mbps='fast')], {}, "gateways.json: gateway[0] ('gw'): speed_mbps is 'fast', expected an integer"),
    ([listed('g1', 'gw', port='p1')], {}, "gateway[0] ('gw'): port is 'p1', expected a mapping with an id"),
    ([listed('g1', 'gw', type='virtual')], {}, "gateway[0] ('gw'): type is 'virtual', expected 'connect' or 'dedicated'"),
    ([{'name': 'gw'}], {}, "gateways.json: gateway[0] ('gw'): id is None, expected a non-empty string"),
    (['gw'], {}, 'gateways.json: gateway[0] is str, expected a gateway mapping'),
    ({'gateways': {'g1': {}}}, {}, 'gateways.json: expected a list of gateways'),
    ([listed('g1', 'gw')], {'g1': [{'name': 'vc'}]},
     "virtual-connections-g1.json: gateway 'gw': virtual_connections[0].type is None, expected a non-empty string"),
    ([listed('g1', 'gw')], {'g1': {'virtual_connections': 'none'}}, 'virtual-connections-g1.json: expected a list'),
], ids=['speed', 'port', 'type', 'no-id', 'not-a-mapping', 'wrapper-of-a-mapping', 'vc-type', 'vc-wrapper'])
def test_bad_content_names_the_file_gateway_and_field(tmp_path, gateways, vcs, expected):
    with pytest.raises(CliExportError) as error:
        read_cli_export(export(tmp_path, gateways, vcs))
    assert expected in str(error.value)


@pytest.mark.parametrize('raw, expected', [
    (b'Retrieving gateways...\n[]', "gateways.json: line 1 is 'Retrieving gateways...', expected JSON"),
    (b'[]\nFAILED\n', "gateways.json: unexpected text after the JSON: 'FAILED'"),
    (b'[{"id": ', 'gateways.json is not valid JSON'),
    (b'\xff\xfe\xff[]', 'not UTF-8 or UTF-16 text'),
    (b'[]\xff', 'gateways.json: not UTF-8 or UTF-16 text'),
], ids=['leading-text', 'trailing-text', 'truncated', 'bad-utf16', 'bad-utf8'])
def test_files_that_are_not_cli_json_are_refused_clearly(tmp_path, raw, expected):
    with pytest.raises(CliExportError) as error:
        read_cli_export(export(tmp_path, None, raw=raw))
    assert expected in str(error.value)


def test_files_are_read_with_a_size_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_export, 'GATEWAYS_MAX_BYTES', 100)
    with pytest.raises(CliExportError) as error:
        read_cli_export(export(tmp_path, [listed('g1', 'gw')]))
    assert 'gateways.json: larger than 100 bytes' in str(error.value)


def test_a_missing_gateways_file_says_how_to_make_it(tmp_path):
    with pytest.raises(CliExportError) as error:
        read_cli_export(str(tmp_path))
    assert "gateways.json is missing: save it with 'ibmcloud dl gateways --output json > gateways.json'" in str(error.value)


def test_the_backup_file_keeps_missing_and_each_vc_status_only(tmp_path):
    gateway = read_cli_export(export(tmp_path, [listed('g1', 'gw')], {'g1': vcs_of(('old', 'detached_by_network'))}))[0][0]
    section = files.load(files.gateway_document('gw', gateway))[files.BACKUP_KEY]
    assert section['missing'] == gateway['missing']
    assert section['gateway']['virtual_connections'] == [{'name': 'old', 'type': 'classic',
                                                          'read_only': {'status': 'detached_by_network'}}]
    assert 'missing' not in section['gateway'] and section['source']['crn'].endswith('::dedicated:g1')
    api_section = files.load(files.gateway_document('gw', {'id': 'g1', 'name': 'gw'}))[files.BACKUP_KEY]
    assert 'missing' not in api_section


@pytest.mark.parametrize('extra, expected', [
    ({'bfd_config': {'interval': '2s'}}, "gateway[0] ('gw'): bfd_config.interval is '2s', expected an integer (milliseconds)"),
    ({'macsec': {'active': 'yes'}}, "gateway[0] ('gw'): macsec.active is 'yes', expected true or false"),
    ({'macsec': {'active': True, 'sak_rekey': {}}}, "gateway[0] ('gw'): macsec.sak_rekey is {}, expected a mapping with a mode"),
    ({'macsec_config': {'sak_expiry_time': '1h'}}, "macsec_config.sak_expiry_time is '1h', expected an integer (seconds)"),
    ({'as_prepends': [{'length': 3}]}, "gateway[0] ('gw'): as_prepends[0] is {'length': 3}, expected a mapping with length and policy"),
    ({'as_prepends': [{'length': 3, 'policy': 'export', 'specific_prefixes': '10.0.0.0/8'}]},
     "as_prepends[0].specific_prefixes is '10.0.0.0/8', expected a list of prefixes"),
], ids=['bfd-interval', 'macsec-active', 'sak-rekey', 'sak-expiry', 'prepend-policy', 'prepend-prefixes'])
def test_nested_fields_are_checked_before_conversion(tmp_path, extra, expected):
    with pytest.raises(CliExportError) as error:
        read_cli_export(export(tmp_path, [listed('g1', 'gw', **extra)]))
    assert expected in str(error.value)


def test_a_gateways_file_that_is_not_a_regular_file_is_refused(tmp_path):
    (tmp_path / 'gateways.json').mkdir()
    with pytest.raises(CliExportError) as error:
        read_cli_export(str(tmp_path))
    assert 'gateways.json: not a regular file' in str(error.value)
