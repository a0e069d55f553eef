"""The decommission playbook against the simulator: after a recovery, delete exactly what the plan selects.

One simulator serves the whole module: it is backed up, dal10 goes down (its gateways stay, unreachable), the demo
plan recovers them into dal12, and that state is kept; every test starts from it again (``/_sim/seed``), changed
as the test needs, with its own report directory.
"""

import hashlib
import json
import os

import jsonschema
import pytest
import yaml

from dlsim.process import Simulator
from dlsim.seeds import DEFAULT_ACCOUNT, PARTNER_ACCOUNT
from drill import DEMO_PLAN, backup, recover, reseed
from playbook_runner import run_playbook

PRIMARY, DEDICATED, TRANSIT = 'dal10-connect-primary', 'dal10-dedicated-macsec', 'dal10-connect-transit'
SCHEMA = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'docs', 'schemas', 'decommission-report.schema.json')


@pytest.fixture(scope='module')
def drill(tmp_path_factory):
    """(simulator, backup directory, the account after the recovery)."""
    workdir = tmp_path_factory.mktemp('decommission')
    with Simulator(seed='demo', provision_delay=0.2, vc_delay=0.2) as sim:
        taken = backup(sim, workdir, workdir / 'backup')
        assert taken.rc == 0, taken.output
        sim.disaster(location='dal10', mode='down')
        recovered = recover(sim, workdir, workdir / 'backup')
        assert recovered.rc == 0, recovered.output
        yield sim, workdir / 'backup', sim.state()


def start(drill, change=None):
    """The simulator in the state after the recovery, with ``change(doc)`` applied; stats reset."""
    sim, _backup_dir, after_recovery = drill
    return reseed(sim, after_recovery, change)


def record(doc, name):
    return next(gateway for gateway in doc['gateways'] if gateway['name'] == name and gateway['_account'] == DEFAULT_ACCOUNT)


def decommission(drill, workdir, selection, *args):
    """Run the decommission playbook with the demo plan and ``selection``; the report goes to workdir/reports."""
    sim, backup_dir, _state = drill
    path = workdir / 'selection.yml'
    path.write_text(yaml.safe_dump(selection), encoding='utf-8')
    return run_playbook(sim, 'cloud_dr.ibm_direct_link.decommission', workdir,
                        ['-e', f'backup_dir={backup_dir}', '-e', f'@{DEMO_PLAN}', '-e', f'@{path}',
                         '-e', f"decommission_report_dir={workdir / 'reports'}", *args],
                        env={'ANSIBLE_SHOW_CUSTOM_STATS': 'true'})


def published(result):
    """What the run published with set_stats (cloud_dr_decommission)."""
    return task_result(result.stdout[result.stdout.rindex('CUSTOM STATS'):], 'RUN:')['cloud_dr_decommission']


def read_report(path):
    """A JSON report, checked against the schema the collection ships."""
    with open(SCHEMA, encoding='utf-8') as stream:
        schema = json.load(stream)
    document = json.loads(path.read_text(encoding='utf-8'))
    jsonschema.Draft202012Validator(schema).validate(document)
    return document


def task_result(output, marker):
    """The JSON result the default callback prints after ``marker`` (the last occurrence)."""
    text = output[output.rindex(marker) + len(marker):].lstrip()
    return json.JSONDecoder().raw_decode(text)[0]


def summary(result):
    """The lines of the role's summary."""
    return task_result(result.stdout[result.stdout.rindex('Decommission summary]'):], 'ok: [localhost] =>')['msg']


def snapshot(sim):
    """Every gateway id with its virtual connection ids."""
    return {g['id']: sorted(vc['id'] for vc in g['virtual_connections']) for g in sim.state()['gateways']}


def make_dedicated_replacement_ready(sim):
    """The cross-connect of the dedicated replacement is patched and its virtual connections are created."""
    sim.advance(name=f'{DEDICATED}-dr', to='provisioned')
    client = sim.client()
    replacement = sim.gateway(f'{DEDICATED}-dr')
    for vc in sim.gateway(DEDICATED)['virtual_connections']:
        client.create_gateway_virtual_connection(replacement['id'], vc['name'], vc['type'], network_id=vc.get('network_id'))


def test_check_mode_lists_exactly_the_planned_deletions_and_sends_nothing(drill, tmp_path):
    sim = start(drill)
    make_dedicated_replacement_ready(sim)
    sim.reset_stats()
    before = snapshot(sim)
    result = decommission(drill, tmp_path, {'decommission_gateways': [PRIMARY, DEDICATED]}, '--check', '--diff')
    assert result.rc == 0, result.output
    assert sim.stats()['mutating'] == 0 and snapshot(sim) == before
    primary, dedicated = sim.gateway(PRIMARY), sim.gateway(DEDICATED)
    assert summary(result) == [
        'Would delete (check mode):',
        f"{PRIMARY} ({primary['id']} at dal10), virtual connections first: vc-app-vpc, vc-classic",
        f"{DEDICATED} ({dedicated['id']} at dal10), virtual connections first: vc-data-vpc, vc-partner-vpc",
        'Already deleted: none']
    assert published(result)['status'] == 'planned'
    assert '-    "gateways": {' in result.stdout and f'-        "{DEDICATED}": {{' in result.stdout
    assert not (tmp_path / 'reports').exists()


def test_deletes_exactly_the_planned_gateways_virtual_connections_first_then_nothing(drill, tmp_path):
    sim = start(drill)
    make_dedicated_replacement_ready(sim)
    before = snapshot(sim)
    doomed = {name: sim.gateway(name) for name in (PRIMARY, DEDICATED)}
    sim.reset_stats()
    result = decommission(drill, tmp_path, {'decommission_gateways': [PRIMARY, DEDICATED]})
    assert result.rc == 0, result.output

    after = snapshot(sim)
    assert after == {gateway_id: vcs for gateway_id, vcs in before.items() if gateway_id not in {g['id'] for g in doomed.values()}}
    mutations = sim.stats()['mutations']
    expected = {f"DELETE /v1/gateways/{g['id']}/virtual_connections/{vc['id']}" for g in doomed.values()
                for vc in g['virtual_connections']} | {f"DELETE /v1/gateways/{g['id']}" for g in doomed.values()}
    assert sorted(mutations) == sorted(expected)
    for gateway in doomed.values():
        vc_deletes = [i for i, m in enumerate(mutations) if m.startswith(f"DELETE /v1/gateways/{gateway['id']}/")]
        assert len(vc_deletes) == 2 and max(vc_deletes) < mutations.index(f"DELETE /v1/gateways/{gateway['id']}")

    reports = sorted(os.listdir(tmp_path / 'reports'))
    assert [name.rsplit('.', 1)[1] for name in reports] == ['json', 'md']
    document = read_report(tmp_path / 'reports' / reports[0])
    assert summary(result)[-1] == f"Report: {tmp_path / 'reports' / reports[1]}"
    assert published(result) == dict(published(result), status='deleted', gateways_deleted=[PRIMARY, DEDICATED], gateways_failed=[])
    _sim, backup_dir, _state = drill
    manifest = yaml.safe_load((backup_dir / 'group_vars' / 'all' / 'direct_link_manifest.yml').read_text())
    entries = manifest['direct_link_backup_manifest']['gateways']
    assert document['schema_version'] == 1 and document['forced'] is False
    assert [(g['name'], g['result'], g['id']) for g in document['gateways']] == [
        (name, 'deleted', doomed[name]['id']) for name in (PRIMARY, DEDICATED)]
    for gateway in document['gateways']:
        with open(gateway['backup_file']['path'], 'rb') as stream:
            digest = hashlib.sha256(stream.read()).hexdigest()
        assert gateway['backup_file']['sha256'] == entries[gateway['host']]['sha256'] == digest
        assert gateway['replacement']['name'] == f"{gateway['name']}-dr"
        assert gateway['replacement']['operational_status'] == 'provisioned'
    assert f"| {PRIMARY} | {doomed[PRIMARY]['id']} | dal10 | deleted | vc-app-vpc, vc-classic |" in \
        (tmp_path / 'reports' / reports[1]).read_text()

    sim.reset_stats()
    again = decommission(drill, tmp_path, {'decommission_gateways': [PRIMARY, DEDICATED]})
    assert again.rc == 0, again.output
    assert sim.stats()['mutating'] == 0 and again.changed_hosts() == []
    assert summary(again) == ['Nothing to delete.', f'Already deleted: {PRIMARY}, {DEDICATED}']
    assert published(again)['status'] == 'nothing'
    assert sorted(os.listdir(tmp_path / 'reports')) == reports


def test_force_deletes_past_the_replacement_checks_and_says_so(drill, tmp_path):
    sim = start(drill)
    dedicated = sim.gateway(DEDICATED)
    result = decommission(drill, tmp_path, {'decommission_gateways': [DEDICATED]}, '-e', 'decommission_force=true')
    assert result.rc == 0, result.output
    assert sim.gateway(DEDICATED) is None and sim.gateway(f'{DEDICATED}-dr') is not None
    assert sorted(sim.stats()['mutations']) == sorted(
        [f"DELETE /v1/gateways/{dedicated['id']}/virtual_connections/{vc['id']}" for vc in dedicated['virtual_connections']]
        + [f"DELETE /v1/gateways/{dedicated['id']}"])
    report = next(name for name in os.listdir(tmp_path / 'reports') if name.endswith('.json'))
    document = read_report(tmp_path / 'reports' / report)
    assert document['forced'] is True
    assert document['gateways'][0]['forced_past'] == [
        f"gateway '{DEDICATED}' (host dal10_dedicated_macsec): its replacement {DEDICATED}-dr is awaiting_loa, not provisioned"]


def where(name):
    return f"gateway '{name}' (host {name.replace('-', '_')}): "


def refusals(result):
    """The refused run's problem messages by host; checks that it says nothing was deleted."""
    failure = task_result(result.stdout, 'FAILED! =>')
    assert failure['planned'] == [] and failure['msg'].startswith('Decommission refused')
    assert published(result) == dict(failure['summary'], status='refused')
    found = {}
    for record_ in failure['problem_records']:
        found.setdefault(record_['host'], []).append(record_['message'])
    return found


def assert_refused(result, expected):
    """Every gateway of ``expected`` is refused for each of its reasons (each message names it first); no other is."""
    found = refusals(result)
    assert sorted(found) == sorted(name.replace('-', '_') for name in expected), found
    for name, reasons in expected.items():
        for reason in reasons:
            assert any(m.startswith(where(name)) and reason in m for m in found[name.replace('-', '_')]), (reason, found)


def drift_transit_replacement(doc):
    record(doc, f'{TRANSIT}-dr')['speed_mbps'] = 5000


def test_unverified_replacements_refuse_the_run_and_nothing_is_deleted(drill, tmp_path):
    sim = start(drill, drift_transit_replacement)
    before = snapshot(sim)
    result = decommission(drill, tmp_path, {'decommission_gateways': [PRIMARY, DEDICATED, TRANSIT, 'wdc04-connect-backup']})
    assert result.rc != 0, result.output
    assert sim.stats()['mutating'] == 0 and snapshot(sim) == before
    assert_refused(result, {
        'wdc04-connect-backup': ['its replacement wdc04-connect-backup-dr (at wdc04, by the recovery plan) is not in the account'],
        DEDICATED: [f'its replacement {DEDICATED}-dr is awaiting_loa, not provisioned'],
        TRANSIT: [f'verify fails for its replacement {TRANSIT}-dr: speed_mbps is 5000, backup has 2000',
                  'tgw-dal-hub are Transit Gateway connections, made and deleted from the Transit Gateway'],
    })
    assert not (tmp_path / 'reports').exists()


def change_after_backup(doc):
    """Another account now owns the primary gateway, the backup gateway changed, fra02's gateway was recreated."""
    primary = record(doc, PRIMARY)
    primary['_account'] = PARTNER_ACCOUNT
    primary['virtual_connections'][0]['network_account'] = DEFAULT_ACCOUNT
    changed = record(doc, 'wdc04-connect-backup')
    changed['speed_mbps'] = 1000
    changed['virtual_connections'].append(dict(changed['virtual_connections'][0], id='0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
                                               name='vc-added-later'))
    record(doc, 'fra02-dedicated')['id'] = '0d1e2f3a-4b5c-4d6e-8f70-000000000001'


def test_force_never_lets_another_accounts_gateway_a_stale_backup_or_a_transit_connection_through(drill, tmp_path):
    sim = start(drill, change_after_backup)
    before = snapshot(sim)
    result = decommission(drill, tmp_path, {'decommission_locations': ['dal10'],
                                            'decommission_gateways': ['wdc04-connect-backup', 'fra02-dedicated']},
                          '-e', 'decommission_force=true')
    assert result.rc != 0, result.output
    assert sim.stats()['mutating'] == 0 and snapshot(sim) == before
    # The dedicated gateway's replacement is not provisioned: forced past, but the run is refused for the others.
    assert_refused(result, {
        PRIMARY: ["is another account's gateway (cross-account: it only connects to networks of this account); it is never "
                  'deleted'],
        'wdc04-connect-backup': ['the backup is not current (speed_mbps is 1000, backup has 500; virtual connection '
                                 'vc-added-later is not in the backup); take a new backup'],
        'fra02-dedicated': ["the account's gateway fra02-dedicated is 0d1e2f3a-4b5c-4d6e-8f70-000000000001, but the backup "
                            'describes'],
        TRANSIT: ['tgw-dal-hub are Transit Gateway connections'],
    })
    assert not (tmp_path / 'reports').exists()


def test_a_wrong_selection_is_refused_listing_every_problem_even_forced(drill, tmp_path):
    sim = start(drill)
    result = decommission(drill, tmp_path, {'decommission_gateways': [PRIMARY, 'dal10-conect-transit', 'partner-shared-gateway'],
                                            'decommission_locatons': ['dal10'], 'decommission_locations': 'dal10'},
                          '-e', 'decommission_force=true')
    assert result.rc != 0
    assert sim.stats()['mutating'] == 0 and sim.stats()['requests'] == {}
    problems = task_result(result.stdout, 'FAILED! =>')['problems']
    assert problems == [
        'plan: unknown key decommission_locatons (did you mean decommission_locations?); known keys: decommission_gateways, '
        'decommission_locations, decommission_force',
        'plan: decommission_gateways names gateway dal10-conect-transit, which is not in the backup (did you mean '
        'dal10-connect-transit?); the backup has: dal10-connect-primary, dal10-connect-transit, dal10-dedicated-macsec, '
        'fra02-dedicated, wdc04-connect-backup',
        'plan: decommission_gateways names gateway partner-shared-gateway, which is not in the backup; the backup has: '
        'dal10-connect-primary, dal10-connect-transit, dal10-dedicated-macsec, fra02-dedicated, wdc04-connect-backup',
        "plan: decommission_locations must be a list of location names, got 'dal10'"]
