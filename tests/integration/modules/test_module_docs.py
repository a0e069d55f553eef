"""Every module's documentation renders with ansible-doc, and every module's EXAMPLES run against the simulator.

The modules are the Python files of plugins/modules; each one's documentation is the YAML file beside it
(DOCUMENTATION, EXAMPLES, RETURN), which ansible-doc reads. Each module's EXAMPLES are run as written - one
playbook per module, tasks in order - against a fresh simulator seeded with the demo account. EXAMPLES made of
plays (items with ``hosts``) are run as that playbook.

Conventions the examples may rely on; the test prepares them, and the example text stays what users read:

* ``/srv/...`` stands for the user's own directories. String values that start with ``/srv/`` are rooted in the
  test's temporary directory (``/srv/dl-backup`` becomes ``TMP/srv/dl-backup``); nothing else is rewritten.
* ``/srv/dl-backup``, when an example mentions it, already holds a backup of the demo account made by the backup
  playbook (an example that writes it updates that backup).
* ``/srv/cli-export``, when an example mentions it, holds an IBM Cloud CLI export of the demo account
  (``gateways.json`` and ``virtual-connections-<GATEWAY_ID>.json``, as IBM's manual backup procedure saves them).
* ``git@git.example.com:network/dl-backup.git`` reaches a local bare repository (git's ``url.<base>.insteadOf``,
  set through the environment).
* Variables that stand for the results of earlier steps of a run are play variables made by a setup playbook
  (SETUP below): for _recovery_report, ``recovery`` (a _recovery_plan result) and ``gateway_results`` (per inventory
  host, the gateway module's result of recreating it); for _rehearsal_report, ``rehearse_preflight`` (a
  recovery_plan result) and ``rehearse_after`` (a gateway_info result).
"""

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from dlsim.process import Simulator
from drill import DEMO_PLAN, backup
from playbook_runner import ansible_environment, ansible_playbook, run_playbook, run_tasks

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
MODULES_DIR = os.path.join(ROOT, 'plugins', 'modules')
COLLECTION = 'cloud_dr.ibm_direct_link'
SRV = '/srv/'
BACKUP = '/srv/dl-backup'
CLI_EXPORT = '/srv/cli-export'
GIT_REMOTE = 'git@git.example.com:network/dl-backup.git'


def module_names():
    """Every module of the collection, the roles' private ones (``_name``) included: the Python files of plugins/modules."""
    return sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith('.py') and name != '__init__.py')


def module_docs(name):
    """The module's documentation file: DOCUMENTATION and RETURN (mappings), EXAMPLES (the text users read)."""
    with open(os.path.join(MODULES_DIR, f'{name}.yml'), encoding='utf-8') as stream:
        return yaml.safe_load(stream)


def short_description(name):
    return module_docs(name)['DOCUMENTATION']['short_description']


def ansible_doc(*args):
    """Run the ansible-doc next to the tests' ansible-playbook for modules."""
    command = [os.path.join(os.path.dirname(ansible_playbook()), 'ansible-doc'), '-t', 'module', *args]
    return subprocess.run(command, env=ansible_environment(), capture_output=True, text=True, timeout=300, check=False)


def words(text):
    return ' '.join(text.split())


MODULES = module_names()
FQCNS = [f'{COLLECTION}.{name}' for name in MODULES]


def test_ansible_doc_lists_exactly_the_modules_of_plugins_modules():
    listed = ansible_doc('--list', '--json', COLLECTION)
    assert listed.returncode == 0, listed.stderr
    assert sorted(json.loads(listed.stdout)) == FQCNS and len(FQCNS) > 10


def test_the_action_group_is_every_module_that_takes_the_auth_options():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml'), encoding='utf-8') as stream:
        group = yaml.safe_load(stream)['action_groups']['direct_link']
    with_auth = [name for name in MODULES if f'{COLLECTION}.auth' in
                 module_docs(name)['DOCUMENTATION'].get('extends_documentation_fragment', [])]
    assert sorted(group) == with_auth


def test_ansible_doc_gives_every_short_description():
    docs = ansible_doc('--json', *FQCNS)
    assert docs.returncode == 0, docs.stderr
    docs = json.loads(docs.stdout)
    assert sorted(docs) == FQCNS
    # ansible-doc's page leaves the short description out (ansible-core 2.19); each snippet starts with it.
    snippets = ansible_doc('--snippet', *FQCNS)
    assert snippets.returncode == 0, snippets.stderr
    for name, fqcn in zip(MODULES, FQCNS):
        assert docs[fqcn]['doc']['short_description'] == short_description(name)
        assert docs[fqcn]['examples'].strip(), f'{name} has no EXAMPLES'
        assert f'- name: {words(short_description(name))} ' in words(snippets.stdout), f'{name} has no snippet'


@pytest.fixture(scope='module')
def doc_pages():
    """Every module's ansible-doc page from one call: (pages by module, stderr)."""
    result = ansible_doc(*FQCNS)
    pages = {}
    for chunk in ('\n' + result.stdout).split('\n> MODULE ')[1:]:
        pages[chunk.split(' ', 1)[0]] = '> MODULE ' + chunk
    return (pages if result.returncode == 0 else {}), result.stderr


@pytest.mark.parametrize('name', MODULES)
def test_ansible_doc_renders(doc_pages, name):
    fqcn = f'{COLLECTION}.{name}'
    pages, stderr = doc_pages
    page = pages.get(fqcn)
    if page is None or stderr.strip():
        # Something went wrong in the call for every module: ask for this module alone, for its own messages.
        alone = ansible_doc(fqcn)
        assert alone.returncode == 0, alone.stdout + alone.stderr
        assert '[WARNING]' not in alone.stderr and '[ERROR]' not in alone.stderr, alone.stderr
        page = alone.stdout
    assert page.startswith(f'> MODULE {fqcn} '), page[:300]
    for section in ('OPTIONS', 'EXAMPLES:'):
        assert section in page, f'no {section} in the page of {name}'
    first = yaml.safe_load(module_docs(name)['EXAMPLES'])[0]
    assert f"- name: {first['name']}" in page


# ---------------------------------------------------------------------------------------------- running EXAMPLES

def rooted(value, root):
    """``value`` with every string that starts with /srv/ moved under ``root``."""
    if isinstance(value, str) and value.startswith(SRV):
        return os.path.join(str(root), value.lstrip('/'))
    if isinstance(value, list):
        return [rooted(item, root) for item in value]
    if isinstance(value, dict):
        return {key: rooted(item, root) for key, item in value.items()}
    return value


@pytest.fixture(scope='module')
def demo_backup(tmp_path_factory):
    """A function that copies a backup of the demo account to a directory; the backup playbook runs once per worker.

    The demo seed is deterministic, so every simulator's demo account has this backup (its manifest names the
    endpoint of the simulator that made it; nothing compares that with the live endpoint).
    """
    made = []

    def copy_to(directory):
        if not made:
            workdir = tmp_path_factory.mktemp('demo-backup')
            with Simulator(seed='demo') as sim:
                result = backup(sim, workdir, workdir / 'dl-backup')
            assert result.rc == 0, result.output
            made.append(workdir / 'dl-backup')
        shutil.copytree(made[0], directory)
        return str(directory)
    return copy_to


def cli_export(sim, directory):
    """What `ibmcloud dl gateways --output json` and `ibmcloud dl virtual-connections ID --output json` save."""
    client = sim.client()
    os.makedirs(directory)
    gateways = client.list_gateways().get_result()['gateways']
    files = {'gateways.json': gateways}
    for gateway in gateways:
        if not gateway.get('cross_account'):
            vcs = client.list_gateway_virtual_connections(gateway['id']).get_result()['virtual_connections']
            files[f"virtual-connections-{gateway['id']}.json"] = vcs
    for file_name, content in files.items():
        with open(os.path.join(directory, file_name), 'w', encoding='utf-8') as stream:
            json.dump(content, stream)


def git_remote(directory):
    """A bare repository that GIT_REMOTE reaches, and the environment that makes git go there."""
    subprocess.run(['git', 'init', '--quiet', '--bare', str(directory)], check=True)
    return {'GIT_CONFIG_COUNT': '1', 'GIT_CONFIG_KEY_0': f'url.{directory}.insteadOf', 'GIT_CONFIG_VALUE_0': GIT_REMOTE}


def demo_plan():
    with open(DEMO_PLAN, encoding='utf-8') as stream:
        return yaml.safe_load(stream)


def setup_play(sim, workdir, tasks):
    """Run setup tasks; return what they registered."""
    result = run_tasks(sim, tasks, workdir)
    assert result.rc == 0, result.output
    return result.registered


def recovery_setup(sim, workdir, backup_dir):
    """``recovery``: the demo plan checked by _recovery_plan; ``gateway_results``: the gateway module recreating it."""
    registered = setup_play(sim, workdir, [
        {'cloud_dr.ibm_direct_link._recovery_plan': {'backup_dir': backup_dir, 'plan': demo_plan()}, 'register': 'recovery'},
        {'cloud_dr.ibm_direct_link.gateway': None, 'args': '{{ item.value.desired }}', 'register': 'recreated',
         'loop': '{{ recovery.gateways | dict2items }}', 'loop_control': {'label': '{{ item.key }}'}},
    ])
    return {'recovery': registered['recovery'],
            'gateway_results': {item['item']['key']: item for item in registered['recreated']['results']}}


def rehearsal_setup(sim, workdir, backup_dir):
    """``rehearse_preflight``: the demo plan checked by _recovery_plan; ``rehearse_after``: gateway_info afterwards."""
    return setup_play(sim, workdir, [
        {'cloud_dr.ibm_direct_link._recovery_plan': {'backup_dir': backup_dir, 'plan': demo_plan()},
         'register': 'rehearse_preflight'},
        {'cloud_dr.ibm_direct_link.gateway_info': None, 'register': 'rehearse_after'},
    ])


def standby_setup(sim, workdir, _backup_dir):
    """``standby_plan``: the standby of the demo's primary gateway in dal12, as the _standby_plan examples plan it."""
    plan_task = yaml.safe_load(module_docs('_standby_plan')['EXAMPLES'])[0]
    return setup_play(sim, workdir, [plan_task])


# Setup playbooks that make the play variables a module's examples take from earlier steps of a run (they get the
# prepared /srv/dl-backup).
SETUP = {'_recovery_report': recovery_setup, '_rehearsal_report': rehearsal_setup, '_standby_report': standby_setup}


@pytest.mark.parametrize('name', MODULES)
def test_examples_run(sim, tmp_path, demo_backup, name):
    text = module_docs(name)['EXAMPLES']
    examples = yaml.safe_load(text)
    assert isinstance(examples, list) and examples, f'{name}: EXAMPLES is not a list of tasks or plays'
    root = tmp_path / 'root'
    root.mkdir()
    env, play_vars = {}, {}
    if BACKUP in text or name in SETUP:
        demo_backup(rooted(BACKUP, root))
    if CLI_EXPORT in text:
        cli_export(sim, rooted(CLI_EXPORT, root))
    if GIT_REMOTE in text:
        env.update(git_remote(tmp_path / 'remote.git'))
    if name in SETUP:
        play_vars.update(SETUP[name](sim, tmp_path, rooted(BACKUP, root)))
    workdir = tmp_path / 'examples'
    workdir.mkdir()
    examples = rooted(examples, root)
    if all('hosts' in item for item in examples):
        playbook = workdir / 'playbook.yml'
        playbook.write_text(json.dumps(examples, indent=1), encoding='utf-8')
        extra_vars = dict(play_vars, ansible_python_interpreter=sys.executable)
        result = run_playbook(sim, str(playbook), workdir, ['-e', json.dumps(extra_vars)], env=env)
    else:
        assert not any('hosts' in item for item in examples), f'{name}: EXAMPLES mixes plays and tasks'
        result = run_tasks(sim, examples, workdir, env=env, play_vars=play_vars)
    assert result.rc == 0, f'The EXAMPLES of {name} failed:\n{result.output}'
    assert 'failed=0' in result.stdout and 'unreachable=0' in result.stdout, result.stdout
