"""The recovery drill through the recover and verify playbooks against the simulator."""

import pytest

from dlsim.catalog import port_id
from drill import DAL10, DEMO_PLAN, backup, recover, report_document, verify, write_plan


@pytest.fixture
def sim_options():
    return {'provision_delay': 0.3, 'vc_delay': 0.2}


@pytest.mark.parametrize('mode, strategy', [('lost', ['-e', 'recover_strategy=batch']),
                                            ('down', ['-e', 'recover_strategy=per_host']),
                                            ('lost', ['-e', 'recover_strategy=per_host', '-e', 'recover_start_all_first=false'])],
                         ids=['batch', 'per-host', 'per-host-one-pass'])
def test_full_drill(sim, tmp_path, backup_dir, mode, strategy):
    sim.disaster(location='dal10', mode=mode)
    sim.reset_stats()
    planned = recover(sim, tmp_path, backup_dir, '--check', '--diff', *strategy)
    assert planned.rc == 0, planned.output
    assert sim.stats()['mutating'] == 0

    first = recover(sim, tmp_path, backup_dir, *strategy)
    assert first.rc == 0, first.output
    for name in DAL10:
        replacement = sim.gateway(f'{name}-dr')
        assert replacement is not None and replacement['location_name'] == 'dal12'
    assert sim.gateway('dal10-dedicated-macsec-dr')['operational_status'] == 'awaiting_loa'
    assert len(sim.gateway('dal10-connect-primary-dr')['virtual_connections']) == 2
    report = (tmp_path / 'recovery-report.md').read_text()
    assert 'LOA: IBM uploads the letter of authorization' in report and 'tgw-dal-hub-dr (Transit Gateway dal-hub)' in report
    assert 'Re-run the recovery once the gateway is provisioned to create vc-data-vpc, vc-partner-vpc' in report
    document = report_document(tmp_path / 'recovery-report.json')
    assert document['status'] == 'recovered' and [row['new_name'] for row in document['gateways']] == [
        f'{name}-dr' for name in DAL10]
    steps = [step for row in document['gateways'] for step in row['steps']]
    assert steps and all(f'\n- {step}\n' in report for step in steps)
    assert document['pending'] == [line[len('- pending: '):] for line in report.splitlines() if line.startswith('- pending: ')]

    verified = verify(sim, tmp_path, backup_dir, plan=DEMO_PLAN)
    assert verified.rc == 0, verified.output
    assert report_document(tmp_path / 'verify-report.json')['status'] == 'match'

    sim.reset_stats()
    again = recover(sim, tmp_path, backup_dir, *strategy)
    assert again.rc == 0 and sim.stats()['mutating'] == 0
    assert again.recap() and again.changed_hosts() == [], again.stdout

    sim.advance(name='dal10-dedicated-macsec-dr', to='provisioned')
    sim.reset_stats()
    after_loa = recover(sim, tmp_path, backup_dir, *strategy)
    assert after_loa.rc == 0, after_loa.output
    assert sim.stats()['requests'].get('POST /v1/gateways/{gateway_id}/virtual_connections') == 2
    assert {vc['name'] for vc in sim.gateway('dal10-dedicated-macsec-dr')['virtual_connections']} == {
        'vc-data-vpc', 'vc-partner-vpc'}
    # The partner's approval is a step for people: the run finished, and the report says what to do.
    assert 'Approval: the account owning' in (tmp_path / 'recovery-report.md').read_text()


def test_broken_plan_fails_in_pre_flight_listing_every_problem(sim, tmp_path, backup_dir):
    sim.disaster(location='dal10', mode='lost')
    taken = backup(sim, tmp_path, tmp_path / 'unused')
    assert taken.rc == 0
    plan = write_plan(
        tmp_path,
        recover_location_map={'dal10': 'dal12', 'fra02': 'mars01'},
        recover_port_map={port_id('dal10', 'EQUINIX', 'PRI'): port_id('wdc04', 'EQUINIX', 'PRI'),
                          port_id('dal10', 'MEGAPORT', 'PRI'): {'provider': 'EQUINIX'}},
        recover_limit=DAL10 + ['fra02-dedicated', 'wdc04-connect-backup'],
        recover_name_template='{name}',
        recover_locaton_map={'typo': 'here'},
    )
    host_file = backup_dir / 'host_vars' / 'wdc04_connect_backup' / 'direct_link.yml'
    host_file.write_text(host_file.read_text().replace('speed_mbps: 500', 'speed_mbps: 300'))
    sim.reset_stats()
    result = recover(sim, tmp_path, backup_dir, plan=plan)
    assert result.rc != 0
    output = result.output
    for expected in ('unknown key recover_locaton_map (did you mean recover_location_map?)',
                     'wdc04_connect_backup/direct_link.yml: checksum does not match the manifest',
                     f"port {port_id('wdc04', 'EQUINIX', 'PRI')} is at wdc04, not at dal12",
                     'picks provider EQUINIX at dal12, which has 2 such ports',
                     'location_name mars01 does not offer dedicated gateways'):
        assert expected in output, expected
    assert sim.stats()['mutating'] == 0


def test_taken_name_and_unmapped_network_are_pre_flight_problems(sim, tmp_path, backup_dir):
    plan = write_plan(tmp_path, recover_location_map={'dal10': 'dal12', 'wdc04': 'dal12'},
                      recover_port_map={port_id('dal10', 'EQUINIX', 'PRI'): port_id('dal12', 'EQUINIX', 'SEC'),
                                        port_id('wdc04', 'EQUINIX', 'PRI'): port_id('dal12', 'EQUINIX', 'PRI')},
                      recover_limit=['dal10-connect-primary', 'wdc04-connect-backup'],
                      recover_name_template='{name}', recover_bgp='keep')
    sim.reset_stats()
    result = recover(sim, tmp_path, backup_dir, plan=plan)
    assert result.rc != 0
    assert 'the name dal10-connect-primary is taken by gateway' in result.output
    assert "virtual connection 'vc-app-east' connects VPC" in result.output and 'recover_network_map' in result.output
    assert sim.stats()['mutating'] == 0


def test_verify_reports_drift(sim, tmp_path, backup_dir):
    gateway_id = sim.gateway('wdc04-connect-backup')['id']
    sim.client().update_gateway(gateway_id, {'speed_mbps': 1000})
    result = verify(sim, tmp_path, backup_dir)
    assert result.rc != 0
    assert "gateway 'wdc04-connect-backup' (host wdc04_connect_backup): speed_mbps is 1000, backup has 500" in result.output
    document = report_document(tmp_path / 'verify-report.json')
    assert document['status'] == 'drift' and any('speed_mbps is 1000' in line for line in document['drift'])
    assert 'speed_mbps is 1000, backup has 500' in (tmp_path / 'verify-report.md').read_text()


def test_empty_backup_directory_is_a_clear_error(sim, tmp_path):
    empty = tmp_path / 'empty'
    empty.mkdir()
    (empty / 'inventory.yml').write_text('all: {}\n')
    sim.reset_stats()
    result = recover(sim, tmp_path, empty)
    assert result.rc != 0 and 'direct_link_manifest.yml: missing' in result.output
    assert sim.stats()['mutating'] == 0
