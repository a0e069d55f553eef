"""Steps of the backup → disaster → recovery drill shared by the integration suites (playbooks through the
simulator), and ways to look at their results."""

import copy
import hashlib
import json
import os

import jsonschema
import yaml

from playbook_runner import run_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DEMO_PLAN = os.path.join(ROOT, 'tests', 'support', 'dr-plan.yml')
DAL10 = ['dal10-connect-primary', 'dal10-connect-transit', 'dal10-dedicated-macsec']


def backup(sim, workdir, directory, *extra, env=None):
    """Run the backup playbook into ``directory``."""
    return run_playbook(sim, 'cloud_dr.ibm_direct_link.backup', workdir, ['-e', f'backup_dir={directory}', *extra], env=env)


def recover(sim, workdir, backup_dir, *args, plan=DEMO_PLAN, env=None):
    """Run the recover playbook from ``backup_dir`` with a plan file; the report goes to ``workdir``."""
    return run_playbook(sim, 'cloud_dr.ibm_direct_link.recover', workdir,
                        ['-i', str(backup_dir), '-e', f'@{plan}', '-e', f'recover_report_dir={workdir}', '-f', '10', *args],
                        env=env)


def verify(sim, workdir, backup_dir, *args, plan=None, env=None):
    """Run the verify playbook: the live account against the backup (and the recovery, given its plan)."""
    plan_args = ['-e', f'@{plan}'] if plan else []
    return run_playbook(sim, 'cloud_dr.ibm_direct_link.verify', workdir, ['-i', str(backup_dir), *plan_args, *args], env=env)


def reseed(sim, state, change=None):
    """Put the simulator back in ``state`` (a state document, itself left as it is) with ``change(doc)`` applied to a
    copy of it; stats reset."""
    doc = copy.deepcopy(state)
    if change:
        change(doc)
    sim.seed_with(doc)
    sim.reset_stats()
    return sim


def write_plan(workdir, **changes):
    """The demo plan with ``changes``, written to workdir/plan.yml."""
    with open(DEMO_PLAN, encoding='utf-8') as stream:
        plan = yaml.safe_load(stream)
    plan.update(changes)
    path = os.path.join(workdir, 'plan.yml')
    with open(path, 'w', encoding='utf-8') as stream:
        yaml.safe_dump(plan, stream)
    return path


def tree_digest(directory):
    """Every file of a directory with its sha256 and mode."""
    result = {}
    for dirpath, _dirs, names in os.walk(directory):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, 'rb') as stream:
                result[os.path.relpath(path, directory)] = (hashlib.sha256(stream.read()).hexdigest(),
                                                            oct(os.stat(path).st_mode & 0o777))
    return result


def gateway_names(sim):
    """Names of the account's gateways, with repeats (a duplicate shows twice)."""
    return sorted(gateway['name'] for gateway in sim.state()['gateways'])


def vc_names(sim, gateway_name):
    """Names of one gateway's virtual connections, with repeats."""
    return sorted(vc['name'] for vc in sim.gateway(gateway_name)['virtual_connections'])


def report_document(path):
    """A JSON report (recovery-report.json, verify-report.json, rehearsal-report.json), checked against the JSON
    Schema the collection documents for its kind (docs/schemas/)."""
    with open(path, encoding='utf-8') as stream:
        document = json.load(stream)
    with open(os.path.join(ROOT, 'docs', 'schemas', f"{document.get('kind')}-report.schema.json"), encoding='utf-8') as stream:
        schema = json.load(stream)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    return document
