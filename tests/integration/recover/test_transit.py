"""The whole path of a transit-mode gateway: its Transit Gateway connection backed up, recreated by the recovery
(on its transit gateway or the one the plan maps it to), verified; and cross-account approvals with the partner's key.
Every request goes through the SDK to the simulator, whose Transit Gateway API makes the ``transit`` virtual
connection appear on the Direct Link side."""

import yaml

from dlsim.seeds import DEMO_TRANSIT_CONNECTION, PARTNER_ACCOUNT, PARTNER_API_KEY, transit_gateway_id
from drill import backup, recover, report_document, verify, write_plan

HUB = transit_gateway_id('hub')
WDC_HUB = transit_gateway_id('wdc-hub')
TRANSIT_ONLY = ['dal10-connect-transit']


def connections_to(sim, gateway_name):
    """The Transit Gateway connections (API objects) to one gateway, read through the SDK."""
    gateway = sim.gateway(gateway_name)
    return sim.transit_client().list_connections(network_id=gateway['crn']).get_result()['connections']


def stored_gateway(backup_dir, host):
    with open(backup_dir / 'host_vars' / host / 'direct_link.yml', encoding='utf-8') as stream:
        return yaml.safe_load(stream)['direct_link_backup']['gateway']


def filters(items):
    """Prefix filters as the options give them: ge and le only when set (the API answers 0 for unset)."""
    return [{key: item[key] for key in ('action', 'prefix', 'ge', 'le') if item.get(key)} for item in items]


def test_the_backup_records_the_connection_with_its_prefix_filters_in_order(sim, tmp_path):
    sim.reset_stats()
    taken = backup(sim, tmp_path, tmp_path / 'backup')
    assert taken.rc == 0, taken.output
    stored = stored_gateway(tmp_path / 'backup', 'dal10_connect_transit')
    assert stored['transit_connections'] == [{
        'name': 'tgw-dal-hub', 'transit_gateway': {'id': HUB, 'name': 'dal-hub', 'location': 'us-south', 'global': False},
        'prefix_filters': filters(DEMO_TRANSIT_CONNECTION['prefix_filters']),
        'prefix_filters_default': DEMO_TRANSIT_CONNECTION['prefix_filters_default'], 'read_only': {'status': 'attached'}}]
    assert 'transit_connections' not in stored_gateway(tmp_path / 'backup', 'dal10_connect_primary')
    # Request economy: one list of the account's directlink connections, one read of the transit gateway they use.
    requests = sim.stats()['requests']
    assert requests.get('GET /v1/connections') == 1
    assert requests.get('GET /v1/transit_gateways/{id}') == 1


def test_the_recovery_recreates_the_connection_verify_passes_and_a_rerun_changes_nothing(sim, tmp_path, backup_dir):
    sim.disaster(location='dal10', mode='lost')
    plan = write_plan(tmp_path, recover_limit=TRANSIT_ONLY)
    sim.reset_stats()
    planned = recover(sim, tmp_path, backup_dir, '--check', '--diff', plan=plan)
    assert planned.rc == 0, planned.output
    assert sim.stats()['mutating'] == 0
    assert '"dal-hub/tgw-dal-hub-dr"' in planned.output  # the diff names the connection to be made

    first = recover(sim, tmp_path, backup_dir, plan=plan)
    assert first.rc == 0, first.output
    [connection] = connections_to(sim, 'dal10-connect-transit-dr')
    assert connection['transit_gateway']['id'] == HUB and connection['name'] == 'tgw-dal-hub-dr'
    assert connection['status'] == 'attached'
    assert filters(connection['prefix_filters']) == filters(DEMO_TRANSIT_CONNECTION['prefix_filters'])
    assert connection['prefix_filters_default'] == DEMO_TRANSIT_CONNECTION['prefix_filters_default']
    [vc] = sim.gateway('dal10-connect-transit-dr')['virtual_connections']
    assert vc['type'] == 'transit' and vc['status'] == 'attached'
    report = (tmp_path / 'recovery-report.md').read_text()
    assert 'tgw-dal-hub-dr (Transit Gateway dal-hub)' in report and 'recreate the connection' not in report

    verified = verify(sim, tmp_path, backup_dir, plan=plan)
    assert verified.rc == 0, verified.output
    assert report_document(tmp_path / 'verify-report.json')['status'] == 'match'

    sim.reset_stats()
    again = recover(sim, tmp_path, backup_dir, plan=plan)
    assert again.rc == 0, again.output
    assert sim.stats()['mutating'] == 0 and again.changed_hosts() == []


def test_a_lost_or_unreachable_transit_gateway_stops_the_pre_flight_and_a_mapped_one_is_used(sim, tmp_path, backup_dir):
    sim.disaster(location='dal10', mode='lost', transit_regions=['us-south'])
    sim.reset_stats()
    unmapped = recover(sim, tmp_path, backup_dir, plan=write_plan(tmp_path, recover_limit=TRANSIT_ONLY))
    assert unmapped.rc != 0
    assert f"transit connection 'tgw-dal-hub-dr': transit gateway dal-hub ({HUB}) does not exist" in unmapped.output
    assert 'recover_transit_gateway_map' in unmapped.output
    assert sim.stats()['mutating'] == 0 and sim.gateway('dal10-connect-transit-dr') is None

    sim.transit_client().create_transit_gateway(location='us-east', name='wdc-local', global_=False)
    sim.advance(seconds=10)  # the simulator's clock: the new transit gateway is available
    local_plan = write_plan(tmp_path, recover_limit=TRANSIT_ONLY, recover_transit_gateway_map={HUB: 'wdc-local'})
    local = recover(sim, tmp_path, backup_dir, plan=local_plan)
    assert local.rc != 0
    assert 'transit gateway wdc-local has local routing in us-east, which does not reach dal12' in local.output
    assert sim.stats()['mutating'] == 1 and sim.gateway('dal10-connect-transit-dr') is None  # the create above only

    mapped_plan = write_plan(tmp_path, recover_limit=TRANSIT_ONLY, recover_transit_gateway_map={'dal-hub': 'wdc-hub'})
    mapped = recover(sim, tmp_path, backup_dir, plan=mapped_plan)
    assert mapped.rc == 0, mapped.output
    [connection] = connections_to(sim, 'dal10-connect-transit-dr')
    assert connection['transit_gateway']['id'] == WDC_HUB and connection['status'] == 'attached'


def test_the_partner_key_approves_the_cross_account_request_and_without_it_the_report_waits(sim, tmp_path, backup_dir):
    sim.disaster(location='dal10', mode='lost')
    limit = ['dal10-dedicated-macsec']
    waiting = recover(sim, tmp_path, backup_dir, plan=write_plan(tmp_path, recover_limit=limit))
    assert waiting.rc == 0, waiting.output
    sim.advance(name='dal10-dedicated-macsec-dr', to='provisioned')
    without = recover(sim, tmp_path, backup_dir, plan=write_plan(tmp_path, recover_limit=limit))
    assert without.rc == 0, without.output
    statuses = {vc['name']: vc['status'] for vc in sim.gateway('dal10-dedicated-macsec-dr')['virtual_connections']}
    assert statuses['vc-partner-vpc'] == 'approval_pending'
    assert 'Approval: the account owning' in (tmp_path / 'recovery-report.md').read_text()

    plan = write_plan(tmp_path, recover_limit=limit, recover_approvals={PARTNER_ACCOUNT: 'DR_PARTNER_KEY'})
    missing = recover(sim, tmp_path, backup_dir, plan=plan)
    assert missing.rc != 0 and 'the environment variable DR_PARTNER_KEY is not set' in missing.output

    sim.reset_stats()
    approved = recover(sim, tmp_path, backup_dir, plan=plan, env={'DR_PARTNER_KEY': PARTNER_API_KEY})
    assert approved.rc == 0, approved.output
    assert PARTNER_API_KEY not in approved.output
    statuses = {vc['name']: vc['status'] for vc in sim.gateway('dal10-dedicated-macsec-dr')['virtual_connections']}
    assert statuses == {'vc-data-vpc': 'attached', 'vc-partner-vpc': 'attached'}
    assert sim.stats()['requests'].get('PATCH /v1/gateways/{gateway_id}/virtual_connections/{id}') == 1
    assert 'Approval: the account owning' not in (tmp_path / 'recovery-report.md').read_text()
