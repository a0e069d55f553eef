"""Transit Gateway connections: their shape, the endpoint, the checks before any change, the plan's map, the backup
reader's checks and the manual steps they leave."""

import backup_writer
import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import auth, manual_steps, normalize, recovery, transit_state

HUB_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
SPARE_ID = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e'
API_CONNECTION = {
    'id': 'c0ffee00-0000-4000-8000-000000000001', 'name': 'tgw-dal-hub', 'network_type': 'directlink',
    'network_id': 'crn:v1:bluemix:public:directlink:dal10:a/acct::connect:gw1', 'status': 'attached',
    'created_at': '2026-01-15T10:00:00.000Z', 'transit_gateway': {'id': HUB_ID, 'name': 'dal-hub', 'crn': 'crn:tgw'},
    'prefix_filters': [{'id': 'f1', 'action': 'permit', 'prefix': '10.10.0.0/16', 'le': 24, 'created_at': 'x'},
                       {'id': 'f2', 'action': 'deny', 'prefix': '10.0.0.0/8', 'before': None}],
    'prefix_filters_default': 'deny'}
API_HUB = {'id': HUB_ID, 'name': 'dal-hub', 'location': 'us-south', 'global': False, 'status': 'available'}
DESIRED = {'name': 'dal10-transit', 'type': 'connect', 'connection_mode': 'transit', 'location_name': 'dal10',
           'transit_connections': [{'name': 'tgw-dal-hub', 'transit_gateway': {'id': HUB_ID, 'name': 'dal-hub'},
                                    'prefix_filters': [{'action': 'permit', 'prefix': '10.10.0.0/16', 'le': 24}],
                                    'prefix_filters_default': 'deny'}]}


class FakeTransitGateways:
    """The lookups transit_state.problems makes, answered from a dict (no service)."""

    def __init__(self, gateways, reachable, connections=None):
        self.gateways = gateways
        self.locations = reachable
        self.by_gateway = connections or {}

    def connections(self, transit_gateway_id):
        return self.by_gateway.get(transit_gateway_id, [])

    def find(self, reference):
        return self.gateways.get(reference.get('id') or reference.get('name'))

    def reachable(self, location):
        return self.locations.get(location, [])


def test_a_connection_is_shaped_with_its_transit_gateway_and_its_filters_in_order():
    shaped = normalize.transit_connection(API_CONNECTION, API_HUB)
    assert shaped == {'name': 'tgw-dal-hub', 'transit_gateway': {'id': HUB_ID, 'name': 'dal-hub', 'location': 'us-south',
                                                                 'global': False},
                      'prefix_filters': [{'action': 'permit', 'prefix': '10.10.0.0/16', 'le': 24},
                                         {'action': 'deny', 'prefix': '10.0.0.0/8'}],
                      'prefix_filters_default': 'deny',
                      'read_only': {'id': API_CONNECTION['id'], 'status': 'attached', 'created_at': '2026-01-15T10:00:00.000Z'}}


def test_the_create_request_keeps_the_order_and_the_default_and_names_the_gateway_crn():
    body = transit_state.template(DESIRED['transit_connections'][0], 'crn:gw')
    assert body == {'name': 'tgw-dal-hub', 'network_id': 'crn:gw', 'prefix_filters_default': 'deny',
                    'prefix_filters': [{'action': 'permit', 'prefix': '10.10.0.0/16', 'le': 24}]}


def test_an_existing_connection_with_other_filters_is_reported_as_differing():
    assert transit_state.differences(DESIRED['transit_connections'][0], API_CONNECTION) == ['prefix_filters']
    same = dict(API_CONNECTION, prefix_filters=API_CONNECTION['prefix_filters'][:1])
    assert transit_state.differences(DESIRED['transit_connections'][0], same) == []


@pytest.mark.parametrize('endpoint, expected', [
    ('https://directlink.cloud.ibm.com/v1', 'https://transit.cloud.ibm.com/v1'),
    ('https://private.directlink.cloud.ibm.com/v1', 'https://private.transit.cloud.ibm.com/v1'),
    ('http://127.0.0.1:8443/v1', 'http://127.0.0.1:8443/v1'),
])
def test_the_transit_endpoint_follows_the_direct_link_one(endpoint, expected):
    assert auth.transit_endpoint({'endpoint': endpoint, 'transit_endpoint': None}, environ={}) == expected


def test_the_environment_s_transit_endpoint_goes_with_its_direct_link_endpoint_only():
    environ = {'IBMCLOUD_DL_API_ENDPOINT': 'https://dl.example/v1', 'IBMCLOUD_TG_API_ENDPOINT': 'https://tg.example/v1'}
    assert auth.transit_endpoint({'endpoint': 'https://dl.example/v1'}, environ) == 'https://tg.example/v1'
    # A task pointed at another endpoint (a rehearsal's private simulator) keeps its token away from the environment's.
    assert auth.transit_endpoint({'endpoint': 'http://127.0.0.1:9999/v1'}, environ) == 'http://127.0.0.1:9999/v1'
    assert auth.transit_endpoint({'endpoint': auth.DEFAULT_ENDPOINT},
                                 {'IBMCLOUD_TG_API_ENDPOINT': 'https://tg.example/v1'}) == 'https://tg.example/v1'


def test_an_explicit_transit_endpoint_wins():
    assert auth.transit_endpoint({'endpoint': 'https://directlink.cloud.ibm.com/v1',
                                  'transit_endpoint': 'https://proxy.example/tgw'}, environ={}) == 'https://proxy.example/tgw'


def test_a_reachable_transit_gateway_is_no_problem():
    gateways = FakeTransitGateways({HUB_ID: API_HUB}, {'us-south': ['dal10', 'dal12']})
    assert transit_state.problems(gateways, DESIRED) == []


def test_a_missing_transit_gateway_names_the_connection_and_the_plan_key():
    problems = transit_state.problems(FakeTransitGateways({}, {}), DESIRED)
    assert len(problems) == 1
    assert "transit connection 'tgw-dal-hub'" in problems[0] and f'dal-hub ({HUB_ID}) does not exist' in problems[0]
    assert 'recover_transit_gateway_map' in problems[0]


def test_a_local_transit_gateway_that_does_not_reach_the_location_is_a_problem():
    gateways = FakeTransitGateways({HUB_ID: API_HUB}, {'us-south': ['dal10']})
    problems = transit_state.problems(gateways, dict(DESIRED, location_name='wdc04'))
    assert len(problems) == 1 and 'local routing in us-south, which does not reach wdc04 (it reaches dal10)' in problems[0]
    assert transit_state.problems(FakeTransitGateways({HUB_ID: dict(API_HUB, **{'global': True})}, {}),
                                  dict(DESIRED, location_name='wdc04')) == []


def test_a_name_the_transit_gateway_gives_another_network_is_a_problem_but_the_gateway_s_own_is_not():
    stale = dict(API_CONNECTION, status='detached')
    gateways = FakeTransitGateways({HUB_ID: API_HUB}, {'us-south': ['dal10']}, {HUB_ID: [stale]})
    problems = transit_state.problems(gateways, DESIRED)
    assert len(problems) == 1 and 'already has a connection of that name' in problems[0]
    assert f"{API_CONNECTION['network_id']}, detached" in problems[0] and 'recover_name_template' in problems[0]
    assert transit_state.problems(gateways, DESIRED, gateway_crn=API_CONNECTION['network_id']) == []


def test_transit_connections_need_a_transit_mode_gateway():
    problems = transit_state.problems(FakeTransitGateways({HUB_ID: API_HUB}, {}), dict(DESIRED, connection_mode='direct'))
    assert problems == ['transit_connections need connection_mode transit: only a transit-mode gateway can be attached '
                        'to a transit gateway']


@pytest.mark.parametrize('target, expected', [(SPARE_ID, {'id': SPARE_ID}), ('wdc-hub', {'name': 'wdc-hub'})])
def test_the_plan_maps_a_transit_gateway_by_old_id_or_name_to_an_id_or_a_name(target, expected):
    item = dict(DESIRED['transit_connections'][0], read_only={'status': 'attached'})
    for key in (HUB_ID, 'dal-hub'):
        mapped = recovery._remap_transit_connection(item, recovery.Plan({'recover_transit_gateway_map': {key: target}}))  # pylint: disable=protected-access
        assert mapped['transit_gateway'] == expected and 'read_only' not in mapped
    unmapped = recovery._remap_transit_connection(item, recovery.Plan({'recover_name_template': '{name}-dr'}))  # pylint: disable=protected-access
    assert unmapped['transit_gateway'] == item['transit_gateway'] and unmapped['name'] == 'tgw-dal-hub-dr'


def test_the_backup_reader_names_a_malformed_transit_connection(tmp_path):
    gateway = {'id': 'g1', 'name': 'gw', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999, 'port': 'p1',
               'location_name': 'dal10', 'connection_mode': 'transit',
               'transit_connections': [{'name': 'c1', 'transit_gateway': {'name': 'no-id'}},
                                       {'name': 'c2', 'transit_gateway': {'id': HUB_ID},
                                        'prefix_filters': [{'action': 'allow', 'prefix': '10.0.0.0/8'}],
                                        'prefix_filters_default': 'maybe'}]}
    backup_writer.write_backup(tmp_path, gateway, 'gw')
    problems = recovery.read_backup(str(tmp_path)).problems
    assert any('gateway.transit_connections[0].transit_gateway must be a mapping with the id' in p for p in problems)
    assert any('gateway.transit_connections[1].prefix_filters[0] must be a mapping with an action (permit or deny)' in p
               for p in problems)
    assert any("gateway.transit_connections[1].prefix_filters_default is 'maybe', expected permit or deny" in p
               for p in problems)


def test_drift_names_a_missing_connection_and_other_filters():
    live = [normalize.transit_connection(API_CONNECTION, API_HUB)]
    assert recovery.transit_drift(DESIRED['transit_connections'], live) == [
        f'transit connection tgw-dal-hub on transit gateway dal-hub ({HUB_ID}): prefix_filters differ']
    assert recovery.transit_drift(DESIRED['transit_connections'], []) == [
        f'transit connection tgw-dal-hub on transit gateway dal-hub ({HUB_ID}) is missing']


def test_recorded_connections_leave_no_manual_transit_step_unless_waiting():
    notes = {'provider': 'MEGAPORT', 'port_label': 'p', 'original_bgp_cer_cidr': None}
    done = {'gateway': {}, 'virtual_connections': [],
            'transit_connections': [{'name': 'tgw-dal-hub', 'transit_gateway': {'name': 'dal-hub'}, 'action': 'created'}]}
    texts = [step.text for step in manual_steps.steps(DESIRED, notes, done)]
    assert not any('Transit Gateway' in text for text in texts)
    waiting = dict(done, transit_connections=[dict(done['transit_connections'][0], action='pending_gateway')])
    texts = [step.text for step in manual_steps.steps(DESIRED, notes, waiting)]
    assert any('create connection tgw-dal-hub on transit gateway dal-hub' in text for text in texts)
    unrecorded = dict(DESIRED, transit_connections=[])
    assert any(step.key == 'transit_connection' for step in manual_steps.steps(unrecorded, notes, done))


def test_a_transit_gateway_map_value_that_names_no_transit_gateway_is_a_plan_problem():
    plan = recovery.Plan({'recover_transit_gateway_map': {'dal-hub': 123, HUB_ID: '', 'ok': 'wdc-hub'}})
    assert plan.problems([]) == [
        f"plan: recover_transit_gateway_map[{HUB_ID}] is '', expected the id or name of a transit gateway",
        'plan: recover_transit_gateway_map[dal-hub] is 123, expected the id or name of a transit gateway']
