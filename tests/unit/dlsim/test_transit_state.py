"""The Transit Gateway state beside the Direct Link one, without HTTP: documents that have none (state files written
before it, generated seeds, replicas) load as accounts without transit gateways, its locations follow the Direct Link
catalog, and its lifecycles run on the simulator's clock with the configured delays."""

import json

from dlsim import seeds, server
from dlsim.catalog import default_catalog, transit_locations
from dlsim.iam import DEFAULT_ACCOUNT
from dlsim.state import Account
from dlsim.transit import TransitGateways


def state_before_transit_gateways():
    """The demo state as a simulator wrote it before it served the Transit Gateway API."""
    doc = seeds.demo()
    doc.pop('transit_gateways')
    doc['catalog'].pop('transit_locations')
    return doc


def test_a_state_file_without_transit_gateways_loads_as_an_account_without_any(tmp_path):
    state_file = tmp_path / 'state.json'
    state_file.write_text(json.dumps(state_before_transit_gateways()))
    simulator = server.build(state_file=str(state_file))
    assert simulator.transit.visible(DEFAULT_ACCOUNT) == []
    assert simulator.transit.locations() == default_catalog()['transit_locations']
    written = json.loads(state_file.read_text())
    assert written['transit_gateways'] == [] and len(written['gateways']) == len(seeds.demo()['gateways'])


def test_seeds_without_transit_gateways_have_an_empty_list():
    assert seeds.load(state_before_transit_gateways())['transit_gateways'] == []
    assert seeds.generate(3, 1)['transit_gateways'] == [] and seeds.empty()['transit_gateways'] == []
    assert [g['name'] for g in seeds.load({'seed': 'demo'})['transit_gateways']] == ['dal-hub', 'wdc-hub']


def test_transit_locations_follow_the_regions_of_the_direct_link_catalog():
    tokyo = {'name': 'tok02', 'display_name': 'Tokyo 02', 'vpc_region': 'jp-tok', 'market': 'Tokyo', 'billing_location': 'ap'}
    regions = transit_locations({'locations': {'connect': [tokyo, {'name': 'nowhere01'}], 'dedicated': [tokyo]}})
    assert [(r['name'], r['billing_location'], [(local['name'], local['type']) for local in r['local_connection_locations']])
            for r in regions] == [('jp-tok', 'ap', [('jp-tok', 'region'), ('tok02', 'dc')])]
    assert [zone['name'] for zone in regions[0]['zones']] == ['jp-tok-1', 'jp-tok-2', 'jp-tok-3']


def test_lifecycles_run_on_the_simulator_clock_with_the_configured_delays():
    account = Account(seeds.demo(), provision_delay=30, vc_delay=10)
    transit = TransitGateways(account)
    gateway = transit.create_gateway(DEFAULT_ACCOUNT, {'name': 'clocked', 'location': 'us-east', 'global': True})
    account.advance_clock(29)
    transit.tick()
    assert gateway['status'] == 'pending'
    account.advance_clock(1)
    transit.tick()
    assert gateway['status'] == 'available'
    connection = transit.create_connection(DEFAULT_ACCOUNT, gateway['id'], {'network_type': 'classic'})
    account.advance_clock(10)
    account.tick()
    transit.tick()
    assert connection['status'] == 'attached' and connection['updated_at'] > connection['created_at']
