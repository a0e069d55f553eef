"""What the simulator accepts, refuses and answers at the HTTP edge.

Through the real SDK where it can send the request, and with ``http.client`` for the requests it cannot (wrong
media types, oversized, chunked or malformed bodies, HEAD/OPTIONS).  One simulator serves the whole module: every
test creates the resources it changes, or only reads.
"""

import http.client
import json
import urllib.parse

import pytest
from ibm_cloud_networking_services.direct_link_v1 import GatewayMacsec, GatewayStatusReason, GetGatewayResponseGateway, RouteFilter
from ibm_cloud_sdk_core import ApiException

from dlsim.catalog import port_id
from dlsim.seeds import key_crn
from sdk_calls import gateway_id

VERSION = {'version': '2024-11-01'}
MIB = 1024 * 1024
MACSEC = {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
          'window_size': 512, 'caks': [{'key': {'crn': key_crn('edge-cak')}, 'name': 'AB', 'session': 'primary'}]}


@pytest.fixture(scope='module')
def token(dl):
    """A bearer token for hand-made requests."""
    return dl.authenticator.token_manager.get_token()


def dedicated(dl, name, router='xcr01.dal12', speed=10000, **extra):
    """A new dedicated gateway at dal12 (created at once, awaiting its LOA)."""
    body = {'name': name, 'type': 'dedicated', 'speed_mbps': speed, 'global': True, 'metered': False, 'bgp_asn': 64970,
            'location_name': 'dal12', 'cross_connect_router': router, 'carrier_name': 'c', 'customer_name': 'c'}
    return dl.create_gateway(dict(body, **extra)).get_result()


def refusal(call):
    """(HTTP status, IBM error code) of an SDK call that must fail."""
    with pytest.raises(ApiException) as caught:
        call()
    return caught.value.status_code, caught.value.http_response.json()['errors'][0]['code']


def set_macsec(dl, gateway, **kwargs):
    return dl.set_gateway_macsec(gateway, MACSEC['active'], MACSEC['caks'], MACSEC['sak_rekey'], MACSEC['security_policy'],
                                 window_size=MACSEC['window_size'], **kwargs)


class Raw:
    """Hand-made HTTP requests to the simulator (bounded by a timeout, so a server that waits fails the test)."""

    def __init__(self, sim, token):
        self.address = urllib.parse.urlsplit(sim.url)
        self.token = token

    def connection(self):
        return http.client.HTTPConnection(self.address.hostname, self.address.port, timeout=10)

    def headers(self, content_type='application/json', **extra):
        headers = {'Authorization': f'Bearer {self.token}', **extra}
        if content_type:
            headers['Content-Type'] = content_type
        return headers

    def request(self, method, path, body=None, **kwargs):
        """(status, headers, body bytes) of one request on a fresh connection."""
        connection = self.connection()
        try:
            connection.request(method, f'/v1{path}?version=2024-11-01', body=body, **kwargs)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def send_as_is(self, method, path, headers, body=None):
        """(status, headers, body bytes) of a request whose headers and body bytes go out exactly as given (framing
        http.client would otherwise correct), or with no body at all when ``body`` is None."""
        connection = self.connection()
        try:
            connection.putrequest(method, f'/v1{path}?version=2024-11-01')
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


@pytest.fixture(scope='module')
def raw(sim, token):
    return Raw(sim, token)


def ibm_error(status, headers, payload):
    """(status, code) of an answer that must be an IBM error container."""
    assert headers['Content-Type'] == 'application/json', payload[:200]
    body = json.loads(payload)
    assert body['status_code'] == status and body['trace'] == headers['X-Global-Transaction-ID']
    assert body['errors'][0]['message'] and body['errors'][0]['more_info'].startswith('https://')
    return status, body['errors'][0]['code']


# ---------------------------------------------------------------------------------------- MACsec PATCH validation
@pytest.mark.parametrize('patch', [
    {'security_policy': 'bogus'},
    {'security_policy': ['must_secure']},
    {'active': None},
    {'active': 'yes'},
    {'window_size': 'big'},
    {'window_size': -1},
    {'window_size': None},
    {'sak_rekey': {'mode': 'timer'}},
    {'sak_rekey': {'mode': 'timer', 'interval': 'hourly'}},
    {'sak_rekey': {'mode': 'timer', 'interval': 60}},
    {'sak_rekey': {'mode': 'sometimes'}},
    {'sak_rekey': {'mode': 'packet_number_rollover', 'interval': 3600}},
    {'sak_rekey': None},
], ids=json.dumps)
def test_macsec_patch_refuses_what_create_refuses(dl, patch):
    gateway = gateway_id(dl, 'dal10-dedicated-macsec')
    before = dl.get_gateway_macsec(gateway).get_result()
    assert refusal(lambda: dl.update_gateway_macsec(gateway, patch)) == (400, 'invalid_field')
    after = dl.get_gateway_macsec(gateway).get_result()
    assert after == before
    GatewayMacsec.from_dict(after)
    GetGatewayResponseGateway.from_dict(dl.get_gateway(gateway).get_result())


def test_accepted_macsec_patches_keep_the_sdk_models_parsing(dl):
    gateway = dedicated(dl, 'edge-macsec-patch', macsec=MACSEC)['id']
    for patch in ({'sak_rekey': {'mode': 'packet_number_rollover'}}, {'window_size': 0, 'active': False},
                  {'security_policy': 'should_secure', 'sak_rekey': {'mode': 'timer', 'interval': 86400}}):
        response = dl.update_gateway_macsec(gateway, patch)
        config = GatewayMacsec.from_dict(response.get_result()).to_dict()
        assert {key: config[key] for key in patch} == patch
        assert response.get_headers()['ETag'] == dl.get_gateway_macsec(gateway).get_headers()['ETag']
        GetGatewayResponseGateway.from_dict(dl.get_gateway(gateway).get_result())


# ---------------------------------------------------------------------------------------- virtual connections, filters
@pytest.mark.parametrize('name', [None, '', '   ', 'a' * 64, 'bad name!', 'ends-with-', 7],
                         ids=['null', 'empty', 'blank', '64-characters', 'punctuation', 'trailing-dash', 'number'])
def test_vc_rename_validates_the_name_as_create_does(dl, name):
    gateway = gateway_id(dl, 'wdc04-connect-backup')
    vc = dl.list_gateway_virtual_connections(gateway).get_result()['virtual_connections'][0]
    assert refusal(lambda: dl.update_gateway_virtual_connection(gateway, vc['id'], {'name': name})) == (400, 'invalid_name')
    if name is not None:  # the SDK itself refuses to create without a name
        assert refusal(lambda: dl.create_gateway_virtual_connection(gateway, name, 'classic')) == (400, 'invalid_name')
    assert dl.get_gateway_virtual_connection(gateway, vc['id']).get_result()['name'] == vc['name']


def test_vc_rename_to_63_characters_is_accepted(dl):
    gateway = gateway_id(dl, 'fra02-dedicated')
    vc = dl.list_gateway_virtual_connections(gateway).get_result()['virtual_connections'][0]
    renamed = dl.update_gateway_virtual_connection(gateway, vc['id'], {'name': 'v' * 63}).get_result()
    assert renamed['name'] == 'v' * 63


def test_route_filter_prefix_given_as_a_number_is_refused(dl):
    gateway = gateway_id(dl, 'dal10-connect-primary')
    first = dl.list_gateway_export_route_filters(gateway).get_result()['export_route_filters'][0]
    assert refusal(lambda: dl.create_gateway_export_route_filter(gateway, 'permit', 167772160)) == (400, 'invalid_field')
    assert refusal(lambda: dl.update_gateway_export_route_filter(gateway, first['id'], {'prefix': 167772160})) == (
        400, 'invalid_field')
    etag = dl.list_gateway_import_route_filters(gateway).get_headers()['ETag']
    assert refusal(lambda: dl.replace_gateway_import_route_filters(
        gateway, etag, import_route_filters=[{'action': 'permit', 'prefix': 167772160}])) == (400, 'invalid_field')
    etag = dl.list_gateway_as_prepends(gateway).get_headers()['ETag']
    assert refusal(lambda: dl.replace_gateway_as_prepends(
        gateway, etag, as_prepends=[{'length': 3, 'policy': 'export', 'specific_prefixes': [167772160]}])) == (
        400, 'invalid_field')
    for kind in ('export', 'import'):
        listed = getattr(dl, f'list_gateway_{kind}_route_filters')(gateway).get_result()[f'{kind}_route_filters']
        assert all(isinstance(RouteFilter.from_dict(item).prefix, str) for item in listed)


def test_cak_name_given_as_a_number_is_refused(dl):
    gateway = dedicated(dl, 'edge-cak-name', macsec=MACSEC)['id']
    assert refusal(lambda: dl.create_gateway_macsec_cak(gateway, {'crn': key_crn('edge-fallback')}, 1000, 'fallback')) == (
        400, 'invalid_field')
    primary = dl.list_gateway_macsec_caks(gateway).get_result()['caks'][0]
    assert refusal(lambda: dl.update_gateway_macsec_cak(gateway, primary['id'], {'name': 1000})) == (400, 'invalid_field')
    assert [cak['name'] for cak in dl.list_gateway_macsec_caks(gateway).get_result()['caks']] == ['AB']


@pytest.mark.parametrize('how', ['advance', 'fail_creates'])
def test_failed_gateways_give_a_reason_code_of_the_sdk_enum(sim, dl, how):
    name = f'edge-failed-{how}'.replace('_', '-')
    if how == 'fail_creates':
        sim.faults(fail_creates={'count': 1, 'location': 'dal12', 'to': 'failed'})
        try:
            dedicated(dl, name, router='xcr02.dal12', speed=1000)
        finally:
            sim.faults()
    else:
        sim.advance(gateway_id=dedicated(dl, name, router='xcr02.dal12', speed=1000)['id'], to='failed')
    gateway = dl.get_gateway(gateway_id(dl, name)).get_result()
    assert gateway['operational_status'] == 'failed'
    reasons = GetGatewayResponseGateway.from_dict(gateway).operational_status_reasons
    assert reasons and {reason.code for reason in reasons} <= {code.value for code in GatewayStatusReason.CodeEnum}


# ---------------------------------------------------------------------------------------- MACsec capability and ETags
def test_macsec_can_be_set_later_where_router_and_speed_offer_it(dl):
    gateway = dedicated(dl, 'edge-macsec-later')
    assert gateway['macsec_capability'] == 'macsec_optional' and 'macsec' not in gateway
    response = set_macsec(dl, gateway['id'])
    assert response.get_status_code() == 200
    config = GatewayMacsec.from_dict(response.get_result())
    assert (config.active, config.window_size, config.sak_rekey) == (True, 512, MACSEC['sak_rekey'])
    assert dl.get_gateway(gateway['id']).get_result()['macsec']['active'] is True


@pytest.mark.parametrize('router, speed', [('xcr02.dal12', 10000), ('xcr01.dal12', 1000)],
                         ids=['router-without-macsec', 'speed-without-macsec'])
def test_macsec_is_refused_where_router_or_speed_lack_it(dl, router, speed):
    gateway = dedicated(dl, f'edge-no-macsec-{speed}', router=router, speed=speed)
    assert gateway['macsec_capability'] == 'non_macsec'
    assert refusal(lambda: set_macsec(dl, gateway['id'])) == (400, 'macsec_unavailable')
    assert refusal(lambda: dedicated(dl, f'edge-no-macsec-{speed}-2', router=router, speed=speed, macsec=MACSEC)) == (
        400, 'macsec_unavailable')


def test_replacing_macsec_needs_the_current_etag(dl):
    gateway = dedicated(dl, 'edge-macsec-etag', macsec=MACSEC)['id']
    etag = dl.get_gateway_macsec(gateway).get_headers()['ETag']
    assert etag.startswith('"') and etag.endswith('"')
    assert refusal(lambda: set_macsec(dl, gateway)) == (428, 'precondition_required')
    assert refusal(lambda: set_macsec(dl, gateway, if_match='"stale"')) == (412, 'precondition_failed')
    response = set_macsec(dl, gateway, if_match=etag)
    assert response.get_status_code() == 200
    assert refusal(lambda: set_macsec(dl, gateway, if_match=etag)) == (412, 'precondition_failed')
    assert set_macsec(dl, gateway, if_match=response.get_headers()['ETag']).get_status_code() == 200


# ---------------------------------------------------------------------------------------- HTTP edges
@pytest.mark.parametrize('method, path, content_type', [
    ('POST', '/gateways', 'text/plain'),
    ('POST', '/gateways', None),
    ('PATCH', '/gateways/{id}', 'application/x-www-form-urlencoded'),
])
def test_a_body_of_the_wrong_media_type_is_415(dl, raw, method, path, content_type):
    path = path.format(id=gateway_id(dl, 'fra02-dedicated'))
    answer = raw.request(method, path, body=b'{"name": "x"}', headers=raw.headers(content_type))
    assert ibm_error(*answer) == (415, 'unsupported_media_type')


def test_merge_patch_json_is_accepted(dl, raw):
    gateway = gateway_id(dl, 'fra02-dedicated')
    status, _headers, _body = raw.request('PATCH', f'/gateways/{gateway}', body=b'{"metered": false}',
                                          headers=raw.headers('application/merge-patch+json; charset=utf-8'))
    assert status == 200


def test_an_oversized_body_is_413_before_it_is_read(raw):
    # The body is never sent: the answer must not wait for it.
    status, headers, payload = raw.send_as_is('POST', '/gateways', raw.headers(**{'Content-Length': str(20 * MIB)}))
    assert ibm_error(status, headers, payload) == (413, 'request_entity_too_large')
    assert len(payload) < 1000 and headers['Connection'] == 'close'


def test_a_body_over_the_limit_that_is_sent_is_413_without_an_echo(raw):
    body = json.dumps({'name': 'x' * (2 * MIB)}).encode()
    status, headers, payload = raw.request('POST', '/gateways', body=body, headers=raw.headers())
    assert ibm_error(status, headers, payload) == (413, 'request_entity_too_large') and len(payload) < 1000


def test_a_long_value_is_not_echoed_in_full(raw):
    body = json.dumps({'name': 'x' * 500000, 'type': 'connect', 'speed_mbps': 1000, 'global': True, 'metered': False,
                       'bgp_asn': 64999, 'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')}}).encode()
    status, headers, payload = raw.request('POST', '/gateways', body=body, headers=raw.headers())
    assert ibm_error(status, headers, payload)[0] == 400 and len(payload) < 2000


@pytest.mark.parametrize('depth', [100, 100000])
def test_deeply_nested_json_is_400(dl, raw, depth):
    gateway = gateway_id(dl, 'fra02-dedicated')
    body = ('{"name": ' + '[' * depth + ']' * depth + '}').encode()
    answer = raw.request('PATCH', f'/gateways/{gateway}', body=body, headers=raw.headers())
    assert ibm_error(*answer) == (400, 'invalid_body')


def test_head_and_options_get_405_with_allow(raw):
    status, headers, payload = raw.request('HEAD', '/gateways', headers=raw.headers(None))
    assert (status, headers['Content-Type'], headers['Allow'], payload) == (405, 'application/json', 'GET, POST', b'')
    status, headers, payload = raw.request('OPTIONS', '/gateways', headers=raw.headers(None))
    assert ibm_error(status, headers, payload) == (405, 'method_not_allowed') and headers['Allow'] == 'GET, POST'


def test_a_method_the_server_does_not_know_gets_an_ibm_error(raw):
    assert ibm_error(*raw.request('TRACE', '/gateways', headers=raw.headers(None))) == (405, 'method_not_allowed')


@pytest.mark.parametrize('length', ['abc', '-5', '1e3', '12, 13'])
def test_a_malformed_content_length_is_400(raw, length):
    answer = raw.send_as_is('POST', '/gateways', raw.headers(**{'Content-Length': length}), b'{}')
    assert ibm_error(*answer) == (400, 'invalid_request')


def test_a_chunked_body_is_accepted(dl, raw):
    gateway = gateway_id(dl, 'wdc04-connect-backup')
    chunks = iter([b'{"action": "permit", ', b'"prefix": "10.77.0.0/16"', b'}'])
    status, _headers, payload = raw.request('POST', f'/gateways/{gateway}/export_route_filters', body=chunks,
                                            headers=raw.headers(**{'Transfer-Encoding': 'chunked'}), encode_chunked=True)
    assert status == 201 and json.loads(payload)['prefix'] == '10.77.0.0/16'
    listed = dl.list_gateway_export_route_filters(gateway).get_result()['export_route_filters']
    assert '10.77.0.0/16' in [item['prefix'] for item in listed]


def test_a_malformed_chunk_is_400(dl, raw):
    gateway = gateway_id(dl, 'wdc04-connect-backup')
    answer = raw.send_as_is('POST', f'/gateways/{gateway}/export_route_filters',
                            raw.headers(**{'Transfer-Encoding': 'chunked'}), b'zz\r\n{}\r\n0\r\n\r\n')
    assert ibm_error(*answer) == (400, 'invalid_request')


def test_malformed_ids_are_answered_alike_for_every_resource(dl):
    gateway = gateway_id(dl, 'dal10-dedicated-macsec')
    calls = {
        'gateway': lambda: dl.get_gateway('not-an-id'),
        'virtual connection': lambda: dl.get_gateway_virtual_connection(gateway, 'not-an-id'),
        'export route filter': lambda: dl.get_gateway_export_route_filter(gateway, 'not-an-id'),
        'import route filter': lambda: dl.delete_gateway_import_route_filter(gateway, 'not-an-id'),
        'route report': lambda: dl.get_gateway_route_report(gateway, 'not-an-id'),
        'CAK': lambda: dl.get_gateway_macsec_cak(gateway, 'not-an-id'),
        'port': lambda: dl.get_port('not-an-id'),
        'gateway of a VC': lambda: dl.list_gateway_virtual_connections('not-an-id'),
    }
    assert {what: refusal(call) for what, call in calls.items()} == dict.fromkeys(calls, (400, 'invalid_id'))
