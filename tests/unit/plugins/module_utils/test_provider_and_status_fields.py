"""The states the API reports beyond configuration (provider change requests, MACsec and CAK statuses, BGP states):
read without trouble, kept out of the configuration, and a pending provider change request named by the recovery."""

import yaml

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files, manual_steps, normalize, recovery
from catalog_stubs import EmptyCatalog

KEY = 'crn:v1:bluemix:public:hs-crypto:us-south:a/x:r:key:{}'
CHANGE = {'type': 'update_attributes', 'updates': [{'speed_mbps': 2000}, {'bgp_cer_cidr': '169.254.9.2/30', 'bgp_ibm_cidr': '169.254.9.1/30'}]}
API_GATEWAY = {
    'id': 'g1', 'name': 'dal10-provider', 'type': 'connect', 'speed_mbps': 1000, 'global': True, 'metered': False,
    'bgp_asn': 64999, 'location_name': 'dal10', 'port': {'id': 'p1'}, 'operational_status': 'provisioned',
    'operational_status_reasons': [], 'bgp_status': 'active', 'provider_api_managed': True, 'change_request': CHANGE,
    'completion_notice_reject_reason': 'The completion notice file was blank', 'crn': 'crn:v1:...:connect:g1',
    'macsec': {'active': True, 'security_policy': 'must_secure', 'status': 'failed',
               'status_reasons': [{'code': 'macsec_cak_failed', 'message': 'A CAK failed.'}]},
}
MACSEC_CONFIG = {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
                 'window_size': 512, 'status': 'failed', 'status_reasons': [{'code': 'macsec_cak_failed', 'message': 'A CAK failed.'}],
                 'cipher_suite': 'gcm_aes_xpn_256'}
CAKS = [{'id': 'c1', 'name': 'BB', 'key': {'crn': KEY.format('new')}, 'session': 'primary', 'status': 'rotating',
         'active_delta': {'name': 'AA', 'key': {'crn': KEY.format('old')}, 'status': 'active'}},
        {'id': 'c2', 'name': 'CC', 'key': {'crn': KEY.format('fallback')}, 'session': 'fallback', 'status': 'failed'}]


def test_status_fields_are_read_only_and_the_configuration_is_what_was_configured():
    gateway = normalize.gateway(API_GATEWAY, virtual_connections=[], macsec_config=MACSEC_CONFIG, macsec_caks=CAKS)
    assert gateway['macsec'] == {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
                                 'window_size': 512, 'caks': [{'name': 'BB', 'key': KEY.format('new'), 'session': 'primary'},
                                                              {'name': 'CC', 'key': KEY.format('fallback'), 'session': 'fallback'}]}
    read_only = gateway['read_only']
    assert (read_only['macsec_status'], read_only['macsec']['status_reasons'][0]['code']) == ('failed', 'macsec_cak_failed')
    assert {key: read_only[key] for key in ('bgp_status', 'provider_api_managed', 'change_request')} == {
        'bgp_status': 'active', 'provider_api_managed': True, 'change_request': CHANGE}
    assert not {'change_request', 'provider_api_managed', 'bgp_status', 'completion_notice_reject_reason'} & set(gateway)


def test_the_backup_records_a_pending_change_request_with_the_source_and_the_recovery_says_it_is_not_carried_over():
    document = yaml.safe_load(backup_files.gateway_document('dal10_provider', normalize.gateway(API_GATEWAY, virtual_connections=[])))
    section = document['direct_link_backup']
    assert section['source']['change_request'] == CHANGE and 'change_request' not in section['gateway']

    replacement = recovery.Replacement('dal10_provider', section)
    recovery.remap(replacement, recovery.Plan({}), EmptyCatalog())
    line = ("Not carried over: the provider's update_attributes change request (speed_mbps 2000, bgp_cer_cidr 169.254.9.2/30, "
            'bgp_ibm_cidr 169.254.9.1/30), pending at backup time; the provider must request it again for the new gateway.')
    assert manual_steps.decisions(replacement.notes) == [line]
    assert manual_steps.decision_steps(replacement.notes) == [(None, line)]


def test_a_gateway_without_a_change_request_or_with_a_malformed_one_gets_no_such_line():
    for source in ({'crn': 'crn:v1:...:connect:g1'}, {'change_request': 'speed please'}, 'not a mapping'):
        replacement = recovery.Replacement('h', {'gateway': normalize.gateway(dict(API_GATEWAY, change_request=None)), 'source': source})
        recovery.remap(replacement, recovery.Plan({}), EmptyCatalog())
        assert manual_steps.decisions(replacement.notes) == []
