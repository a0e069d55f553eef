"""The playbooks run the way AWX runs them: through ansible-runner, from a private data directory.

Like an AWX job, each run gets ``env/envvars`` rendered from the custom credential type's injectors
(extensions/awx/credential_type.yml), ``env/extravars`` with the job template's extra variables and the plan,
``env/cmdline`` for job type *check*, an ``inventory/`` script that prints the gateway inventory synced from the
backup, and a ``project/`` holding the repository's ``playbooks/``. The collection comes from the collections path
(in AWX: the execution environment).
"""

import json
import os
import shutil
import stat
import subprocess
import sys

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from playbook_runner import COLLECTION_ROOT, ansible_playbook, collections_path

DEMO_PLAN = os.path.join(COLLECTION_ROOT, 'tests', 'support', 'dr-plan.yml')
CREDENTIAL_TYPE = os.path.join(COLLECTION_ROOT, 'extensions', 'awx', 'credential_type.yml')
DEMO_ACCOUNT = '4111d05f36894e3cb9b46a43556d9000'
CANARY = 'canary-api-key-runner-7c41e9'
DAL10 = ['dal10-connect-primary', 'dal10-connect-transit', 'dal10-dedicated-macsec']
EMPTY_INVENTORY = {'_meta': {'hostvars': {}}, 'all': {'children': ['ungrouped']}}


@pytest.fixture
def sim_options():
    return {'provision_delay': 0.3, 'vc_delay': 0.2}


@pytest.fixture
def canary_sim(sim):
    """The simulator, restarted to accept only a unique API key (so that any leak of it can be searched for)."""
    sim.stop()
    sim.options['api_key'] = [f'{CANARY}:{DEMO_ACCOUNT}']
    sim.api_key = CANARY
    sim.start()
    return sim


def credential_environment(sim):
    """What AWX injects for an *IBM Cloud Direct Link* credential pointing at the simulator."""
    with open(CREDENTIAL_TYPE, encoding='utf-8') as stream:
        injectors = yaml.safe_load(stream)['injectors']['env']
    inputs = {'api_key': sim.api_key, 'endpoint': sim.api_url, 'iam_endpoint': sim.url}
    environment = ImmutableSandboxedEnvironment()
    return {name: environment.from_string(template).render(**inputs) for name, template in injectors.items()}


def awx_inventory(backup_dir):
    """The gateway inventory as AWX hands it to a job: a script printing what its SCM source imported."""
    if backup_dir is None:
        return EMPTY_INVENTORY
    listing = subprocess.run([os.path.join(os.path.dirname(ansible_playbook()), 'ansible-inventory'), '-i',
                              os.path.join(str(backup_dir), 'inventory.yml'), '--list'],
                             env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path()),
                             capture_output=True, text=True, check=True)
    return json.loads(listing.stdout)


def private_data_dir(path, sim, extravars, inventory_of=None, check=False):
    """Lay out a private data directory like AWX does for one job."""
    for sub in ('env', 'inventory', 'project'):
        os.makedirs(path / sub)
    # ansible-runner runs the ansible-playbook found on PATH: the one of this environment (in AWX: the EE's).
    search_path = os.pathsep.join([os.path.dirname(ansible_playbook()), os.environ.get('PATH', os.defpath)])
    envvars = dict(credential_environment(sim), ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false', PATH=search_path)
    (path / 'env' / 'envvars').write_text(yaml.safe_dump(envvars))
    (path / 'env' / 'extravars').write_text(yaml.safe_dump(extravars))
    if check:
        (path / 'env' / 'cmdline').write_text('--check --diff')
    script = path / 'inventory' / 'hosts'
    listing = json.dumps(awx_inventory(inventory_of))
    script.write_text(f'#!{os.path.realpath(sys.executable)}\nimport sys\n'
                      f"print('{{}}' if '--host' in sys.argv else {listing!r})\n")
    script.chmod(0o700)
    shutil.copytree(os.path.join(COLLECTION_ROOT, 'playbooks'), path / 'project' / 'playbooks')
    return path


def run(path, playbook, forks=10, received=None):
    """One job: ansible_runner.run on the private data directory; checked like AWX would show it.

    ``received`` (a list) gets every job event as ansible-runner hands it over while the job runs, as AWX
    receives them."""
    def keep(event):
        if received is not None:
            received.append(event)
        return True
    result = ansible_runner.run(private_data_dir=str(path), playbook=f'playbooks/{playbook}', ident=playbook[:-4],
                                forks=forks, quiet=True, timeout=600, event_handler=keep)
    artifacts = path / 'artifacts' / playbook[:-4]
    with open(artifacts / 'stdout', encoding='utf-8') as stream:
        stdout = stream.read()
    events = list(result.events)
    return result, artifacts, stdout, events


def published(events, name):
    """What the job published with set_stats under ``name`` (AWX keeps it as the job's artifacts)."""
    return events[-1]['event_data']['artifact_data'].get(name)


def assert_successful_and_secret(result, artifacts, stdout, events):
    assert (result.status, result.rc) == ('successful', 0), stdout
    assert artifacts.is_dir() and (artifacts / 'job_events').is_dir() and events
    assert events[-1]['event'] == 'playbook_on_stats'
    assert CANARY not in stdout
    for event in events:
        assert CANARY not in json.dumps(event), event.get('event')
    # ansible-runner records the command and its whole environment (the key included) for the job; AWX deletes
    # the private data directory after the job. It must at least be private meanwhile.
    assert stat.S_IMODE(os.stat(artifacts / 'command').st_mode) == 0o600


def demo_plan():
    with open(DEMO_PLAN, encoding='utf-8') as stream:
        return yaml.safe_load(stream)


def index_of(events, predicate):
    return next(index for index, event in enumerate(events) if predicate(event))


# Provisioning takes 3 s here, so that the recovery waits long enough for progress lines (every second).
@pytest.mark.parametrize('sim_options', [{'provision_delay': 3, 'vc_delay': 0.2}], ids=['provisioning-3s'])
def test_backup_recover_in_check_mode_then_for_real_and_verify(canary_sim, tmp_path):
    sim = canary_sim
    backup_dir = tmp_path / 'dl-dr' / 'backup'
    reports = tmp_path / 'dl-dr' / 'reports'
    reports.mkdir(parents=True)

    backup = run(private_data_dir(tmp_path / 'job-backup', sim, {'backup_dir': str(backup_dir)}), 'backup.yml')
    assert_successful_and_secret(*backup)
    assert (backup_dir / 'group_vars' / 'all' / 'direct_link_manifest.yml').is_file()
    assert CANARY not in ''.join(path.read_text() for path in backup_dir.rglob('*.yml'))

    sim.disaster(location='dal10', mode='lost')
    # The recover job template: its extra variables, the plan pasted at launch, the survey's answers.
    recover_vars = dict(demo_plan(), recover_backup_dir=str(backup_dir), recover_report_dir=str(reports),
                        recover_network_map={}, recover_wait_timeout=600, recover_strategy='batch',
                        recover_start_all_first='true', recover_progress_interval=1)
    sim.reset_stats()
    planned = run(private_data_dir(tmp_path / 'job-recover-check', sim, recover_vars, backup_dir, check=True),
                  'recover.yml')
    assert_successful_and_secret(*planned)
    assert sim.stats()['mutating'] == 0
    assert any(event['event'] == 'playbook_on_play_start' for event in planned[3])
    assert published(planned[3], 'cloud_dr_recovery')['status'] == 'planned'

    received = []
    recovered = run(private_data_dir(tmp_path / 'job-recover', sim, recover_vars, backup_dir), 'recover.yml',
                    received=received)
    assert_successful_and_secret(*recovered)
    # Progress lines are job events of their own, received while the gateways were still awaited.
    awaited = index_of(received, lambda event: event['event'] == 'runner_on_ok'
                       and 'Create and await every replacement gateway' in event['event_data'].get('task', ''))
    progress = index_of(received, lambda event: event['event'] == 'verbose'
                        and '[localhost] still waiting, ' in event.get('stdout', ''))
    assert progress < awaited < len(received) - 1, [event.get('stdout') for event in received]
    assert '3 gateway(s): ' in received[progress]['stdout'] and received[-1]['event'] == 'playbook_on_stats'
    outcome = published(recovered[3], 'cloud_dr_recovery')
    assert (outcome['status'], outcome['gateways_recovered'], outcome['gateways_failed']) == ('recovered', 3, [])
    assert any(step.startswith('dal10-dedicated-macsec-dr: LOA: IBM uploads the letter of authorization') for step in outcome['manual_steps'])
    assert outcome['report_json'] == str(reports / 'recovery-report.json')
    for name in DAL10:
        replacement = sim.gateway(f'{name}-dr')
        assert replacement is not None and replacement['location_name'] == 'dal12', name
    report = (reports / 'recovery-report.md').read_text()
    assert 'LOA: IBM uploads the letter of authorization' in report and CANARY not in report
    created = [event['event_data']['res'] for event in recovered[3] if event['event'] == 'runner_on_ok'
               and 'Create and await every replacement gateway' in event['event_data'].get('task', '')]
    assert [sorted(item['name'] for item in result['results']) for result in created] == [[f'{name}-dr' for name in DAL10]]

    verify_vars = dict(demo_plan(), verify_backup_dir=str(backup_dir))
    verified = run(private_data_dir(tmp_path / 'job-verify', sim, verify_vars, backup_dir), 'verify.yml')
    assert_successful_and_secret(*verified)
    assert published(verified[3], 'cloud_dr_verify')['status'] == 'match'


def test_a_drift_fails_the_verify_job(canary_sim, tmp_path):
    sim = canary_sim
    backup_dir = tmp_path / 'backup'
    assert_successful_and_secret(*run(private_data_dir(tmp_path / 'job-backup', sim, {'backup_dir': str(backup_dir)}),
                                      'backup.yml'))
    sim.client().update_gateway(sim.gateway('wdc04-connect-backup')['id'], {'speed_mbps': 1000})
    result, _artifacts, stdout, events = run(
        private_data_dir(tmp_path / 'job-verify', sim, {'verify_backup_dir': str(backup_dir)}, backup_dir), 'verify.yml')
    assert result.status == 'failed' and result.rc != 0
    assert 'speed_mbps is 1000, backup has 500' in stdout
    assert any(event['event'] == 'runner_on_failed' for event in events)
    outcome = published(events, 'cloud_dr_verify')  # published before the job failed, for a workflow to notify
    assert outcome['status'] == 'drift' and any('speed_mbps is 1000' in line for line in outcome['drift'])
    assert CANARY not in stdout and all(CANARY not in json.dumps(event) for event in events)


def test_the_rehearsal_job_replays_the_backup_without_touching_the_account(canary_sim, tmp_path):
    sim = canary_sim
    backup_dir = tmp_path / 'backup'
    assert_successful_and_secret(*run(private_data_dir(tmp_path / 'job-backup', sim, {'backup_dir': str(backup_dir)}),
                                      'backup.yml'))
    rehearsal_dir = tmp_path / 'rehearsal'
    rehearse_vars = dict(demo_plan(), rehearse_backup_dir=str(backup_dir), rehearse_dir=str(rehearsal_dir))
    sim.reset_stats()
    rehearsal = run(private_data_dir(tmp_path / 'job-rehearse', sim, rehearse_vars, backup_dir), 'rehearse.yml')
    assert_successful_and_secret(*rehearsal)
    assert sim.stats()['total'] == 0
    assert 'Estimated time to recover' in rehearsal[2]
    outcome = published(rehearsal[3], 'cloud_dr_rehearsal')
    assert (outcome['status'], outcome['blocked'], outcome['gateways_recoverable']) == ('passed', [], 3)
    assert CANARY not in (rehearsal_dir / 'rehearsal-report.md').read_text()
