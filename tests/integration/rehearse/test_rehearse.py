"""The DR rehearsal: the user's backup replayed in a private simulator, never touching the real endpoints.

In these tests the ``sim`` fixture plays production: the environment of every run points at it, and it must
receive nothing from a rehearsal (catalog reads only, when the live catalog is asked for).
"""

import hashlib
import os

import yaml

from dlsim.catalog import port_id
from drill import DAL10, DEMO_PLAN, report_document, write_plan
from playbook_runner import COLLECTION_ROOT, run_playbook

CATALOG = os.path.join('.catalog', 'direct_link_catalog.yml')
MANIFEST = os.path.join('group_vars', 'all', 'direct_link_manifest.yml')
NOWHERE = '00000000-0000-4000-8000-000000000000'
# A plan value that runs a command if anything ever evaluates it as a template.
PWN = "{{ lookup('pipe', 'touch PWNED') }}"


def rehearse(sim, workdir, backup_dir, *args, plan=DEMO_PLAN):
    return run_playbook(sim, 'cloud_dr.ibm_direct_link.rehearse', workdir,
                        ['-i', str(backup_dir), '-e', f'@{plan}', '-e', f'rehearse_dir={workdir}/rehearsal', *args])


def assert_simulator_stopped(workdir):
    run_dir = workdir / 'rehearsal' / 'simulator'
    assert not (run_dir / 'dlsim.pid').exists(), 'the rehearsal left its simulator running'


def mode(path):
    return oct(os.stat(path).st_mode & 0o777)


def hostile_plan(workdir, line):
    """The demo plan with one more YAML line (marked ``!unsafe`` by its author, as a plan with braces must be)."""
    with open(DEMO_PLAN, encoding='utf-8') as stream:
        text = stream.read()
    path = workdir / 'hostile-plan.yml'
    path.write_text(text + line + '\n')
    return path


def assert_nothing_evaluated(workdir):
    """No PWNED file in the test's directories nor where a rehearsed run could have run (the playbooks' directory)."""
    elsewhere = (os.getcwd(), COLLECTION_ROOT, os.path.join(COLLECTION_ROOT, 'playbooks'))
    found = list(workdir.rglob('PWNED')) + [os.path.join(directory, 'PWNED') for directory in elsewhere
                                            if os.path.exists(os.path.join(directory, 'PWNED'))]
    assert not found, f'a plan value was evaluated as a template: {found}'


def test_the_demo_backup_rehearses_cleanly_and_production_receives_nothing(sim, tmp_path, backup_dir):
    sim.reset_stats()
    result = rehearse(sim, tmp_path, backup_dir)
    assert result.rc == 0, result.output
    assert sim.stats()['total'] == 0, sim.stats()['requests']
    assert_simulator_stopped(tmp_path)
    report = (tmp_path / 'rehearsal' / 'rehearsal-report.md').read_text()
    rows = {row.split(' | ')[0].lstrip('| '): row.split(' | ') for row in report.splitlines() if ' → ' in row.split(' | ')[0]}
    for name in DAL10:
        assert rows[f'{name} → {name}-dr'][3] == 'recoverable', rows
    assert 'Estimated time to recover every planned gateway' in report
    assert 'LOA: IBM uploads the letter of authorization' in report and 'fra02-dedicated' in report  # outside the plan, listed
    assert mode(tmp_path / 'rehearsal' / 'rehearsal-report.md') == '0o600'
    for log in ('recover.log', 'verify.log'):  # each rehearsed run's whole output is kept
        assert mode(tmp_path / 'rehearsal' / log) == '0o600'
    assert 'PLAY RECAP' in (tmp_path / 'rehearsal' / 'recover.log').read_text()
    document = report_document(tmp_path / 'rehearsal' / 'rehearsal-report.json')
    assert document['status'] == 'passed' and sorted(document['gateways']) == DAL10
    assert 'fra02-dedicated' in document['outside_plan']
    # The rehearsed runs wrote their own reports in the rehearsal directory, nowhere else.
    assert report_document(tmp_path / 'rehearsal' / 'recovery-report.json')['status'] == 'recovered'
    assert report_document(tmp_path / 'rehearsal' / 'verify-report.json')['status'] == 'match'
    assert not (tmp_path / 'verify-report.json').exists() and not (tmp_path / 'recovery-report.json').exists()


def test_the_live_catalog_is_read_only(sim, tmp_path, backup_dir):
    sim.reset_stats()
    result = rehearse(sim, tmp_path, backup_dir, '-e', 'rehearse_catalog_source=live')
    assert result.rc == 0, result.output
    stats = sim.stats()
    assert stats['mutating'] == 0
    assert all(request.startswith(('GET /v1/offering_types', 'GET /v1/ports', 'POST /identity/token'))
               for request in stats['requests']), stats['requests']
    assert_simulator_stopped(tmp_path)


def narrow_the_catalog(backup_dir, port, speeds):
    """Rewrite the backup's catalog snapshot so that ``port`` supports only ``speeds`` (as if the provider had
    changed it), keeping the manifest checksum consistent."""
    path = backup_dir / CATALOG
    document = yaml.safe_load(path.read_text())
    for item in document['direct_link_catalog']['catalog']['ports']:
        if item['id'] == port:
            item['supported_link_speeds'] = speeds
    text = yaml.safe_dump(document)
    path.write_text(text)
    manifest = yaml.safe_load((backup_dir / MANIFEST).read_text())
    manifest['direct_link_backup_manifest']['catalog']['sha256'] = hashlib.sha256(text.encode()).hexdigest()
    (backup_dir / MANIFEST).write_text(yaml.safe_dump(manifest))


def test_a_plan_with_holes_fails_naming_each_hole(sim, tmp_path, backup_dir):
    narrow_the_catalog(backup_dir, port_id('dal12', 'EQUINIX', 'PRI'), [50, 100, 200, 500])
    plan = write_plan(
        tmp_path,
        recover_location_map={'dal10': 'dal12', 'wdc04': 'dal12'},  # fra02 is lost but not mapped
        recover_port_map={port_id('dal10', 'EQUINIX', 'PRI'): port_id('dal12', 'EQUINIX', 'PRI'),
                          port_id('dal10', 'MEGAPORT', 'PRI'): NOWHERE,
                          port_id('wdc04', 'EQUINIX', 'PRI'): port_id('dal12', 'EQUINIX', 'SEC')},
        recover_limit=DAL10 + ['wdc04-connect-backup', 'fra02-dedicated'],
    )
    sim.reset_stats()
    result = rehearse(sim, tmp_path, backup_dir, '-e', '{"rehearse_lost_locations": ["dal10", "wdc04", "fra02"]}', plan=plan)
    assert result.rc != 0
    for hole in ('location_name fra02 does not accept new gateways',          # an unmapped location
                 NOWHERE,                                                     # a port missing at the target
                 'recover_network_map',                                       # an unmapped VPC CRN
                 'speed_mbps 1000 is not offered'):                           # a speed not offered there
        assert hole in result.output, result.output
    assert 'The plan does not recover' in result.output
    report = (tmp_path / 'rehearsal' / 'rehearsal-report.md').read_text()
    assert report.count('| blocked |') >= 4
    assert sim.stats()['total'] == 0
    assert_simulator_stopped(tmp_path)


def test_a_plan_the_preflight_refuses_is_not_run_and_none_of_its_values_is_evaluated(sim, tmp_path, backup_dir):
    # Two problems of the whole plan: a name template without {name}, and a limit that is not a list (so that no
    # gateway is checked: each is "not run"). The demo plan's recover_limit is replaced (the last key wins).
    plan = hostile_plan(tmp_path, f'recover_name_template: !unsafe "{PWN}"\nrecover_limit: !unsafe "{PWN}"')
    result = rehearse(sim, tmp_path, backup_dir, plan=plan)
    assert result.rc != 0
    assert_nothing_evaluated(tmp_path)
    assert f'recover_name_template "{PWN}" must contain' in result.output, result.output  # refused, quoted literally
    rehearsal = tmp_path / 'rehearsal'
    assert not (rehearsal / 'recover.log').exists() and not (rehearsal / 'verify.log').exists(), 'a rehearsed run ran'
    assert 'rehearsed recover run' not in result.output
    report = (rehearsal / 'rehearsal-report.md').read_text()
    assert '| not run |' in report and '| blocked |' not in report and '| recoverable |' not in report, report
    document = report_document(rehearsal / 'rehearsal-report.json')
    assert document['status'] == 'failed' and {entry['result'] for entry in document['gateways'].values()} == {'not run'}
    assert f'recover_name_template "{PWN}" must contain' in report
    assert_simulator_stopped(tmp_path)


def test_a_failed_rehearsed_run_keeps_its_output_and_is_quoted_without_evaluating_the_plan(sim, tmp_path, backup_dir):
    plan = hostile_plan(tmp_path, f'recover_wait_timeout: !unsafe "{PWN}"')  # not checked by the pre-flight
    result = rehearse(sim, tmp_path, backup_dir, plan=plan)
    assert result.rc != 0
    assert_nothing_evaluated(tmp_path)
    log = tmp_path / 'rehearsal' / 'recover.log'
    assert mode(log) == '0o600'
    output = log.read_text()
    assert 'PLAY RECAP' in output and 'recover_wait_timeout' in output and PWN in output, output  # refused literally
    first_error = 'the rehearsed recover run failed (rc 2): [ERROR]: Task failed:'
    report = (tmp_path / 'rehearsal' / 'rehearsal-report.md').read_text()
    for text in (report, result.output):  # the report and the failing task's message
        assert first_error in text and f'(whole output: {log})' in text, text
    assert_simulator_stopped(tmp_path)
