"""The standby playbooks against the simulator: create, re-run with no mutation, drift, promote and demote.

One simulator serves the module: the first test creates the standby of dal10-connect-primary in dal12 and keeps that
state; every test starts from it again (``/_sim/seed``), changed as the test needs, with its own report directory.
"""

import copy
import json
import os

import jsonschema
import pytest
import yaml

from dlsim.process import Simulator
from dlsim.seeds import vpc_crn
from drill import backup, reseed, verify
from playbook_runner import run_playbook

PRIMARY, STANDBY = 'dal10-connect-primary', 'dal10-connect-primary-standby'
SCHEMA = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'docs', 'schemas', 'standby-report.schema.json')
PLAN = {
    'standby_location_map': {'dal10': 'dal12'},
    'standby_port_map': {'1f038ac4-7ed7-5b0b-82b2-4bee6b2c5935': '852573d5-ff32-5f19-957f-cddf4900eba7'},
    'standby_limit': [PRIMARY],
}


def standby(sim, workdir, *args, playbook='standby'):
    """Run a standby playbook with the plan; the report goes to workdir."""
    path = workdir / 'standby-plan.yml'
    path.write_text(yaml.safe_dump(PLAN), encoding='utf-8')
    return run_playbook(sim, f'cloud_dr.ibm_direct_link.{playbook}', workdir,
                        ['-e', f'@{path}', '-e', f'standby_report_dir={workdir}', *args], env={'ANSIBLE_SHOW_CUSTOM_STATS': 'true'})


def published(result):
    """What the run published with set_stats (cloud_dr_standby)."""
    text = result.stdout[result.stdout.rindex('CUSTOM STATS'):]
    text = text[text.index('RUN:') + 4:].lstrip()
    return json.JSONDecoder().raw_decode(text)[0]['cloud_dr_standby']


def read_report(workdir):
    """The JSON report, checked against the schema the collection ships."""
    with open(SCHEMA, encoding='utf-8') as stream:
        schema = json.load(stream)
    document = json.loads((workdir / 'standby-report.json').read_text(encoding='utf-8'))
    jsonschema.Draft202012Validator(schema).validate(document)
    return document


def filters(gateway, kind):
    """A gateway's route filters of ``kind`` without their ids and times."""
    return [{key: item.get(key) for key in ('action', 'prefix', 'ge', 'le')} for item in gateway[f'{kind}_route_filters']]


def prepends(sim, name):
    return sorted((item['policy'], item['length'], tuple(item.get('specific_prefixes') or ())) for item in sim.gateway(name)['as_prepends'])


@pytest.fixture(scope='module')
def synced(tmp_path_factory):
    """(simulator, the state once the standby is created, the first run and its directory)."""
    workdir = tmp_path_factory.mktemp('standby')
    with Simulator(seed='demo', provision_delay=0.2, vc_delay=0.2) as sim:
        result = standby(sim, workdir)
        assert result.rc == 0, result.output
        yield sim, sim.state(), result, workdir


def start(synced, change=None):
    """The simulator as the first sync left it, with ``change(doc)`` applied; stats reset."""
    sim, state, _result, _workdir = synced
    return reseed(sim, state, change)


def test_the_standby_is_created_in_the_mapped_location_less_preferred_with_the_primary_s_configuration(synced):
    sim, _state, result, workdir = synced
    primary, created = sim.gateway(PRIMARY), sim.gateway(STANDBY)
    assert (created['location_name'], created['port']['id']) == ('dal12', '852573d5-ff32-5f19-957f-cddf4900eba7')
    assert created['bgp_cer_cidr'] != primary['bgp_cer_cidr']
    for field in ('speed_mbps', 'bgp_asn', 'authentication_key', 'default_export_route_filter', 'default_import_route_filter'):
        assert created[field] == primary[field], field
    assert created['bfd_config']['interval'] == primary['bfd_config']['interval']
    assert [filters(created, kind) for kind in ('export', 'import')] == [filters(primary, kind) for kind in ('export', 'import')]
    assert sorted((vc['name'], vc.get('network_id')) for vc in created['virtual_connections']) == sorted(
        (vc['name'], vc.get('network_id')) for vc in primary['virtual_connections'])
    assert prepends(sim, STANDBY) == [('export', 3, ()), ('export', 6, ('10.10.0.0/16',)), ('import', 7, ())]
    report = read_report(workdir)
    pair = report['pairs'][0]
    assert (report['status'], pair['standby'], pair['preferred'], pair['standby_id']) == ('changed', STANDBY, 'primary', created['id'])
    assert pair['steps'][0].startswith('Provider order: order the virtual circuit from EQUINIX on port EQU-DAL12-CX-PRI-01')
    assert published(result)['status'] == 'changed'


def test_a_re_run_sends_no_mutating_request_and_check_mode_neither(synced, tmp_path):
    sim = start(synced)
    result = standby(sim, tmp_path)
    assert result.rc == 0, result.output
    assert sim.stats()['mutations'] == []
    assert read_report(tmp_path)['status'] == 'in_sync' and published(result)['drift'] == []


def add_vc_and_change_filter(doc):
    primary = next(gateway for gateway in doc['gateways'] if gateway['name'] == PRIMARY)
    primary['export_route_filters'][1]['prefix'] = '10.21.0.0/16'
    vc = copy.deepcopy(primary['virtual_connections'][0])
    vc.update(id='6a7b8c9d-0000-4000-8000-000000000001', name='vc-new-vpc', network_id=vpc_crn('new', 'us-south'))
    primary['virtual_connections'].append(vc)


# What the standby's drift is after add_vc_and_change_filter.
DRIFT = [f"standby of gateway '{PRIMARY}': export_route_filters differ from the primary",
         f"standby of gateway '{PRIMARY}': virtual connection vc-new-vpc is missing"]


def test_drift_after_a_change_to_the_primary_is_reported_previewed_then_corrected(synced, tmp_path):
    sim = start(synced, add_vc_and_change_filter)
    previewed = standby(sim, tmp_path, '--check', '--diff')
    assert previewed.rc == 0, previewed.output
    assert sim.stats()['mutations'] == [] and not (tmp_path / 'standby-report.json').exists()
    assert published(previewed)['drift'] == DRIFT and published(previewed)['status'] == 'planned'
    assert '10.21.0.0/16' in previewed.stdout  # the diff preview

    corrected = standby(sim, tmp_path)
    assert corrected.rc == 0, corrected.output
    standby_id = sim.gateway(STANDBY)['id']
    assert sorted(sim.stats()['mutations']) == [f'POST /v1/gateways/{standby_id}/virtual_connections',
                                                f'PUT /v1/gateways/{standby_id}/export_route_filters']
    assert read_report(tmp_path)['pairs'][0]['drift'] == DRIFT
    assert filters(sim.gateway(STANDBY), 'export') == filters(sim.gateway(PRIMARY), 'export')


def test_the_audit_given_the_standby_plan_reports_the_drift_changes_nothing_and_fails(synced, tmp_path):
    sim = start(synced, add_vc_and_change_filter)
    result = standby(sim, tmp_path, '-e', f'audit_report_dir={tmp_path}', playbook='audit')
    assert result.rc != 0 and sim.stats()['mutations'] == []
    assert 'Standby drift, nothing was changed: ' + '; '.join(DRIFT) in result.stdout.replace('\n', ' ')
    report = read_report(tmp_path)
    assert (report['action'], report['status'], report['pairs'][0]['drift']) == ('check', 'drift', DRIFT)
    assert (tmp_path / 'audit-report.json').exists()


def test_verify_given_the_standby_plan_passes_an_account_in_sync_and_fails_on_standby_drift(synced, tmp_path):
    sim = start(synced)
    backup_dir = tmp_path / 'in-sync' / 'backup'
    assert backup(sim, tmp_path, backup_dir).rc == 0
    plan = tmp_path / 'standby-plan.yml'
    plan.write_text(yaml.safe_dump(PLAN), encoding='utf-8')
    in_sync = verify(sim, tmp_path, backup_dir, plan=plan)
    assert in_sync.rc == 0, in_sync.output
    assert json.loads((backup_dir.parent / 'standby-report.json').read_text(encoding='utf-8'))['status'] == 'in_sync'

    sim = start(synced, add_vc_and_change_filter)
    backup_dir = tmp_path / 'changed' / 'backup'
    assert backup(sim, tmp_path, backup_dir).rc == 0
    drifted = verify(sim, tmp_path, backup_dir, plan=plan)
    assert drifted.rc != 0 and sim.stats()['mutations'] == []
    assert 'Standby drift, nothing was changed: ' + '; '.join(DRIFT) in drifted.stdout.replace('\n', ' ')
    assert json.loads((backup_dir.parent / 'standby-report.json').read_text(encoding='utf-8'))['pairs'][0]['drift'] == DRIFT


def test_promote_and_demote_swap_the_prepends_once_and_check_mode_sends_nothing(synced, tmp_path):
    sim = start(synced)
    before = {name: prepends(sim, name) for name in (PRIMARY, STANDBY)}
    checked = standby(sim, tmp_path, '--check', playbook='standby_promote')
    assert checked.rc == 0, checked.output
    assert sim.stats()['mutations'] == [] and published(checked)['preferred'] == {PRIMARY: 'standby'}

    promoted = standby(sim, tmp_path, playbook='standby_promote')
    assert promoted.rc == 0, promoted.output
    assert sorted(sim.stats()['mutations']) == sorted(f"PUT /v1/gateways/{sim.gateway(name)['id']}/as_prepends" for name in (PRIMARY, STANDBY))
    assert prepends(sim, PRIMARY) == before[STANDBY] and prepends(sim, STANDBY) == before[PRIMARY]
    assert read_report(tmp_path)['pairs'][0]['preferred'] == 'standby'

    sim.reset_stats()
    again = standby(sim, tmp_path, playbook='standby_promote')
    synced_again = standby(sim, tmp_path)
    assert again.rc == synced_again.rc == 0, again.output + synced_again.output
    assert sim.stats()['mutations'] == [] and published(synced_again)['preferred'] == {PRIMARY: 'standby'}

    demoted = standby(sim, tmp_path, '-e', 'standby_action=demote', playbook='standby_promote')
    assert demoted.rc == 0, demoted.output
    assert {name: prepends(sim, name) for name in (PRIMARY, STANDBY)} == before
    assert published(demoted)['preferred'] == {PRIMARY: 'primary'}


def test_a_misspelled_plan_key_changes_nothing_and_is_named(synced, tmp_path):
    sim = start(synced)
    result = standby(sim, tmp_path, '-e', 'standby_location_mpa={}')
    assert result.rc != 0 and sim.stats()['mutations'] == []
    assert 'plan: unknown key standby_location_mpa (did you mean standby_location_map?)' in result.stdout
    assert published(result)['status'] == 'error'
