"""The replica of an imported backup: MACsec settings without CAKs cannot be created, the rest is rebuilt."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import rehearsal_replica

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
