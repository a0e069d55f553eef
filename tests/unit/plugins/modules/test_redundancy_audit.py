"""The audit of a backup: read as untrusted data, every field checked, nothing written inside the backup."""

import os

import backup_writer
import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import redundancy_audit

GATEWAY = {'id': 'g1', 'name': 'gw-1', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999, 'port': 'p1',
           'location_name': 'dal10', 'as_prepends': [{'length': 3, 'policy': 'export'}],
           'virtual_connections': [{'name': 'vc', 'type': 'classic', 'read_only': {'status': 'attached'}}]}
HOST = 'gw_1'


def write_backup(root, gateway):
    """A one-gateway backup as backup_store writes it, the manifest naming its account; returns its directory."""
    backup_writer.write_backup(root, gateway, HOST, source={'account_id': 'acct'})
    return str(root)


def test_a_backup_is_audited_without_a_catalog_and_says_so(tmp_path):
    gateways, catalog, source = redundancy_audit.from_backup(write_backup(tmp_path, GATEWAY))
    assert [gateway['name'] for gateway in gateways] == ['gw-1'] and catalog is None
    assert source == {'kind': 'backup', 'backup_dir': str(tmp_path), 'account_id': 'acct', 'catalog': 'none'}
    assert gateways[0]['as_prepends'] == [{'length': 3, 'policy': 'export'}]


@pytest.mark.parametrize('field, value, said', [
    ('as_prepends', [{'length': 'three', 'policy': 'export'}], "argument 'length' is of type str"),
    ('virtual_connections', [{'name': 'vc', 'type': 'bogus'}], 'value of type must be one of: classic, vpc, transit'),
    ('bfd_config', 'on', "argument 'bfd_config' is of type str"),
    ('surprise', 1, 'surprise. Supported parameters include'),
])
def test_a_field_of_the_wrong_shape_is_refused_naming_the_file_and_the_gateway(tmp_path, field, value, said):
    root = write_backup(tmp_path, dict(GATEWAY, **{field: value}))
    with pytest.raises(DirectLinkError) as error:
        redundancy_audit.from_backup(root)
    assert f"The backup cannot be audited: {files.gateway_path(root, HOST)}: gateway 'gw-1': " in error.value.message
    assert said in error.value.message


def test_a_report_inside_the_backup_directory_is_refused(tmp_path):
    assert redundancy_audit.inside(str(tmp_path / 'backup' / 'audit-report.md'), str(tmp_path / 'backup'))
    assert not redundancy_audit.inside(str(tmp_path / 'audit-report.md'), str(tmp_path / 'backup'))
    os.symlink(tmp_path / 'backup', tmp_path / 'link')
    assert redundancy_audit.inside(str(tmp_path / 'link' / 'x.md'), str(tmp_path / 'backup'))
