"""Lifecycles, validation, authentication, ETags, faults and controls of the simulator, through the real SDK."""

import base64
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from ibm_cloud_sdk_core import ApiException

from dlsim.catalog import port_id
from dlsim.process import Simulator
from dlsim.seeds import vpc_crn
from sdk_calls import api_error, status_of, wait_for


def connect_body(name='t-connect', **extra):
    body = {'name': name, 'type': 'connect', 'speed_mbps': 1000, 'global': True, 'metered': False, 'bgp_asn': 64980,
            'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')}}
    body.update(extra)
    return body


def dedicated_body(name='t-dedicated', **extra):
    body = {'name': name, 'type': 'dedicated', 'speed_mbps': 1000, 'global': True, 'metered': False, 'bgp_asn': 64981,
            'location_name': 'dal12', 'cross_connect_router': 'xcr02.dal12', 'carrier_name': 'c', 'customer_name': 'c'}
    body.update(extra)
    return body


# ---------------------------------------------------------------------------------------------- lifecycles
def test_connect_gateway_lifecycle_and_async_delete(dl):
    gateway = dl.create_gateway(connect_body()).get_result()
    assert gateway['operational_status'] == 'create_pending'
    assert api_error(lambda: dl.delete_gateway(gateway['id']))[0] == 400
    wait_for(lambda: dl.get_gateway(gateway['id']).get_result(), lambda g: g['operational_status'] == 'provisioned')
    dl.delete_gateway(gateway['id'])
    assert dl.get_gateway(gateway['id']).get_result()['operational_status'] == 'delete_pending'
    wait_for(lambda: status_of(lambda: dl.get_gateway(gateway['id'])), lambda status: status == 404)


def test_dedicated_gateway_lifecycle_through_advance(sim, dl):
    gateway = dl.create_gateway(dedicated_body()).get_result()
    assert (gateway['operational_status'], gateway['link_status']) == ('awaiting_loa', 'down')
    seen = []
    while seen[-1:] != ['provisioned']:
        seen.append(sim.advance(gateway_id=gateway['id'])['operational_status'])
    assert seen == ['loa_created', 'loa_accepted', 'awaiting_completion_notice', 'completion_notice_received',
                    'completion_notice_approved', 'provisioned']
    assert dl.get_gateway(gateway['id']).get_result()['link_status'] == 'up'


def test_virtual_connection_lifecycle(dl):
    gateway_id = next(g['id'] for g in dl.list_gateways().get_result()['gateways'] if g['name'] == 'wdc04-connect-backup')
    vc = dl.create_gateway_virtual_connection(gateway_id, 'new-vc', 'vpc', network_id=vpc_crn('x', 'us-east')).get_result()
    assert vc['status'] == 'pending'
    wait_for(lambda: dl.get_gateway_virtual_connection(gateway_id, vc['id']).get_result(), lambda v: v['status'] == 'attached')
    dl.delete_gateway_virtual_connection(gateway_id, vc['id'])
    assert dl.get_gateway_virtual_connection(gateway_id, vc['id']).get_result()['status'] == 'deleting'
    wait_for(lambda: status_of(lambda: dl.get_gateway_virtual_connection(gateway_id, vc['id'])), lambda s: s == 404)


def test_cross_account_vpc_waits_for_approval(dl):
    gateway_id = next(g['id'] for g in dl.list_gateways().get_result()['gateways'] if g['name'] == 'wdc04-connect-backup')
    vc = dl.create_gateway_virtual_connection(gateway_id, 'other-account', 'vpc',
                                              network_id=vpc_crn('y', 'us-east', '0' * 32)).get_result()
    assert (vc['status'], vc['network_account']) == ('approval_pending', '0' * 32)


# ---------------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize('body, status, message', [
    (connect_body(bgp_asn=65500), 400, 'BGP AS Number is invalid.'),
    (connect_body(speed_mbps=30), 400, "Cannot find Location with provided 'linkSpeed' and 'OfferingType'."),
    (dedicated_body(speed_mbps=50), 400, "Cannot find Location with provided 'linkSpeed' and 'OfferingType'."),
    (connect_body(name='dal10-connect-primary'), 409, 'A gateway with the same name already exists'),
    (connect_body(port={'id': '00000000-0000-4000-8000-000000000000'}), 404, 'Cannot find Port'),
    (dedicated_body(cross_connect_router='xcr09.dal12'), 400, "Cannot find cross connect router 'xcr09.dal12' at location dal12."),
    (dedicated_body(vlan=4000), 400, 'VLAN must be between 2 and 3967.'),
    (dedicated_body(macsec_capability='macsec'), 400, 'MACsec is not available on router xcr02.dal12 at 1000 Mbps.'),
    (connect_body(vlan=10), 400, "'vlan' is not allowed for connect gateways."),
    (connect_body(bgp_cer_cidr='169.254.1.2/30'), 400, 'bgp_cer_cidr and bgp_ibm_cidr must be provided together.'),
    (connect_body(bgp_cer_cidr='169.254.10.2/30', bgp_ibm_cidr='169.254.10.1/30'), 400,
     'Please make sure localIP and remoteIP are not in use'),
    (connect_body(type='fiber'), 400, "Invalid value 'fiber' for 'type': expected one of connect, dedicated."),
    ({'name': 'x', 'type': 'connect'}, 400, 'Missing required field(s) for gateway: speed_mbps, global, bgp_asn, metered.'),
    (dedicated_body(location_name='dal12', carrier_name=None), 400,
     'Missing required field(s) for dedicated gateway: carrier_name.'),
])
def test_create_validation(dl, sim, body, status, message):
    before = len(sim.state()['gateways'])
    assert api_error(lambda: dl.create_gateway(body)) == (status, message)
    assert len(sim.state()['gateways']) == before


def test_ids_and_names(dl):
    assert api_error(lambda: dl.get_gateway('000000000000000000000000000000000000')) == (400, 'Invalid Gateway Id.')
    assert api_error(lambda: dl.delete_gateway('00000000-0000-4000-8000-000000000000')) == (404, 'Cannot find Gateway')
    gateway_id = next(g['id'] for g in dl.list_gateways().get_result()['gateways'] if g['name'] == 'wdc04-connect-backup')
    assert api_error(lambda: dl.create_gateway_virtual_connection(gateway_id, 'vc-app-east', 'classic'))[0] == 409
    transit_id = next(g['id'] for g in dl.list_gateways().get_result()['gateways'] if g['name'] == 'dal10-connect-transit')
    status, message = api_error(lambda: dl.create_gateway_virtual_connection(transit_id, 'v', 'classic'))
    assert status == 400 and 'Transit Gateway' in message
    assert api_error(lambda: dl.list_offering_type_locations('RANDOM')) == (404, 'offering_type_location: RANDOM')
    assert api_error(lambda: dl.list_offering_type_location_cross_connect_routers('connect', 'dal12')) == (
        400, 'The supplied OfferingType is not supported for this call')
    assert api_error(lambda: dl.list_offering_type_location_cross_connect_routers('dedicated', 'florida')) == (
        404, 'Classic Location not found: florida')
    assert api_error(lambda: dl.list_offering_type_speeds('random')) == (404, 'Cannot find OfferingType')


def test_error_body_shape_and_transaction_id(sim, dl):
    token = dl.authenticator.token_manager.get_token()
    response = requests.get(f'{sim.api_url}/gateways/00000000-0000-4000-8000-000000000000', params={'version': '2024-11-01'},
                            headers={'Authorization': f'Bearer {token}'}, timeout=10)
    body = response.json()
    assert response.status_code == 404
    assert body['errors'][0]['code'] == 'not_found' and body['errors'][0]['more_info'].startswith('https://')
    assert body['status_code'] == 404 and body['trace'] == response.headers['X-Global-Transaction-ID']


# ---------------------------------------------------------------------------------------------- ETags
def test_if_match_mismatch_is_412(dl):
    gateway_id = next(g['id'] for g in dl.list_gateways().get_result()['gateways'] if g['name'] == 'dal10-connect-primary')
    etag = dl.list_gateway_export_route_filters(gateway_id).get_headers()['ETag']
    dl.create_gateway_export_route_filter(gateway_id, 'permit', '10.99.0.0/16')
    status, _message = api_error(lambda: dl.replace_gateway_export_route_filters(gateway_id, etag, export_route_filters=[]))
    assert status == 412
    status, _message = api_error(lambda: dl.replace_gateway_as_prepends(gateway_id, '"stale"', as_prepends=[]))
    assert status == 412


def test_route_filter_order_follows_before(dl):
    gateway_id = next(g['id'] for g in dl.list_gateways().get_result()['gateways'] if g['name'] == 'wdc04-connect-backup')
    last = dl.create_gateway_import_route_filter(gateway_id, 'permit', '10.3.0.0/16').get_result()
    first = dl.create_gateway_import_route_filter(gateway_id, 'deny', '10.1.0.0/16', before=last['id']).get_result()
    middle = dl.create_gateway_import_route_filter(gateway_id, 'deny', '10.2.0.0/16', before=last['id']).get_result()
    listed = dl.list_gateway_import_route_filters(gateway_id).get_result()['import_route_filters']
    assert [f['id'] for f in listed] == [first['id'], middle['id'], last['id']]
    assert [f.get('before') for f in listed] == [middle['id'], last['id'], None]
    dl.delete_gateway_import_route_filter(gateway_id, middle['id'])
    listed = dl.list_gateway_import_route_filters(gateway_id).get_result()['import_route_filters']
    assert [f.get('before') for f in listed] == [last['id'], None]


def test_merge_patch_null_clears(dl):
    gateway_id = next(g['id'] for g in dl.list_gateways().get_result()['gateways'] if g['name'] == 'fra02-dedicated')
    cleared = dl.update_gateway(gateway_id, {'vlan': None, 'bfd_config': None}).get_result()
    assert 'vlan' not in cleared and 'bfd_config' not in cleared


# ---------------------------------------------------------------------------------------------- authentication
def test_iam_rejects_unknown_key(sim):
    status, message = api_error(lambda: sim.client('not-a-key').list_gateways())
    assert (status, message) == (400, 'Provided API key could not be found.')


def test_token_is_a_jwt_with_account(sim):
    response = requests.post(f'{sim.url}/identity/token', timeout=10,
                             data={'grant_type': 'urn:ibm:params:oauth:grant-type:apikey', 'apikey': sim.api_key})
    token = response.json()
    payload = json.loads(base64.urlsafe_b64decode(token['access_token'].split('.')[1] + '=='))
    assert payload['exp'] - payload['iat'] == token['expires_in'] == 3600
    assert payload['account']['bss'] == '4111d05f36894e3cb9b46a43556d9000'


@pytest.mark.parametrize('headers, params, status', [
    ({}, {'version': '2024-11-01'}, 401),
    ({'Authorization': 'Bearer a.b.c'}, {'version': '2024-11-01'}, 401),
    (None, {}, 400),
    (None, {'version': '2024-13-45'}, 400),
    (None, {'version': '2019-01-01'}, 400),
])
def test_bearer_token_and_version_are_required(sim, dl, headers, params, status):
    if headers is None:
        headers = {'Authorization': f'Bearer {dl.authenticator.token_manager.get_token()}'}
    response = requests.get(f'{sim.api_url}/gateways', params=params, headers=headers, timeout=10)
    assert response.status_code == status and response.json()['errors'][0]['message']


@pytest.mark.parametrize('sim_options', [{'token_ttl': 1}])
def test_expired_token_is_401(sim):
    token = requests.post(f'{sim.url}/identity/token', timeout=10, data={
        'grant_type': 'urn:ibm:params:oauth:grant-type:apikey', 'apikey': sim.api_key}).json()['access_token']
    expired = wait_for(lambda: requests.get(f'{sim.api_url}/gateways', params={'version': '2024-11-01'}, timeout=10,
                                            headers={'Authorization': f'Bearer {token}'}), lambda r: r.status_code != 200)
    assert expired.status_code == 401 and 'expired' in expired.json()['errors'][0]['message']


# ---------------------------------------------------------------------------------------------- faults
def test_rate_limit_fault_carries_retry_after(sim, dl):
    sim.faults(rate=1.0, statuses=[429], retry_after=2)
    with pytest.raises(ApiException) as caught:
        dl.list_gateways()
    assert caught.value.status_code == 429 and caught.value.http_response.headers['Retry-After'] == '2'
    sim.faults()
    assert dl.list_gateways().get_status_code() == 200
    assert sim.stats()['faults_injected'] == 1


def test_lost_response_commits_the_create(sim, dl):
    sim.faults(lost_response_rate=1.0, lost_response_methods=['POST'], paths=['/v1/gateways'])
    with pytest.raises(requests.exceptions.ConnectionError):
        dl.create_gateway(connect_body('lost-one'))
    assert sim.gateway('lost-one') is not None
    assert sim.stats()['lost_responses'] == 1


def test_latency_fault_delays_requests(sim, dl):
    dl.list_gateways()
    sim.faults(latency_ms=300)
    started = time.monotonic()
    dl.list_gateways()
    assert time.monotonic() - started >= 0.3


def test_iam_outage(sim):
    sim.faults(iam_outage_seconds=30)
    assert api_error(lambda: sim.client().list_gateways())[0] == 503
    sim.faults()
    assert sim.client().list_gateways().get_status_code() == 200


@pytest.mark.parametrize('mode', ['down', 'lost'])
def test_disaster_modes(sim, dl, mode):
    result = sim.disaster(location='dal10', mode=mode)
    assert result['gateways'] == ['dal10-connect-primary', 'dal10-connect-transit', 'dal10-dedicated-macsec']
    names = {g['name']: g for g in dl.list_gateways().get_result()['gateways']}
    if mode == 'down':
        assert names['dal10-dedicated-macsec']['link_status'] == 'down'
        assert names['dal10-connect-primary']['bgp_status'] == 'idle'
    else:
        assert not [name for name in names if name.startswith('dal10')]
        locations = dl.list_offering_type_locations('connect').get_result()['locations']
        assert not next(location for location in locations if location['name'] == 'dal10')['provision_enabled']
        status, _message = api_error(lambda: dl.create_gateway(connect_body(port={'id': port_id('dal10', 'EQUINIX', 'PRI')})))
        assert status == 400


def test_stats_count_by_template(sim, dl):
    sim.reset_stats()
    gateway_id = dl.list_gateways().get_result()['gateways'][0]['id']
    dl.get_gateway(gateway_id)
    dl.update_gateway(gateway_id, {'metered': True})
    stats = sim.stats()
    assert stats['requests']['GET /v1/gateways'] == 1 and stats['requests']['GET /v1/gateways/{id}'] == 1
    assert stats['mutating'] == 1 and stats['iam_tokens'] == 1


def test_generated_seed_and_reset(sim, dl):
    sim.seed_with({'generate': {'gateways': 12, 'vcs': 3}})
    gateways = dl.list_gateways().get_result()['gateways']
    assert len(gateways) == 12
    assert len(dl.list_gateway_virtual_connections(gateways[0]['id']).get_result()['virtual_connections']) == 3
    sim.reset()
    assert dl.list_gateways().get_result()['gateways'] == []


# ---------------------------------------------------------------------------------------------- process
def test_state_file_survives_a_crash(tmp_path):
    state_file = tmp_path / 'state.json'
    sim = Simulator(seed='demo', state_file=str(state_file), provision_delay=0.1)
    with sim:
        sim.client().create_gateway(connect_body('survivor'))
        sim.kill()
        sim.start()
        assert sim.gateway('survivor') is not None


def test_cli_prints_listening_line_and_exits_cleanly_on_sigterm():
    process = subprocess.Popen([sys.executable, '-m', 'dlsim', 'serve', '--port', '0', '--seed', 'empty'],
                               stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith('dlsim listening on http://127.0.0.1:')
        assert requests.get(line.split()[-1] + '/healthz', timeout=10).json() == {'status': 'ok'}
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()
