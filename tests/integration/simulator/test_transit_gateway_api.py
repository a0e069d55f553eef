"""The simulator's Transit Gateway API, driven through the unmodified ``TransitGatewayApisV1`` over HTTP, every JSON
answer checked against the model the SDK documents for its operation (``sdk_spec.ParsingClient``), and its effects on
Direct Link seen through ``DirectLinkV1``: a ``directlink`` connection makes the gateway's ``transit`` virtual
connection and its delete removes it, refusals come in the IBM error body, a network of another account waits for
its owner's approval, and lost gateways and regions leave what the real service leaves.

Each test has a simulator of its own (the demo seed); time moves with ``/_sim/advance``, never with sleeps.
"""

import re

import pytest
import requests
from ibm_cloud_networking_services import TransitGatewayApisV1

import sdk_spec
from dlsim import api, server, transit_api
from dlsim.catalog import port_id, stable_id
from dlsim.errors import ApiError
from dlsim.iam import DEFAULT_ACCOUNT
from dlsim.process import SimulatorError
from dlsim.seeds import PARTNER_ACCOUNT, PARTNER_API_KEY, TGW_CRN, transit_connection_id, transit_gateway_id, vpc_crn
from dlsim.state import APPROVAL_WINDOW, NETWORK_DETACH_DELAY
from sdk_calls import error_body, gateway_id

HUB, WDC = transit_gateway_id('hub'), transit_gateway_id('wdc-hub')
HUB_CRN = TGW_CRN.format(region='us-south', account=DEFAULT_ACCOUNT, id=HUB)
HUB_CONNECTION = transit_connection_id('hub', 'tgw-dal-hub')
SETTLE = 1  # seconds of the simulator's clock: more than the test simulators' provision and VC delays (0.2 s)
TRANSIT_OPERATIONS = sdk_spec.sdk_operations(TransitGatewayApisV1)
SERVED = {operation for _method, _pattern, _template, operation, _handler in transit_api.ROUTES}
# What the simulator does not serve of TransitGatewayApisV1 (GRE tunnels, route reports, redundancy groups): 404.
NOT_SERVED = {'create_transit_gateway_gre_tunnel', 'delete_transit_gateway_connection_tunnels',
              'get_transit_gateway_connection_tunnels', 'list_transit_gateway_gre_tunnel',
              'update_transit_gateway_connection_tunnels', 'create_transit_gateway_route_report',
              'delete_transit_gateway_route_report', 'get_transit_gateway_route_report',
              'list_transit_gateway_route_reports', 'get_redundancy_group', 'list_redundancy_groups',
              'update_redundancy_group'}
FILTERS = [{'action': 'permit', 'prefix': '10.50.0.0/16', 'le': 24}, {'action': 'deny', 'prefix': '10.0.0.0/8'}]


@pytest.fixture
def tg(sim):
    """The demo account's Transit Gateway client; every answer it gets must parse as its SDK model."""
    client = sdk_spec.ParsingClient(sim.transit_client())
    yield client
    assert not client.errors, 'answers that do not parse:\n' + '\n'.join(dict.fromkeys(client.errors))


@pytest.fixture
def partner_tg(sim, tg):
    """The partner account's Transit Gateway client (it owns networks that the demo account connects to)."""
    return sdk_spec.ParsingClient(sim.transit_client(api_key=PARTNER_API_KEY), 'partner ', tg)


@pytest.fixture
def dls(sim, tg):
    """The Direct Link client of the demo account, its answers parsed too."""
    return sdk_spec.ParsingClient(sim.client(), 'direct link ', tg)


def refused(call, status, code, field=None):
    """Run a call the API must refuse; check the IBM error body (and the field it names); return its error."""
    got, body = error_body(call)
    error = body['errors'][0]
    assert (got, error['code']) == (status, code), body
    assert set(body) == {'errors', 'trace', 'status_code'} and body['status_code'] == status and body['trace']
    assert error['message'] and error['more_info'].startswith('https://')
    assert error.get('target') == ({'name': field, 'type': 'field'} if field else None), error
    return error


def transit_mode_gateway(dl, sim, name, location, **extra):
    """A provisioned connect gateway in connection_mode transit at ``location`` (of the account ``dl`` is for)."""
    body = {'name': name, 'type': 'connect', 'speed_mbps': 1000, 'global': True, 'metered': False, 'bgp_asn': 64950,
            'connection_mode': 'transit', 'port': {'id': port_id(location, 'EQUINIX', 'PRI')}, **extra}
    created = dl.create_gateway(body).get_result()
    sim.advance(seconds=SETTLE)
    return dl.get_gateway(created['id']).get_result()


def connection_of(tg, gateway, name):
    """The connection of a transit gateway called ``name`` (None when there is none)."""
    listing = tg.list_transit_gateway_connections(gateway).get_result()['connections']
    return next((connection for connection in listing if connection['name'] == name), None)


def transit_vcs(dl, gateway):
    """The ``transit`` virtual connections of a Direct Link gateway, by name."""
    listing = dl.list_gateway_virtual_connections(gateway).get_result()['virtual_connections']
    return {vc['name']: vc for vc in listing if vc['type'] == 'transit'}


# ---------------------------------------------------------------------------------------------- routes
def test_every_route_is_the_sdk_operation_it_is_named_after():
    sdk = {operation.name: (operation.method, '/v1' + operation.template) for operation in TRANSIT_OPERATIONS}
    assert {name: (method, template) for method, _pattern, template, name, _handler in transit_api.ROUTES} == \
        {name: sdk[name] for name in SERVED}
    assert set(sdk) == SERVED | NOT_SERVED and not SERVED & NOT_SERVED


@pytest.mark.parametrize('operation', TRANSIT_OPERATIONS, ids=lambda operation: operation.name)
def test_the_server_routes_each_sdk_operation_beside_direct_link(operation):
    path = '/v1' + re.sub(r'\{\w+\}', 'r006-3f2b', operation.template)  # any id: this API checks no id's form
    if operation.name in NOT_SERVED:
        with pytest.raises(ApiError) as caught:
            api.match(operation.method, path, server.API_ROUTES)
        assert caught.value.status == 404
    else:
        assert api.match(operation.method, path, server.API_ROUTES)[:2] == ('/v1' + operation.template, operation.name)


def test_every_served_operation_answers_what_its_sdk_model_parses(sim, tg, partner_tg, dls):
    tg.list_gateway_locations()
    tg.get_gateway_location('eu-de')
    tg.get_transit_gateway(HUB)
    created = tg.create_transit_gateway('eu-de', 'seq-fra', global_=True).get_result()
    assert created['status'] == 'pending'
    sim.advance(seconds=SETTLE)
    tg.update_transit_gateway(created['id'], name='seq-fra-2', gre_enhanced_route_propagation=True)
    tg.list_transit_gateways()
    network = transit_mode_gateway(dls, sim, 'seq-transit', 'fra02')
    connection = tg.create_transit_gateway_connection(created['id'], 'directlink', name='seq-dl', network_id=network['crn'],
                                                      prefix_filters=FILTERS, prefix_filters_default='deny').get_result()
    vpc = tg.create_transit_gateway_connection(created['id'], 'vpc', network_id=vpc_crn('seq', 'eu-de')).get_result()
    classic = tg.create_transit_gateway_connection(created['id'], 'classic').get_result()
    assert (vpc['name'], classic['name']) == (f"vpc-{stable_id('vpc', 'seq')[:8]}", 'Classic')
    sim.advance(seconds=SETTLE)
    tg.get_transit_gateway_connection(created['id'], connection['id'])
    tg.update_transit_gateway_connection(created['id'], connection['id'], name='seq-dl-2', prefix_filters_default='permit')
    tg.list_transit_gateway_connections(created['id'], limit=2)
    tg.list_connections(network_type='directlink')
    first = connection['prefix_filters'][0]['id']
    added = tg.create_transit_gateway_connection_prefix_filter(created['id'], connection['id'], 'permit', '192.168.0.0/16',
                                                               before=first, ge=20, le=24).get_result()
    tg.list_transit_gateway_connection_prefix_filters(created['id'], connection['id'])
    tg.get_transit_gateway_connection_prefix_filter(created['id'], connection['id'], added['id'])
    tg.update_transit_gateway_connection_prefix_filter(created['id'], connection['id'], added['id'], action='deny', le=28)
    tg.delete_transit_gateway_connection_prefix_filter(created['id'], connection['id'], added['id'])
    request = tg.create_transit_gateway_connection(created['id'], 'vpc', name='seq-partner',
                                                   network_id=vpc_crn('seq-partner', 'eu-de', PARTNER_ACCOUNT)).get_result()
    partner_tg.list_transit_gateways()
    partner_tg.create_transit_gateway_connection_actions(created['id'], request['id'], 'approve')
    sim.advance(seconds=SETTLE)
    partner_tg.list_connections()
    for item in tg.list_transit_gateway_connections(created['id']).get_result()['connections']:
        tg.delete_transit_gateway_connection(created['id'], item['id'])
    tg.get_transit_gateway_connection(created['id'], connection['id'])
    sim.advance(seconds=SETTLE)
    tg.delete_transit_gateway(created['id'])
    tg.get_transit_gateway(created['id'])
    sim.advance(seconds=SETTLE)
    refused(lambda: tg.get_transit_gateway(created['id']), 404, 'transit_gateway_not_found')
    assert tg.called & {operation.name for operation in TRANSIT_OPERATIONS} == SERVED  # (tg.called has dls' calls too)


# ---------------------------------------------------------------------------------------------- the demo seed
def test_the_demo_has_the_hub_its_transit_virtual_connection_names_and_a_global_gateway_to_recover_to(tg, dls):
    gateways = {g['name']: g for g in tg.list_transit_gateways().get_result()['transit_gateways']}
    assert {name: (g['id'], g['location'], g['global'], g['status'], g['connection_count']) for name, g in gateways.items()} == \
        {'dal-hub': (HUB, 'us-south', False, 'available', 1), 'wdc-hub': (WDC, 'us-east', True, 'available', 0)}
    assert gateways['dal-hub']['crn'] == HUB_CRN
    connection = tg.get_transit_gateway_connection(HUB, HUB_CONNECTION).get_result()
    network = dls.get_gateway(gateway_id(dls, 'dal10-connect-transit')).get_result()
    assert (connection['name'], connection['network_type'], connection['network_id'], connection['status'],
            connection['request_status'], connection['prefix_filters_default']) == \
        ('tgw-dal-hub', 'directlink', network['crn'], 'attached', 'approved', 'permit')
    filters = connection['prefix_filters']
    assert [(f['action'], f['prefix'], f['ge'], f['le']) for f in filters] == \
        [('permit', '10.10.0.0/16', 0, 24), ('permit', '172.16.0.0/12', 16, 28), ('deny', '10.0.0.0/8', 0, 32)]
    assert [f.get('before') for f in filters] == [filters[1]['id'], filters[2]['id'], None]
    vc = transit_vcs(dls, network['id'])['tgw-dal-hub']
    assert (vc['id'], vc['network_id'], vc['status']) == (stable_id('dal10-connect-transit', 'vc', 'tgw-dal-hub'), HUB_CRN,
                                                          'attached')


# ---------------------------------------------------------------------------------------------- Direct Link effects
def test_a_directlink_connection_makes_the_transit_virtual_connection_and_its_delete_removes_it(sim, tg, dls):
    network = transit_mode_gateway(dls, sim, 'east-transit', 'wdc04')
    created = tg.create_transit_gateway_connection(WDC, 'directlink', name='east-link', network_id=network['crn']).get_result()
    assert (created['status'], created['request_status'], created['network_id']) == ('pending', 'approved', network['crn'])
    vc = transit_vcs(dls, network['id'])['east-link']
    assert (vc['status'], vc['network_id']) == ('pending', TGW_CRN.format(region='us-east', account=DEFAULT_ACCOUNT, id=WDC))
    sim.advance(seconds=SETTLE)
    assert tg.get_transit_gateway_connection(WDC, created['id']).get_result()['status'] == 'attached'
    assert transit_vcs(dls, network['id'])['east-link']['status'] == 'attached'

    tg.update_transit_gateway_connection(WDC, created['id'], name='east-link-2')
    assert set(transit_vcs(dls, network['id'])) == {'east-link-2'}
    refused(lambda: tg.delete_transit_gateway(WDC), 409, 'transit_gateway_has_connections')
    tg.delete_transit_gateway_connection(WDC, created['id'])
    assert tg.get_transit_gateway_connection(WDC, created['id']).get_result()['status'] == 'deleting'
    assert transit_vcs(dls, network['id'])['east-link-2']['status'] == 'deleting'
    sim.advance(seconds=SETTLE)
    refused(lambda: tg.get_transit_gateway_connection(WDC, created['id']), 404, 'connection_not_found')
    assert transit_vcs(dls, network['id']) == {}
    tg.delete_transit_gateway(WDC)
    sim.advance(seconds=SETTLE)
    assert [g['name'] for g in tg.list_transit_gateways().get_result()['transit_gateways']] == ['dal-hub']


def test_a_connection_whose_virtual_connection_is_deleted_on_the_direct_link_side_is_detached(sim, tg, dls):
    network = gateway_id(dls, 'dal10-connect-transit')
    dls.delete_gateway_virtual_connection(network, stable_id('dal10-connect-transit', 'vc', 'tgw-dal-hub'))
    assert tg.get_transit_gateway_connection(HUB, HUB_CONNECTION).get_result()['status'] == 'detaching'
    sim.advance(seconds=SETTLE)
    detached = tg.get_transit_gateway_connection(HUB, HUB_CONNECTION).get_result()
    assert (detached['status'], detached['request_status']) == ('detached', 'approved')


@pytest.mark.parametrize('network, status, code', [
    ('dal10-connect-primary', 409, 'directlink_not_transit_mode'),  # connection_mode direct
    ('dal10-connect-transit', 409, 'network_already_connected'),    # the hub has it
])
def test_a_direct_link_gateway_that_cannot_be_attached_is_refused(tg, dls, network, status, code):
    crn = dls.get_gateway(gateway_id(dls, network)).get_result()['crn']
    error = refused(lambda: tg.create_transit_gateway_connection(WDC, 'directlink', name='refused', network_id=crn),
                    status, code, 'network_id')
    assert network in error['message']


def test_a_network_id_that_names_no_direct_link_gateway_is_refused(tg):
    unknown = f'crn:v1:bluemix:public:directlink:dal10:a/{DEFAULT_ACCOUNT}::connect:{stable_id("no", "gateway")}'
    refused(lambda: tg.create_transit_gateway_connection(WDC, 'directlink', name='nowhere', network_id=unknown), 400,
            'network_not_found', 'network_id')
    refused(lambda: tg.create_transit_gateway_connection(WDC, 'directlink', name='vpc-crn', network_id=vpc_crn('x', 'us-east')),
            400, 'invalid_field_value', 'network_id')


def test_a_local_transit_gateway_reaches_only_the_direct_link_locations_of_its_region(sim, tg, dls):
    assert [local['name'] for local in tg.get_gateway_location('us-south').get_result()['local_connection_locations']] == \
        ['us-south', 'dal10', 'dal12']
    east = transit_mode_gateway(dls, sim, 'far-transit', 'wdc04')
    error = refused(lambda: tg.create_transit_gateway_connection(HUB, 'directlink', name='far', network_id=east['crn']),
                    400, 'network_location_not_local', 'network_id')
    assert 'dal-hub has local routing' in error['message'] and 'wdc04' in error['message']
    local_east = transit_mode_gateway(dls, sim, 'local-transit', 'wdc04', **{'global': False})
    error = refused(lambda: tg.create_transit_gateway_connection(HUB, 'directlink', name='far', network_id=local_east['crn']),
                    400, 'network_location_not_local', 'network_id')
    south = transit_mode_gateway(dls, sim, 'south-transit', 'dal12', **{'global': False})
    error = refused(lambda: tg.create_transit_gateway_connection(WDC, 'directlink', name='far', network_id=south['crn']),
                    400, 'network_location_not_local', 'network_id')
    assert 'local routing (global: false)' in error['message']
    far = transit_mode_gateway(dls, sim, 'global-transit', 'dal12')
    tg.create_transit_gateway_connection(WDC, 'directlink', name='global-pair', network_id=far['crn'])
    error = refused(lambda: tg.update_transit_gateway(WDC, global_=False), 409, 'connections_not_local', 'global')
    assert 'global-pair' in error['message']
    tg.create_transit_gateway_connection(HUB, 'directlink', name='near', network_id=south['crn'])  # both local to us-south


def test_requests_the_simulator_cannot_take_are_refused_in_the_ibm_error_body(tg):
    refused(lambda: tg.create_transit_gateway_connection(WDC, 'gre_tunnel', name='gre'), 400, 'network_type_not_supported',
            'network_type')
    refused(lambda: tg.create_transit_gateway_connection(WDC, 'satellite', name='x'), 400, 'invalid_field_value', 'network_type')
    refused(lambda: tg.create_transit_gateway_connection(WDC, 'directlink', network_id=HUB_CRN), 400, 'missing_field', 'name')
    refused(lambda: tg.create_transit_gateway_connection(WDC, 'classic', zone={'name': 'us-east-1'}), 400, 'invalid_field', 'zone')
    refused(lambda: tg.create_transit_gateway('mars-1', 'red'), 400, 'invalid_field_value', 'location')
    refused(lambda: tg.create_transit_gateway('us-east', 'dal-hub'), 409, 'transit_gateway_name_exists', 'name')
    refused(lambda: tg.create_transit_gateway('us-east', 'grouped', global_=True, redundancy_group='rg'), 400, 'not_supported',
            'redundancy_group')
    refused(lambda: tg.create_transit_gateway_connection(HUB, 'classic', name='tgw-dal-hub'), 409, 'connection_name_exists', 'name')
    pending = tg.create_transit_gateway('us-east', 'not-yet').get_result()
    refused(lambda: tg.create_transit_gateway_connection(pending['id'], 'classic'), 409, 'transit_gateway_not_available')
    refused(lambda: tg.get_transit_gateway('abc123'), 404, 'transit_gateway_not_found')  # no invalid_id in this API
    refused(lambda: tg.get_transit_gateway_connection(HUB, 'abc123'), 404, 'connection_not_found')
    refused(lambda: tg.get_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, 'abc123'), 404, 'prefix_filter_not_found')
    refused(lambda: tg.get_gateway_location('mars-1'), 404, 'location_not_found')
    refused(lambda: tg.list_transit_gateways(limit=500), 400, 'invalid_field_value', 'limit')
    refused(lambda: tg.list_connections(start='nowhere'), 400, 'invalid_field_value', 'start')


# ---------------------------------------------------------------------------------------------- cross-account
def test_a_direct_link_gateway_of_another_account_waits_for_its_owner_to_approve(sim, tg, partner_tg, dls):
    partner_dl = sdk_spec.ParsingClient(sim.client(api_key=PARTNER_API_KEY), 'partner direct link ', tg)
    network = transit_mode_gateway(partner_dl, sim, 'partner-transit', 'dal12')
    request = tg.create_transit_gateway_connection(HUB, 'directlink', name='to-partner', network_id=network['crn'],
                                                   network_account_id=PARTNER_ACCOUNT).get_result()
    assert (request['status'], request['request_status'], request['network_account_id']) == ('pending', 'pending', PARTNER_ACCOUNT)
    assert tg.get_transit_gateway(HUB).get_result()['connection_needs_attention'] is True
    assert transit_vcs(partner_dl, network['id']) == {}
    assert [g['id'] for g in partner_tg.list_transit_gateways().get_result()['transit_gateways']] == [HUB]
    refused(lambda: tg.create_transit_gateway_connection_actions(HUB, request['id'], 'approve'), 403, 'not_authorized')
    refused(lambda: partner_tg.update_transit_gateway(HUB, name='taken'), 403, 'not_authorized')
    refused(lambda: partner_tg.create_transit_gateway_connection_actions(HUB, request['id'], 'accept'), 400,
            'invalid_field_value', 'action')

    assert partner_tg.create_transit_gateway_connection_actions(HUB, request['id'], 'approve').get_status_code() == 204
    approved = partner_tg.get_transit_gateway_connection(HUB, request['id']).get_result()
    assert (approved['status'], approved['request_status']) == ('pending', 'approved')
    vc = transit_vcs(partner_dl, network['id'])['to-partner']
    assert (vc['network_id'], vc['network_account']) == (HUB_CRN, DEFAULT_ACCOUNT)
    sim.advance(seconds=SETTLE)
    assert tg.get_transit_gateway_connection(HUB, request['id']).get_result()['status'] == 'attached'
    shared = {g['name']: g['cross_account'] for g in dls.list_gateways().get_result()['gateways']}
    assert shared['partner-transit'] is True  # the network owner's gateway, seen by the transit gateway's owner
    refused(lambda: partner_tg.create_transit_gateway_connection_actions(HUB, request['id'], 'reject'), 409,
            'connection_request_not_pending')
    assert [c['id'] for c in partner_tg.list_connections(network_id=network['crn']).get_result()['connections']] == [request['id']]

    partner_tg.delete_transit_gateway_connection(HUB, request['id'])  # the network owner detaches it
    assert tg.get_transit_gateway_connection(HUB, request['id']).get_result()['status'] == 'detaching'
    sim.advance(seconds=SETTLE)
    detached = tg.get_transit_gateway_connection(HUB, request['id']).get_result()
    assert (detached['status'], detached['request_status']) == ('detached', 'detached')
    assert transit_vcs(partner_dl, network['id']) == {}


def test_a_request_the_network_owner_rejects_or_leaves_unanswered_never_attaches(sim, tg, partner_tg):
    network = transit_mode_gateway(sim.client(api_key=PARTNER_API_KEY), sim, 'partner-transit', 'dal12')
    rejected = tg.create_transit_gateway_connection(HUB, 'directlink', name='rejected', network_id=network['crn']).get_result()
    assert rejected['network_account_id'] == PARTNER_ACCOUNT  # from the CRN
    refused(lambda: tg.create_transit_gateway_connection(WDC, 'directlink', name='second', network_id=network['crn']), 409,
            'network_already_connected', 'network_id')
    partner_tg.create_transit_gateway_connection_actions(HUB, rejected['id'], 'reject')
    answer = tg.get_transit_gateway_connection(HUB, rejected['id']).get_result()
    assert (answer['status'], answer['request_status']) == ('detached', 'rejected')
    unanswered = tg.create_transit_gateway_connection(WDC, 'directlink', name='unanswered', network_id=network['crn']).get_result()
    sim.advance(seconds=APPROVAL_WINDOW)
    answer = tg.get_transit_gateway_connection(WDC, unanswered['id']).get_result()
    assert (answer['status'], answer['request_status']) == ('detached', 'expired')
    assert tg.get_transit_gateway(WDC).get_result()['connection_needs_attention'] is False


# ---------------------------------------------------------------------------------------------- disasters
def test_a_direct_link_gateway_lost_in_a_disaster_leaves_its_connection_detached(sim, tg):
    assert 'dal10-connect-transit' in sim.disaster(location='dal10', mode='lost')['gateways']
    connection = tg.get_transit_gateway_connection(HUB, HUB_CONNECTION).get_result()
    assert connection['status'] == 'detached'
    tg.delete_transit_gateway_connection(HUB, HUB_CONNECTION)
    sim.advance(seconds=SETTLE)
    assert connection_of(tg, HUB, 'tgw-dal-hub') is None


def test_lost_transit_regions_and_a_recovery_onto_another_transit_gateway(sim, tg, dls):
    for settings in ({'location': 'dal10', 'mode': 'down', 'transit_regions': ['us-south']}, {'transit_regions': ['mars-1']}):
        with pytest.raises(SimulatorError, match='400'):
            sim.disaster(**settings)
    lost = sim.disaster(location='dal10', mode='lost', transit_regions=['us-south'])
    assert (lost['transit_regions'], lost['transit_gateways']) == (['us-south'], ['dal-hub'])
    refused(lambda: tg.get_transit_gateway(HUB), 404, 'transit_gateway_not_found')
    assert 'us-south' not in [region['name'] for region in tg.list_gateway_locations().get_result()['locations']]
    refused(lambda: tg.create_transit_gateway('us-south', 'dal-hub'), 400, 'invalid_field_value', 'location')

    backup = {'name': 'tgw-dal-hub', 'prefix_filters_default': 'permit', 'prefix_filters': FILTERS}  # what a backup kept
    replacement = transit_mode_gateway(dls, sim, 'dal10-connect-transit', 'wdc04')
    restored = tg.create_transit_gateway_connection(WDC, 'directlink', network_id=replacement['crn'], **backup).get_result()
    sim.advance(seconds=SETTLE)
    assert tg.get_transit_gateway_connection(WDC, restored['id']).get_result()['status'] == 'attached'
    assert [(f['prefix'], f['le']) for f in restored['prefix_filters']] == [('10.50.0.0/16', 24), ('10.0.0.0/8', 0)]
    assert transit_vcs(dls, replacement['id'])['tgw-dal-hub']['status'] == 'attached'


def test_a_direct_link_gateway_whose_transit_gateway_is_lost_can_be_connected_to_another(sim, tg, dls):
    network = gateway_id(dls, 'dal10-connect-transit')
    sim.disaster(transit_regions=['us-south'])
    assert transit_vcs(dls, network)['tgw-dal-hub']['status'] == 'detached_by_network_pending'
    sim.advance(seconds=NETWORK_DETACH_DELAY)
    assert transit_vcs(dls, network)['tgw-dal-hub']['status'] == 'detached_by_network'
    crn = dls.get_gateway(network).get_result()['crn']
    tg.create_transit_gateway_connection(WDC, 'directlink', name='tgw-wdc-hub', network_id=crn)
    sim.advance(seconds=SETTLE)
    assert transit_vcs(dls, network)['tgw-wdc-hub']['status'] == 'attached'


# ---------------------------------------------------------------------------------------------- prefix filters, lists
def test_prefix_filters_are_ordered_with_before(tg):
    def order():
        listing = tg.list_transit_gateway_connection_prefix_filters(HUB, HUB_CONNECTION).get_result()['prefix_filters']
        assert [item.get('before') for item in listing] == [item['id'] for item in listing[1:]] + [None]
        return [item['prefix'] for item in listing]

    first, second, third = ('10.10.0.0/16', '172.16.0.0/12', '10.0.0.0/8')
    assert order() == [first, second, third]
    ids = {item['prefix']: item['id'] for item in tg.get_transit_gateway_connection(HUB, HUB_CONNECTION).get_result()['prefix_filters']}
    added = tg.create_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, 'deny', '10.10.99.0/24',
                                                               before=ids[second]).get_result()
    assert added['before'] == ids[second] and order() == [first, '10.10.99.0/24', second, third]
    tg.update_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, ids[third], before=ids[first])
    assert order() == [third, first, '10.10.99.0/24', second]
    tg.delete_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, added['id'])
    assert order() == [third, first, second]
    refused(lambda: tg.create_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, 'permit', '10.1.0.0/16', ge=8),
            400, 'invalid_field_value', 'ge')
    refused(lambda: tg.create_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, 'permit', '2001:db8::/32'),
            400, 'invalid_field_value', 'prefix')
    refused(lambda: tg.create_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, 'permit', '10.1.0.0/16',
                                                                       before=HUB), 400, 'invalid_field_value', 'before')
    for number in range(7):
        tg.create_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, 'permit', f'192.168.{number}.0/24')
    refused(lambda: tg.create_transit_gateway_connection_prefix_filter(HUB, HUB_CONNECTION, 'permit', '192.168.9.0/24'),
            409, 'quota_exceeded')


def test_lists_page_with_limit_and_start_and_filter_by_network(sim, tg):
    page = tg.list_transit_gateways(limit=1).get_result()
    assert page['limit'] == 1 and page['first']['href'].endswith('/v1/transit_gateways?limit=1')
    rest = tg.list_transit_gateways(limit=1, start=page['next']['start']).get_result()
    assert [g['name'] for g in page['transit_gateways'] + rest['transit_gateways']] == ['dal-hub', 'wdc-hub'] and 'next' not in rest
    tg.create_transit_gateway_connection(HUB, 'classic')
    tg.create_transit_gateway_connection(HUB, 'vpc', network_id=vpc_crn('lists', 'us-south'))
    connections = tg.list_transit_gateway_connections(HUB, limit=2).get_result()
    assert (connections['total_count'], len(connections['connections']), connections['next']['href'].count('limit=2')) == (3, 2, 1)
    assert [c['name'] for c in tg.list_transit_gateway_connections(HUB, name='Classic').get_result()['connections']] == ['Classic']
    everything = tg.list_connections().get_result()['connections']
    assert {(c['network_type'], c['transit_gateway']['id']) for c in everything} == \
        {('directlink', HUB), ('classic', HUB), ('vpc', HUB)}
    assert [c['id'] for c in tg.list_connections(network_type='directlink').get_result()['connections']] == [HUB_CONNECTION]
    vpc = tg.list_connections(network_id=vpc_crn('lists', 'us-south')).get_result()
    assert [c['network_type'] for c in vpc['connections']] == ['vpc'] and 'network_id=' in vpc['first']['href']


# ---------------------------------------------------------------------------------------------- the server's edges
def test_transit_requests_pass_the_same_version_iam_rate_limit_faults_and_stats(sim, tg):
    refused(lambda: sim.transit_client(version='2019-01-01').list_transit_gateways(), 400, 'invalid_version')
    unauthenticated = requests.get(f'{sim.api_url}/transit_gateways', params={'version': '2024-11-01'}, timeout=10)
    assert (unauthenticated.status_code, unauthenticated.json()['errors'][0]['code']) == (401, 'not_authorized')
    sim.reset_stats()
    tg.get_transit_gateway(HUB)
    tg.list_transit_gateway_connection_prefix_filters(HUB, HUB_CONNECTION)
    stats = sim.stats()
    assert {key: count for key, count in stats['requests'].items() if ' /v1/' in key} == {
        'GET /v1/transit_gateways/{id}': 1, 'GET /v1/transit_gateways/{transit_gateway_id}/connections/{id}/prefix_filters': 1}
    assert stats['by_status'] == {'200': 2}
    sim.faults(rate=1.0, statuses=[503], paths=['/v1/transit_gateways/{id}'])
    refused(lambda: tg.get_transit_gateway(HUB), 503, 'service_unavailable')
    sim.faults()
    sim.rate_limit(rps=0.01, burst=1)
    tg.get_transit_gateway(HUB)
    refused(lambda: tg.get_transit_gateway(HUB), 429, 'rate_limit_exceeded')
    sim.rate_limit()
    assert sim.stats()['faults_injected'] == 1 and sim.stats()['rate_limited'] == 1
