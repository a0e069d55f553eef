"""Decommission checks: what the plan selects, what refuses a gateway for good, what only force lets through."""

import copy
import os

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import decommission, recovery, report_files
from catalog_stubs import EmptyCatalog

PLAN = {'recover_location_map': {'dal10': 'dal12'}, 'recover_port_map': {'p1': 'p2'}, 'recover_name_template': '{name}-dr'}
ORIGINAL = {'id': 'g1', 'name': 'dal10-gw', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999, 'port': 'p1',
            'location_name': 'dal10', 'virtual_connections': [{'name': 'vc', 'type': 'classic', 'read_only': {'status': 'attached'}}]}
SHA = 'a' * 64


def backup_of(*sections):
    backup = recovery.Backup()
    for section in sections:
        host = section['gateway']['name'].replace('-', '_')
        backup.gateways[host] = section
        backup.manifest.setdefault('gateways', {})[host] = {'sha256': SHA}
    return backup


def section(gateway=None, **extra):
    gateway = copy.deepcopy(gateway or ORIGINAL)
    return dict({'gateway': gateway, 'source': {'id': gateway['id']}, 'present': True}, **extra)


def live(gateway, gateway_id=None, status='provisioned', cross_account=False, **changes):
    """A gathered gateway (as gather_gateways returns it) for a backed-up one."""
    found = copy.deepcopy(gateway)
    found.update(changes)
    found['id'] = gateway_id or gateway['id']
    found['virtual_connections'] = [dict(vc, read_only={'id': f"{found['id']}-{vc['name']}", 'status': 'attached'})
                                    for vc in found.get('virtual_connections') or []]
    found['read_only'] = {'operational_status': status, 'cross_account': cross_account, 'crn': f"crn:{found['id']}"}
    return found


def replacement_of(gateway=None, **changes):
    gateway = gateway or ORIGINAL
    return live(gateway, 'r1', name=f"{gateway['name']}-dr", location_name='dal12', port='p2', **changes)


def assess(accounts, selection=None, sections=None):
    backup = backup_of(*(sections or [section()]))
    chosen = decommission.Selection(selection or {'decommission_gateways': ['dal10-gw']})
    return decommission.assess(recovery.Plan(PLAN), backup, chosen, accounts, EmptyCatalog())


def test_a_gateway_with_a_verified_replacement_is_planned_with_its_backup_file():
    [candidate] = assess([live(ORIGINAL), replacement_of()])
    assert candidate.refusals == [] and candidate.unverified == []
    assert decommission.blocking([candidate], force=False) == []
    planned = decommission.planned(candidate, '/srv/backup')
    assert planned['backup_file'] == {'path': '/srv/backup/host_vars/dal10_gw/direct_link.yml', 'sha256': SHA}
    assert planned['virtual_connections'] == [{'name': 'vc', 'type': 'classic', 'id': 'g1-vc'}]
    assert planned['replacement'] == {'name': 'dal10-gw-dr', 'id': 'r1', 'location_name': 'dal12', 'operational_status': 'provisioned'}
    assert decommission.diff([planned]) == {
        'before': {'gateways': {'dal10-gw': {'id': 'g1', 'type': 'connect', 'location_name': 'dal10', 'virtual_connections': ['vc']}}},
        'after': {'gateways': {}}}


@pytest.mark.parametrize('accounts, reason', [
    ([live(ORIGINAL)], 'its replacement dal10-gw-dr (at dal12, by the recovery plan) is not in the account'),
    ([live(ORIGINAL), replacement_of(status='create_pending')], 'its replacement dal10-gw-dr is create_pending, not provisioned'),
    ([live(ORIGINAL), replacement_of(speed_mbps=500)], 'verify fails for its replacement dal10-gw-dr: speed_mbps is 500, backup has 1000'),
    ([live(ORIGINAL), replacement_of(virtual_connections=[])], 'verify fails for its replacement dal10-gw-dr: virtual connection vc is missing'),
], ids=['missing', 'not-provisioned', 'drifted', 'vc-missing'])
def test_an_unverified_replacement_blocks_unless_forced(accounts, reason):
    [candidate] = assess(accounts)
    assert candidate.refusals == []
    assert candidate.unverified == [f"gateway 'dal10-gw' (host dal10_gw): {reason}"]
    assert [p.message for p in decommission.blocking([candidate], force=False)] == candidate.unverified
    assert decommission.blocking([candidate], force=True) == []
    assert decommission.planned(candidate, '/b')['forced_past'] == candidate.unverified


def test_a_plan_that_maps_a_gateway_onto_itself_names_no_replacement():
    backup = backup_of(section())
    [candidate] = decommission.assess(recovery.Plan({}), backup, decommission.Selection({'decommission_locations': ['dal10']}),
                                      [live(ORIGINAL)], EmptyCatalog())
    assert candidate.unverified == ["gateway 'dal10-gw' (host dal10_gw): the recovery plan maps it onto itself, so it has no "
                                    'replacement (map its location with recover_location_map and name the replacement with '
                                    'recover_name_template)']


def test_a_replacement_selected_for_deletion_too_is_unverified():
    replacement = dict(ORIGINAL, id='r1', name='dal10-gw-dr', location_name='dal12', port='p2')
    candidates = assess([live(ORIGINAL), live(replacement)], {'decommission_gateways': ['dal10-gw', 'dal10-gw-dr']},
                        [section(), section(replacement)])
    assert "gateway 'dal10-gw' (host dal10_gw): its replacement dal10-gw-dr is selected for deletion too" in candidates[0].unverified


def with_vc(gateway, name, status=None, vc_type='classic'):
    changed = copy.deepcopy(gateway)
    vc = {'name': name, 'type': vc_type}
    if status:
        vc['read_only'] = {'status': status}
    changed['virtual_connections'].append(vc)
    return changed


@pytest.mark.parametrize('accounts, sections, reason', [
    ([live(ORIGINAL, cross_account=True), replacement_of()], None,
     "dal10-gw (g1) is another account's gateway (cross-account: it only connects to networks of this account); it is never deleted"),
    ([live(ORIGINAL, 'other', cross_account=True), replacement_of()], None, "dal10-gw (other) is another account's gateway"),
    ([live(ORIGINAL, 'g2'), replacement_of()], None,
     "the account's gateway dal10-gw is g2, but the backup describes g1 (recreated since the backup?); take a new backup"),
    ([live(ORIGINAL, speed_mbps=2000), replacement_of()], None,
     'the backup is not current (speed_mbps is 2000, backup has 1000); take a new backup, so that it describes what is deleted'),
    ([live(with_vc(ORIGINAL, 'vc-new')), replacement_of()], None, 'the backup is not current (virtual connection vc-new is not in the backup)'),
    ([live(ORIGINAL), replacement_of()], [section(missing=[{'field': 'route_filters', 'reason': 'CLI'}])],
     'the backup lacks route_filters (a CLI export), so it could not recreate the gateway'),
    ([live(ORIGINAL), replacement_of()], [section(present=False)], 'the backup records it as no longer present, yet the account has it'),
    ([live(with_vc(ORIGINAL, 'tgw', vc_type='transit')), replacement_of()], [section(with_vc(ORIGINAL, 'tgw', vc_type='transit'))],
     'tgw are Transit Gateway connections, made and deleted from the Transit Gateway'),
], ids=['cross-account', 'cross-account-by-name', 'recreated', 'changed', 'vc-added', 'cli-export', 'absent', 'transit'])
def test_refusals_block_even_when_forced(accounts, sections, reason):
    [candidate] = assess(accounts, sections=sections)
    assert any(message.startswith("gateway 'dal10-gw' (host dal10_gw): ") and reason in message for message in candidate.refusals), \
        candidate.refusals
    assert decommission.blocking([candidate], force=True)


def test_virtual_connections_inactive_at_backup_time_may_be_gone():
    described = with_vc(ORIGINAL, 'vc-old', status='deleting')
    [candidate] = assess([live(ORIGINAL), replacement_of()], sections=[section(described)])
    assert candidate.refusals == []


def test_a_gateway_no_longer_in_the_account_is_already_deleted():
    [candidate] = assess([replacement_of()])
    assert candidate.live is None and candidate.refusals == [] and candidate.unverified == []


def test_only_the_selected_gateways_are_candidates():
    other = dict(ORIGINAL, id='g9', name='wdc04-gw', location_name='wdc04')
    candidates = assess([live(ORIGINAL), live(other), replacement_of()], {'decommission_locations': ['dal10']},
                        [section(), section(other)])
    assert [candidate.name for candidate in candidates] == ['dal10-gw']


def selection_problems(values, defined=()):
    return decommission.Selection(values).problems(list(defined) + list(values), backup_of(section()).gateways)


def test_the_selection_is_validated_strictly():
    assert selection_problems({'decommission_gateways': ['dal10-gw'], 'decommission_force': 'TRUE'}) == []
    assert selection_problems({'decommission_gateways': 'dal10-gw'}) == [
        "plan: decommission_gateways must be a list of gateway names, got 'dal10-gw'"]
    assert selection_problems({'decommission_gateways': ['dal10-gx'], 'decommission_locations': ['dal11'], 'decommission_force': 1}) == [
        'plan: decommission_force is 1, expected true or false (-e decommission_force=true)',
        'plan: decommission_gateways names gateway dal10-gx, which is not in the backup (did you mean dal10-gw?); the backup has: dal10-gw',
        'plan: decommission_locations names location dal11, where the backup has no gateway (did you mean dal10?); its locations: dal10']
    assert selection_problems({}, ['decomission_gateways', 'recover_limit', 'decommission_report_dir']) == [
        'plan: unknown key decomission_gateways (did you mean decommission_gateways?); known keys: decommission_gateways, '
        'decommission_locations, decommission_force',
        'plan: nothing is selected: name the gateways to delete with decommission_gateways (or their locations with '
        'decommission_locations)']


@pytest.mark.parametrize('value, force', [(True, True), ('true', True), ('True', True), (False, False), ('false', False), (None, False),
                                          ('yes', False)])
def test_only_an_explicit_true_forces(value, force):
    assert decommission.Selection({'decommission_force': value}).force is force


def test_a_report_is_never_overwritten(tmp_path):
    directory = str(tmp_path / 'reports')
    first = report_files.write_new(directory, 'decommission-report-x', 'one\n', {'n': 1})
    second = report_files.write_new(directory, 'decommission-report-x', 'two\n', {'n': 2})
    assert (os.path.basename(first), os.path.basename(second)) == ('decommission-report-x.md', 'decommission-report-x-2.md')
    with open(first, encoding='utf-8') as stream:
        assert stream.read() == 'one\n'
    assert sorted(os.listdir(directory)) == ['decommission-report-x-2.json', 'decommission-report-x-2.md',
                                             'decommission-report-x.json', 'decommission-report-x.md']
    assert {oct(os.stat(os.path.join(directory, name)).st_mode & 0o777) for name in os.listdir(directory)} == {'0o600'}


def test_the_table_and_the_summary_say_what_happened():
    plans = [dict(decommission.planned(assess([live(ORIGINAL), replacement_of()])[0], '/b'), result='failed', error='boom')]
    assert decommission.table(plans, ['gone-gw'], False) == [
        'Deleted:', 'dal10-gw (g1 at dal10), virtual connections first: vc - FAILED: boom', 'Already deleted: gone-gw']
    summary = decommission.summary('failed', plans, ['gone-gw'], [], '/r/decommission-report-x.md')
    assert summary['gateways_failed'] == ['dal10-gw'] and summary['report_json'] == '/r/decommission-report-x.json'
    assert decommission.table([], [], True) == ['Nothing to delete.', 'Already deleted: none']
