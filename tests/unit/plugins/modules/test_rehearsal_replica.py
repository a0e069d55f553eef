"""The replica of a backup: MACsec settings without CAKs cannot be created, the rest is rebuilt; the saved catalog is read
bounded, never through a link, and a damaged one is refused naming its file."""

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import _rehearsal_replica as rehearsal_replica

GATEWAY = {'name': 'dal10-dedicated', 'type': 'dedicated', 'speed_mbps': 10000, 'bgp_asn': 64997, 'location_name': 'dal10',
           'cross_connect_router': 'xcr01.dal10', 'carrier_name': 'c', 'customer_name': 'x', 'macsec_capability': 'macsec',
           'virtual_connections': [{'name': 'vc', 'type': 'classic', 'read_only': {'status': 'detached_by_network'}}]}
SETTINGS = {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600}}
CAKS = [{'name': 'a1', 'key': 'crn:v1:bluemix:public:kms:us-south:a/x:r:key:k1', 'session': 'primary'}]


def test_macsec_without_caks_is_left_out_of_the_replica_and_vcs_lose_their_read_only_part():
    replica = rehearsal_replica.replica_gateway(dict(GATEWAY, macsec=SETTINGS))
    assert 'macsec' not in replica['template'] and replica['template']['macsec_capability'] == 'macsec'
    assert replica['virtual_connections'] == [{'name': 'vc', 'type': 'classic'}]


def test_complete_macsec_is_rebuilt():
    replica = rehearsal_replica.replica_gateway(dict(GATEWAY, macsec=dict(SETTINGS, caks=CAKS)))
    assert replica['template']['macsec']['caks'] == [{'key': {'crn': CAKS[0]['key']}, 'name': 'a1', 'session': 'primary'}]


def write_catalog(root, text):
    (root / '.catalog').mkdir(mode=0o700)
    (root / '.catalog' / 'direct_link_catalog.yml').write_text(text)
    return {'catalog': {'file': '.catalog/direct_link_catalog.yml', 'sha256': files.sha256(text)}}


def test_a_saved_catalog_is_read_back(tmp_path):
    manifest = write_catalog(tmp_path, files.catalog_document({'locations': {'connect': []}}))
    assert rehearsal_replica.saved_catalog(str(tmp_path), manifest) == {'locations': {'connect': []}}


@pytest.mark.parametrize('text, expected', [
    ('[unclosed', 'not a catalog snapshot'),
    ('a: &x [1]\nb: *x\n', 'not a catalog snapshot'),
    ('direct_link_catalog: {schema_version: 1}\n', 'no direct_link_catalog mapping with a catalog'),
])
def test_a_damaged_catalog_snapshot_is_refused_naming_the_file(tmp_path, text, expected):
    manifest = write_catalog(tmp_path, text)
    with pytest.raises(DirectLinkError) as refused:
        rehearsal_replica.saved_catalog(str(tmp_path), manifest)
    assert str(refused.value).startswith(str(tmp_path / '.catalog' / 'direct_link_catalog.yml'))
    assert expected in str(refused.value)


def test_a_catalog_snapshot_behind_a_symbolic_link_is_refused(tmp_path):
    outside = tmp_path / 'outside.yml'
    outside.write_text(files.catalog_document({'locations': {}}))
    backup = tmp_path / 'backup'
    (backup / '.catalog').mkdir(parents=True)
    (backup / '.catalog' / 'direct_link_catalog.yml').symlink_to(outside)
    with pytest.raises(DirectLinkError) as refused:
        rehearsal_replica.saved_catalog(str(backup), {'catalog': {'sha256': files.sha256(outside.read_text())}})
    assert 'symbolic link' in str(refused.value)


HUB = {'id': '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'name': 'dal-hub', 'location': 'us-south', 'global': False}
TRANSIT_GATEWAY = {'name': 'dal10-transit', 'type': 'connect', 'connection_mode': 'transit', 'speed_mbps': 1000,
                   'bgp_asn': 64998, 'port': 'p1', 'location_name': 'dal10',
                   'virtual_connections': [{'name': 'tgw-dal-hub', 'type': 'transit', 'network_id': 'crn:tgw'}],
                   'transit_connections': [{'name': 'tgw-dal-hub', 'transit_gateway': HUB,
                                            'prefix_filters': [{'action': 'deny', 'prefix': '10.0.0.0/8'}],
                                            'read_only': {'status': 'attached'}}]}


def test_a_recorded_transit_connection_rebuilds_its_transit_gateway_and_its_virtual_connection():
    replica = rehearsal_replica.replica_gateway(TRANSIT_GATEWAY)
    assert replica['virtual_connections'] == []  # the connection makes it in the replica, as in the service
    assert replica['transit_connections'] == [{'name': 'tgw-dal-hub', 'transit_gateway_id': HUB['id'],
                                               'prefix_filters': [{'action': 'deny', 'prefix': '10.0.0.0/8'}],
                                               'prefix_filters_default': 'permit'}]
    assert rehearsal_replica.replica_transit_gateways([TRANSIT_GATEWAY, TRANSIT_GATEWAY]) == [HUB]
    unrecorded = dict(TRANSIT_GATEWAY, transit_connections=[])
    assert rehearsal_replica.replica_gateway(unrecorded)['virtual_connections'] == [
        {'name': 'tgw-dal-hub', 'type': 'transit', 'network_id': 'crn:tgw'}]
