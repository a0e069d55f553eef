"""`make bench`: speed, request economy and scale of gather, backup and recover against private simulators.

Prints one JSON document and writes it to bench-results/bench.json. Each scenario starts its own simulator on a
free loopback port. Numbers, never assertions: this is not a test suite.

Format (stable; add keys, never rename): {"schema": 1, "machine": {...}, "scenarios": {name: {...}}} where a
scenario has wall_seconds, requests (by method and path template), mutating, iam_tokens, peak_rss_mb (the sum over
the controller's process tree: ansible-playbook, its forks and modules, sampled every 20 ms; the simulator is not
counted) and, where there is a baseline, baseline_seconds and speedup. Recover scenarios name their strategy:
"recover" is the playbook as shipped (batch since schema 1 was extended with the key "strategy"; before, it was
one host per gateway in two passes, now "recover_per_host").
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY
from dlsim.process import Simulator
from playbook_runner import ansible_environment, ansible_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUTPUT = os.path.join(ROOT, 'bench-results', 'bench.json')


class TreeMemory:
    """Samples the resident memory of this process's descendants, except the simulator's tree; keeps the peak."""

    PAGE = os.sysconf('SC_PAGE_SIZE')

    def __init__(self, excluded_pid, interval=0.02):
        self.excluded_pid = excluded_pid
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _processes():
        """{pid: (parent pid, resident pages)} of every process readable in /proc."""
        found = {}
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open(f'/proc/{entry}/stat', encoding='utf-8') as stat, \
                        open(f'/proc/{entry}/statm', encoding='utf-8') as statm:
                    fields = stat.read().rsplit(')', 1)[1].split()
                    found[int(entry)] = (int(fields[1]), int(statm.read().split()[1]))
            except (OSError, IndexError, ValueError):
                continue  # the process ended while we looked
        return found

    def _tree_bytes(self):
        processes = self._processes()
        children = {}
        for pid, (parent, _pages) in processes.items():
            children.setdefault(parent, []).append(pid)
        total, stack = 0, [pid for pid in children.get(os.getpid(), []) if pid != self.excluded_pid]
        while stack:
            pid = stack.pop()
            total += processes[pid][1] * self.PAGE
            stack.extend(child for child in children.get(pid, []) if child != self.excluded_pid)
        return total

    def _sample(self):
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._tree_bytes())
            self._stop.wait(self.interval)


def measured(sim, run):
    """Run ``run()`` and return the wall time and the controller tree's peak memory with the simulator's counters."""
    sim.reset_stats()
    with TreeMemory(excluded_pid=sim.pid) as memory:
        started = time.monotonic()
        outcome = run()
        wall = time.monotonic() - started
    stats = sim.stats()
    return outcome, {'wall_seconds': round(wall, 2), 'requests': stats['requests'], 'mutating': stats['mutating'],
                     'iam_tokens': stats['iam_tokens'], 'direct_link_requests': stats['total'] - stats['iam_tokens'],
                     'peak_rss_mb': round(memory.peak_bytes / 2 ** 20, 1)}


def playbook(sim, workdir, *args):
    """Run a collection playbook; raise when it fails."""
    process = subprocess.run([ansible_playbook(), *args], cwd=workdir, env=ansible_environment(sim),
                             capture_output=True, text=True, check=False)
    if process.returncode:
        raise RuntimeError(process.stdout[-3000:] + process.stderr[-3000:])
    return process


def play(sim, workdir, tasks):
    """Run ``tasks`` in one localhost play, as a user's playbook would (no harness task added)."""
    path = os.path.join(workdir, 'bench-play.yml')
    with open(path, 'w', encoding='utf-8') as stream:
        json.dump([{'name': 'bench', 'hosts': 'localhost', 'gather_facts': False,
                    'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'}, 'tasks': tasks}], stream)
    return playbook(sim, workdir, path)


def sequential_gather(sim, gateways):
    """The same requests as gateway_info, made one at a time through the SDK (the manual procedure)."""
    client = sim.client()
    started = time.monotonic()
    listed = client.list_gateways().get_result()['gateways'][:gateways]
    for gateway in listed:
        client.list_gateway_virtual_connections(gateway['id'])
        client.list_gateway_export_route_filters(gateway['id'])
        client.list_gateway_import_route_filters(gateway['id'])
    return time.monotonic() - started, 1 + 3 * len(listed)


def gather_tasks(workers):
    """A play's tasks: gateway_info with virtual connections, route filters and AS prepends."""
    return [{'cloud_dr.ibm_direct_link.gateway_info': {
        'include': ['virtual_connections', 'route_filters', 'as_prepends'], 'max_concurrency': workers}, 'register': 'info'}]


def bench_gather(workdir):
    """200 gateways x 5 VCs at 50 ms per request: gateway_info versus one request at a time."""
    result = {}
    with Simulator(seed={'generate': {'gateways': 200, 'vcs': 5}}) as sim:
        sim.faults(latency_ms=50)
        for workers in (8, 16, 32):
            _outcome, numbers = measured(sim, lambda w=workers: play(sim, workdir, gather_tasks(w)))
            result[f'max_concurrency_{workers}'] = numbers
        sim.faults(latency_ms=0)
        _outcome, floor = measured(sim, lambda: play(sim, workdir, gather_tasks(DEFAULT_MAX_CONCURRENCY)))
        sim.faults(latency_ms=50)
        seconds_20, requests_20 = sequential_gather(sim, 20)
        model_20 = requests_20 * 0.05
        requests = result['max_concurrency_8']['direct_link_requests']
        baseline = requests * 0.05 * (seconds_20 / model_20)
        for numbers in list(result.values()):
            numbers['baseline_seconds'] = round(baseline, 2)
            numbers['speedup'] = round(baseline / numbers['wall_seconds'], 1)
        result['default'] = f'max_concurrency_{DEFAULT_MAX_CONCURRENCY}'
        # The same play with no latency at all: what Ansible and the client's own work cost, a floor no concurrency
        # can go below; baseline / floor is the best speedup this controller could show.
        result['no_latency_floor'] = {'wall_seconds': floor['wall_seconds'],
                                      'best_possible_speedup': round(baseline / floor['wall_seconds'], 1)}
        result['sequential_20_gateways'] = {'wall_seconds': round(seconds_20, 2), 'requests': requests_20,
                                            'model_seconds': round(model_20, 2)}
    return result


def bench_backup_scale(workdir):
    """Backups of 200, 1000 and 2000 gateways x 5 VCs: time, memory and size per gateway; growth."""
    result = {}
    for count in (200, 1000, 2000):
        with Simulator(seed={'generate': {'gateways': count, 'vcs': 5}}) as sim:
            directory = os.path.join(workdir, f'backup-{count}')
            _outcome, numbers = measured(sim, lambda d=directory, s=sim: playbook(
                s, workdir, 'cloud_dr.ibm_direct_link.backup', '-e', f'backup_dir={d}'))
            size = sum(os.path.getsize(os.path.join(p, f)) for p, _d, files in os.walk(directory) for f in files)
            _again, rerun = measured(sim, lambda d=directory, s=sim: playbook(
                s, workdir, 'cloud_dr.ibm_direct_link.backup', '-e', f'backup_dir={d}'))
            numbers.update({'gateways': count, 'bytes': size, 'bytes_per_gateway': size // count,
                            'ms_per_gateway': round(numbers['wall_seconds'] * 1000 / count, 1),
                            'rerun_wall_seconds': rerun['wall_seconds'], 'rerun_mutating': rerun['mutating']})
            numbers.pop('requests')
            result[str(count)] = numbers
    result['growth_200_to_2000'] = round(result['2000']['wall_seconds'] / result['200']['wall_seconds'], 1)
    return result


def bench_recover(workdir, provision_delay, vc_delay, strategy):
    """50 gateways x 4 VCs backed up, lost, then recovered: ``strategy`` is (name, extra playbook arguments)."""
    name, extra = strategy
    with Simulator(seed={'generate': {'gateways': 50, 'vcs': 4}}, provision_delay=provision_delay, vc_delay=vc_delay) as sim:
        directory = os.path.join(workdir, f'recover-{provision_delay}-{name}')
        playbook(sim, workdir, 'cloud_dr.ibm_direct_link.backup', '-e', f'backup_dir={directory}')
        sim.reset()
        args = ('-i', directory, 'cloud_dr.ibm_direct_link.recover', '-e', f'recover_report_dir={workdir}', *extra)
        _outcome, numbers = measured(sim, lambda: playbook(sim, workdir, *args))
        _again, rerun = measured(sim, lambda: playbook(sim, workdir, *args))
        numbers['rerun'] = {key: rerun[key] for key in ('wall_seconds', 'mutating', 'iam_tokens')}
        numbers['strategy'] = name
        return numbers


# The recover playbook as shipped (one module run for every gateway), and with one host per gateway at -f 50: two
# passes (start all, then await each) and one.
RECOVER_STRATEGIES = {
    'recover': ('batch', ()),
    'recover_per_host': ('per_host', ('-f', '50', '-e', 'recover_strategy=per_host')),
    'recover_one_pass': ('per_host_one_pass', ('-f', '50', '-e', 'recover_strategy=per_host',
                                               '-e', 'recover_start_all_first=false')),
}


def bench_per_task(workdir):
    """The cost of one module invocation: an empty play versus one gateway_info task."""
    with Simulator(seed='demo') as sim:
        empty = [{'ansible.builtin.meta': 'noop'}]
        one = [{'cloud_dr.ibm_direct_link.gateway_info': {'include': []}, 'register': 'info'}]
        _o, base = measured(sim, lambda: play(sim, workdir, empty))
        _o, with_module = measured(sim, lambda: play(sim, workdir, one))
    return {'empty_play_seconds': base['wall_seconds'], 'one_gateway_info_seconds': with_module['wall_seconds'],
            'module_invocation_seconds': round(with_module['wall_seconds'] - base['wall_seconds'], 2),
            'iam_tokens_one_task': with_module['iam_tokens']}


def main():
    """Run every scenario; print and save the JSON document."""
    machine = {'cpus': os.cpu_count(), 'python': platform.python_version(), 'platform': platform.platform(),
               'processor': platform.machine()}
    scenarios = {}
    with tempfile.TemporaryDirectory() as workdir:
        scenarios['per_task'] = bench_per_task(workdir)
        scenarios['gather'] = bench_gather(workdir)
        scenarios['backup_scale'] = bench_backup_scale(workdir)
        for name, strategy in RECOVER_STRATEGIES.items():
            waiting = bench_recover(workdir, 3, 1, strategy)
            no_wait = bench_recover(workdir, 0, 0, strategy)
            waiting['baseline_seconds'] = 50 * (3 + 4 * 1)
            waiting['speedup'] = round(waiting['baseline_seconds'] / waiting['wall_seconds'], 1)
            waiting['ansible_and_api_seconds_without_provisioning_delays'] = no_wait['wall_seconds']
            waiting['waiting_on_provisioning_seconds'] = round(waiting['wall_seconds'] - no_wait['wall_seconds'], 2)
            scenarios[name] = waiting
    document = {'schema': 1, 'machine': machine, 'scenarios': scenarios}
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, 'w', encoding='utf-8') as stream:
        json.dump(document, stream, indent=2, sort_keys=True)
    json.dump(document, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
