"""Plan mistakes a hurried operator makes: a misspelled plan variable, and a name template written as the hint said."""

import json
import re

import yaml

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery
from drill import DAL10, DEMO_PLAN, recover, verify, write_plan
from playbook_runner import run_playbook

TYPO = 'unknown key recovery_limit (did you mean recover_limit?)'


def plan_with_misspelled_limit(workdir):
    """The demo plan with its recover_limit written recovery_limit (which once recovered every gateway)."""
    with open(DEMO_PLAN, encoding='utf-8') as stream:
        plan = yaml.safe_load(stream)
    plan['recovery_limit'] = plan.pop('recover_limit')
    path = workdir / 'plan-with-typo.yml'
    path.write_text(yaml.safe_dump(plan), encoding='utf-8')
    return path


def test_a_misspelled_limit_is_refused_by_recover_verify_and_rehearse(sim, tmp_path, backup_dir):
    sim.disaster(location='dal10', mode='lost')
    plan = plan_with_misspelled_limit(tmp_path)
    sim.reset_stats()
    runs = {
        'recover': recover(sim, tmp_path, backup_dir, plan=plan),
        'verify': verify(sim, tmp_path, backup_dir, plan=plan),
        'rehearse': run_playbook(sim, 'cloud_dr.ibm_direct_link.rehearse', tmp_path,
                                 ['-i', str(backup_dir), '-e', f'@{DEMO_PLAN}', '-e', f'rehearse_dir={tmp_path}/rehearsal',
                                  '-e', json.dumps({'recovery_limit': DAL10})]),
    }
    missed = {name: run.output for name, run in runs.items() if run.rc == 0 or TYPO not in run.output}
    assert not missed, missed
    assert sim.stats()['mutating'] == 0


def test_the_name_template_the_error_recommends_works_in_a_recovery_check(sim, tmp_path, backup_dir):
    hint = recovery.Plan({'recover_name_template': 'fixed-name'}).problems([])[0]
    placeholder = re.search(r'must contain (\{+ ?name ?\}+)', hint).group(1)
    sim.disaster(location='dal10', mode='lost')
    sim.reset_stats()
    result = recover(sim, tmp_path, backup_dir, '--check', '--diff',
                     plan=write_plan(tmp_path, recover_name_template=f'{placeholder}-dr'))
    assert result.rc == 0, result.output
    for name in DAL10:
        assert f'{name}-dr' in result.output
    assert sim.stats()['mutating'] == 0


def test_a_per_host_recovery_of_a_backup_given_as_data_is_refused_naming_the_missing_hosts(sim, tmp_path, backup_dir):
    sim.disaster(location='dal10', mode='lost')
    sim.reset_stats()
    result = run_playbook(sim, 'cloud_dr.ibm_direct_link.recover', tmp_path,
                          ['-e', f'backup_dir={backup_dir}', '-e', f'@{DEMO_PLAN}', '-e', 'recover_strategy=per_host'])
    assert result.rc != 0
    assert ('recover_strategy per_host runs one task per gateway host, but group direct_link_gateways of the inventory '
            'has no host dal10_connect_primary, dal10_connect_transit, dal10_dedicated_macsec') in ' '.join(result.output.split()), result.output
    assert sim.stats()['mutating'] == 0
