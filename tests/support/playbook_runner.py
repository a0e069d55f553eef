"""Run ``ansible-playbook`` against a simulator from tests, and read back what the tasks registered.

A test gives a list of tasks (as dicts); the helper writes a localhost play around them, runs it with the
simulator's endpoints and API key in the environment, and returns the registered results, read from a JSON file
that a final task writes (even in check mode).
"""

import json
import os
import re
import subprocess
import sys

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))

# A PLAY RECAP line: 'localhost                  : ok=3    changed=0    unreachable=0 ...'.
RECAP_LINE = re.compile(r'^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$')
RECAP_COUNTER = re.compile(r'(\w+)=(\d+)')


class PlaybookResult:
    """Exit code, output and registered variables of one ansible-playbook run."""

    def __init__(self, returncode, stdout, stderr, registered):
        self.rc = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.registered = registered

    @property
    def output(self):
        """stdout and stderr together."""
        return self.stdout + self.stderr

    def __getitem__(self, name):
        return self.registered[name]

    def recap(self):
        """The PLAY RECAP counters by host: ``{'localhost': {'ok': 3, 'changed': 0, ...}}`` (summed over plays)."""
        totals = {}
        for line in self.stdout.splitlines():
            match = RECAP_LINE.match(line)
            if match:
                counters = totals.setdefault(match.group(1), {})
                for name, value in RECAP_COUNTER.findall(match.group(2)):
                    counters[name] = counters.get(name, 0) + int(value)
        return totals

    def changed_hosts(self):
        """The hosts whose recap counts at least one change."""
        return sorted(host for host, counters in self.recap().items() if counters.get('changed'))


def collections_path():
    """The directory that holds ``ansible_collections/cloud_dr/ibm_direct_link`` (set up by ``make setup``)."""
    return os.path.join(COLLECTION_ROOT, '.venv', 'collections')


def ansible_environment(sim=None, extra=None):
    """Environment for ansible-playbook: this collection, quiet output, and the simulator's endpoints."""
    environment = dict(os.environ)
    for name in ('IC_API_KEY', 'IBMCLOUD_API_KEY', 'IBMCLOUD_DL_API_ENDPOINT', 'IBMCLOUD_TG_API_ENDPOINT', 'IBMCLOUD_IAM_API_ENDPOINT'):
        environment.pop(name, None)
    environment.update({
        'ANSIBLE_COLLECTIONS_PATH': collections_path(),
        'ANSIBLE_CONFIG': os.path.join(COLLECTION_ROOT, 'ansible.cfg'),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
    })
    if sim is not None:
        environment.update(sim.environment())
    environment.update(extra or {})
    return environment


def ansible_playbook():
    """The ansible-playbook of the running interpreter's environment."""
    return os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')


def run_tasks(sim, tasks, workdir, args=(), env=None, play_vars=None, module_defaults=None, timeout=600):
    """Run ``tasks`` in one localhost play; return a PlaybookResult with every registered variable."""
    workdir = str(workdir)
    results_file = os.path.join(workdir, 'registered.json')
    if os.path.exists(results_file):
        os.remove(results_file)
    names = [task['register'] for task in tasks if 'register' in task]
    dump = {'name': 'Save registered results', 'check_mode': False, 'ansible.builtin.copy': {
        'dest': results_file, 'mode': '0600',
        'content': '{{ {' + ', '.join(f"'{name}': {name} | default(None)" for name in names) + '} | to_json }}'}}
    play = {'name': 'test', 'hosts': 'localhost', 'gather_facts': False,
            'vars': dict({'ansible_python_interpreter': '{{ ansible_playbook_python }}'}, **(play_vars or {})),
            'tasks': list(tasks) + [dump]}
    if module_defaults:
        play['module_defaults'] = module_defaults
    path = os.path.join(workdir, 'playbook.yml')
    with open(path, 'w', encoding='utf-8') as stream:
        json.dump([play], stream, indent=1)  # JSON is YAML: no YAML library needed here
    return run_playbook(sim, path, workdir, args, env, timeout, results_file)


def run_playbook(sim, playbook, workdir, args=(), env=None, timeout=600, results_file=None):
    """Run an existing playbook (a path or a collection playbook name) against the simulator."""
    process = subprocess.run([ansible_playbook(), playbook, *args], cwd=str(workdir), env=ansible_environment(sim, env),
                             capture_output=True, text=True, timeout=timeout, check=False)
    registered = {}
    if results_file and os.path.exists(results_file):
        with open(results_file, encoding='utf-8') as stream:
            registered = json.load(stream)
    return PlaybookResult(process.returncode, process.stdout, process.stderr, registered)
