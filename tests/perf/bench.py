"""`make bench`: speed, request economy and scale of gather, backup and recover against private simulators.

Writes one JSON document to bench-results/bench.json (and prints it); tools/perf_page.py turns it into
docs/performance.md. Each scenario starts its own simulator on a free loopback port. Numbers and goals, never
assertions: this is not a test suite, and a missed goal is reported, not raised.

Format (stable: keys are added, never renamed or given another meaning)::

    {"schema": 1,
     "machine": {cpus, python, platform, processor, memory_mb, ansible_core, load_average_start/_end},
     "run": {date (UTC, ISO 8601), git_commit, git_dirty, seconds, only (the scenarios run, when not all)},
     "scenarios": {name: {...}},
     "goals": {goal: {scenario, description, measured, limit, comparison, unit, passed}},
     "goals_passed": N, "goals_failed": [goal, ...]}

A measured run has wall_seconds, requests (by method and path template), mutating, iam_tokens,
direct_link_requests, by_status (Direct Link answers by HTTP status), rate_limited (429s), failed_requests (Direct
Link answers that were not 2xx), succeeded (the playbook's exit code was 0; else error holds its output's end),
peak_rss_mb (the sum of the resident sets of the controller's process tree: ansible-playbook, its forks and modules;
the simulator is not counted), peak_pss_mb (the same tree's proportional set size, from /proc/PID/smaps_rollup, which
counts a page that forks share once in all), both sampled every 100 ms, and task_seconds (the playbook's tasks,
longest first, from tests/perf/callback_plugins/task_times.py). Where there is a baseline: baseline_seconds and
speedup. A scenario's goals (ids of "goals") are listed in its own "goals" key. Recover scenarios name their
strategy: "recover" is the playbook as shipped (batch), "recover_per_host" one host per gateway in two passes.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time

import ansible

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY
from dlsim.process import Simulator
from playbook_runner import ansible_environment, ansible_playbook

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
OUTPUT = os.path.join(ROOT, 'bench-results', 'bench.json')
SCHEMA = 1
SAMPLE_SECONDS = 0.1
LATENCY_MS = 50
RATE_LIMIT = {'rps': 20, 'burst': 20}
PROVISION_DELAY, VC_DELAY = 3, 1


# ----------------------------------------------------------------------------------------------- measuring
class Sampler(threading.Thread):
    """A daemon thread that calls ``sample()`` at once and then every ``interval`` seconds while its ``with`` block
    runs; ``began`` is when the block began (time.monotonic())."""

    def __init__(self, interval):
        super().__init__(daemon=True)
        self.interval = interval
        self.began = None
        self.finished = threading.Event()

    def sample(self):
        """One sample (a subclass's)."""
        raise NotImplementedError

    def run(self):
        while not self.finished.is_set():
            self.sample()
            self.finished.wait(self.interval)

    def __enter__(self):
        self.began = time.monotonic()
        self.start()
        return self

    def __exit__(self, *exc):
        self.finished.set()
        self.join()


class TreeMemory(Sampler):
    """Samples the memory of this process's descendants (except the simulator's tree) every 100 ms; keeps the peaks.

    RSS counts a page shared by forks once per process; PSS divides it among them, so the PSS sum is what the tree
    really holds.
    """

    PAGE = os.sysconf('SC_PAGE_SIZE')

    def __init__(self, excluded_pid, interval=SAMPLE_SECONDS):
        super().__init__(interval)
        self.excluded_pid = excluded_pid
        self.peak_rss_bytes = self.peak_pss_bytes = 0

    @staticmethod
    def _parents():
        """{pid: parent pid} of every process readable in /proc."""
        found = {}
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open(f'/proc/{entry}/stat', encoding='utf-8') as stat:
                    found[int(entry)] = int(stat.read().rsplit(')', 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended while we looked
        return found

    def _tree(self):
        """The PIDs of the measured tree."""
        children = {}
        for pid, parent in self._parents().items():
            children.setdefault(parent, []).append(pid)
        tree, stack = [], [os.getpid()]
        while stack:
            pid = stack.pop()
            for child in children.get(pid, []):
                if child != self.excluded_pid:
                    tree.append(child)
                    stack.append(child)
        return tree

    @classmethod
    def _usage(cls, pid):
        """(RSS bytes, PSS bytes) of one process; zeros when it has ended."""
        try:
            with open(f'/proc/{pid}/statm', encoding='utf-8') as statm:
                rss = int(statm.read().split()[1]) * cls.PAGE
            with open(f'/proc/{pid}/smaps_rollup', encoding='utf-8') as rollup:
                pss = next((int(line.split()[1]) * 1024 for line in rollup if line.startswith('Pss:')), 0)
        except (OSError, IndexError, ValueError):
            return 0, 0
        return rss, pss

    def sample(self):
        usage = [self._usage(pid) for pid in self._tree()]
        self.peak_rss_bytes = max(self.peak_rss_bytes, sum(rss for rss, _pss in usage))
        self.peak_pss_bytes = max(self.peak_pss_bytes, sum(pss for _rss, pss in usage))


class RateSamples(Sampler):
    """The simulator's counters every 100 ms during a run: when the 429s came."""

    def __init__(self, sim, interval=SAMPLE_SECONDS):
        super().__init__(interval)
        self.sim = sim
        self.samples = []  # (seconds since start, Direct Link requests, 429s)

    def sample(self):
        stats = self.sim.stats()
        self.samples.append((time.monotonic() - self.began, stats['total'] - stats['iam_tokens'], stats['rate_limited']))

    def summary(self, final_rate_limited):
        """When the first request was seen, the 429s within the first second after it and after, and per second."""
        first = next((t for t, requests, _limited in self.samples if requests), None)
        if first is None:
            return {}
        within = max((limited for t, _requests, limited in self.samples if t <= first + 1.0), default=0)
        per_second = {}
        previous = 0
        for t, _requests, limited in self.samples:
            if t >= first:
                second = int(t - first)
                per_second[second] = per_second.get(second, 0) + limited - previous
            previous = limited
        last = max(second for second in per_second) if per_second else 0
        return {'first_request_after_seconds': round(first, 2),
                'api_seconds': round(max(t for t, _r, _l in self.samples) - first, 2),
                'rate_limited_first_second': within, 'rate_limited_after_first_second': final_rate_limited - within,
                'rate_limited_per_second': [per_second.get(second, 0) for second in range(last + 1)]}


def run_playbook(sim, workdir, *args):
    """Run ansible-playbook with the simulator's environment and the task-times callback: (process, task times)."""
    times = os.path.join(workdir, 'task-times.json')
    if os.path.exists(times):
        os.remove(times)
    extra = {'ANSIBLE_CALLBACK_PLUGINS': os.path.join(HERE, 'callback_plugins'),
             'ANSIBLE_CALLBACKS_ENABLED': 'task_times', 'BENCH_TASK_TIMES': times}
    process = subprocess.run([ansible_playbook(), *args], cwd=workdir, env=ansible_environment(sim, extra),
                             capture_output=True, text=True, check=False)
    tasks = {}
    if os.path.exists(times):
        with open(times, encoding='utf-8') as stream:
            recorded = json.load(stream)
        for task in recorded['tasks']:
            tasks[task['name']] = round(tasks.get(task['name'], 0) + task['seconds'], 2)
        tasks['(ansible-playbook before the first task)'] = round(recorded['before_first_task_seconds'], 2)
    return process, dict(sorted(tasks.items(), key=lambda item: -item[1]))


def playbook(sim, workdir, *args):
    """Run a playbook that must succeed (a scenario's set-up); raise when it fails."""
    process, _tasks = run_playbook(sim, workdir, *args)
    if process.returncode:
        raise RuntimeError(process.stdout[-3000:] + process.stderr[-3000:])
    return process


def measured(sim, workdir, *args, rate_samples=False):
    """Run a playbook; its wall time, the controller tree's peak memory, the simulator's counters and task times."""
    sim.reset_stats()
    with TreeMemory(excluded_pid=sim.pid) as memory, \
            (RateSamples(sim) if rate_samples else contextlib.nullcontext()) as samples:
        started = time.monotonic()
        process, tasks = run_playbook(sim, workdir, *args)
        wall = time.monotonic() - started
    stats = sim.stats()
    by_status = stats.get('by_status', {})
    numbers = {'wall_seconds': round(wall, 2), 'requests': stats['requests'], 'mutating': stats['mutating'],
               'iam_tokens': stats['iam_tokens'], 'direct_link_requests': stats['total'] - stats['iam_tokens'],
               'by_status': by_status, 'rate_limited': stats['rate_limited'],
               'failed_requests': sum(count for status, count in by_status.items() if not status.startswith('2'))
               + stats['lost_responses'],
               'succeeded': process.returncode == 0,
               'peak_rss_mb': round(memory.peak_rss_bytes / 2 ** 20, 1),
               'peak_pss_mb': round(memory.peak_pss_bytes / 2 ** 20, 1), 'task_seconds': tasks}
    if process.returncode:
        numbers['error'] = (process.stdout[-2000:] + process.stderr[-2000:]).strip()
    if samples:
        numbers.update(samples.summary(stats['rate_limited']))
    return numbers


def play_file(workdir, tasks):
    """A localhost play holding only ``tasks``, as a user's playbook would (no harness task added): its path."""
    path = os.path.join(workdir, 'bench-play.yml')
    with open(path, 'w', encoding='utf-8') as stream:
        json.dump([{'name': 'bench', 'hosts': 'localhost', 'gather_facts': False,
                    'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'}, 'tasks': tasks}], stream)
    return path


# ----------------------------------------------------------------------------------------------- scenarios
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


def gather_tasks(workers=None):
    """A play's tasks: gateway_info with virtual connections, route filters and AS prepends (default concurrency
    when ``workers`` is None)."""
    options = {'include': ['virtual_connections', 'route_filters', 'as_prepends']}
    if workers is not None:
        options['max_concurrency'] = workers
    return [{'cloud_dr.ibm_direct_link.gateway_info': options, 'register': 'info'}]


def bench_gather(workdir):
    """200 gateways x 5 VCs at 50 ms per request: gateway_info at several ceilings versus one request at a time."""
    result = {}
    with Simulator(seed={'generate': {'gateways': 200, 'vcs': 5}}) as sim:
        sim.faults(latency_ms=LATENCY_MS)
        for workers in sorted({8, 16, 32, 64, DEFAULT_MAX_CONCURRENCY}):
            result[f'max_concurrency_{workers}'] = measured(sim, workdir, play_file(workdir, gather_tasks(workers)))
        result['defaults'] = measured(sim, workdir, play_file(workdir, gather_tasks()))
        sim.faults(latency_ms=0)
        floor = measured(sim, workdir, play_file(workdir, gather_tasks()))
        sim.faults(latency_ms=LATENCY_MS)
        seconds_20, requests_20 = sequential_gather(sim, 20)
    model_20 = requests_20 * LATENCY_MS / 1000
    requests = result['defaults']['direct_link_requests']
    baseline = requests * LATENCY_MS / 1000 * (seconds_20 / model_20)
    for numbers in result.values():
        numbers['baseline_seconds'] = round(baseline, 2)
        numbers['speedup'] = round(baseline / numbers['wall_seconds'], 1)
    result['default'] = f'max_concurrency_{DEFAULT_MAX_CONCURRENCY}'
    # The same play with no latency at all: what Ansible and the client's own work cost, a floor no concurrency can
    # go below; baseline / floor is the best speedup this controller could show.
    result['no_latency_floor'] = {'wall_seconds': floor['wall_seconds'],
                                  'best_possible_speedup': round(baseline / floor['wall_seconds'], 1),
                                  'task_seconds': floor['task_seconds']}
    result['sequential_20_gateways'] = {'wall_seconds': round(seconds_20, 2), 'requests': requests_20,
                                        'model_seconds': round(model_20, 2)}
    return result


def bench_gather_rate_limited(workdir):
    """The same gather at the defaults against a service that allows 20 requests a second (burst 20)."""
    with Simulator(seed={'generate': {'gateways': 200, 'vcs': 5}}, rate_limit=RATE_LIMIT['rps'],
                   rate_burst=RATE_LIMIT['burst']) as sim:
        sim.faults(latency_ms=LATENCY_MS)
        numbers = measured(sim, workdir, play_file(workdir, gather_tasks()), rate_samples=True)
    answered = numbers['direct_link_requests'] - numbers['rate_limited']
    limit_seconds = answered / RATE_LIMIT['rps']
    numbers.update({'rate_limit': RATE_LIMIT, 'latency_ms': LATENCY_MS, 'answered_requests': answered,
                    'limit_seconds': round(limit_seconds, 2),
                    'ratio_to_limit': round(numbers['wall_seconds'] / limit_seconds, 2),
                    'errors_other_than_429': numbers['failed_requests'] - numbers['rate_limited']})
    return numbers


def bench_backup_scale(workdir):
    """Backups of 200, 1000 and 2000 gateways x 5 VCs: time, memory and size per gateway; growth."""
    result = {}
    for count in (200, 1000, 2000):
        with Simulator(seed={'generate': {'gateways': count, 'vcs': 5}}) as sim:
            directory = os.path.join(workdir, f'backup-{count}')
            args = ('cloud_dr.ibm_direct_link.backup', '-e', f'backup_dir={directory}')
            numbers = measured(sim, workdir, *args)
            size = sum(os.path.getsize(os.path.join(p, f)) for p, _d, files in os.walk(directory) for f in files)
            rerun = measured(sim, workdir, *args)
        numbers.update({'gateways': count, 'bytes': size, 'bytes_per_gateway': size // count,
                        'ms_per_gateway': round(numbers['wall_seconds'] * 1000 / count, 1),
                        'rerun_wall_seconds': rerun['wall_seconds'], 'rerun_mutating': rerun['mutating']})
        numbers.pop('requests')
        result[str(count)] = numbers
    result['growth_200_to_2000'] = round(result['2000']['wall_seconds'] / result['200']['wall_seconds'], 1)
    return result


def recover_once(workdir, gateways, delays, strategy):
    """``gateways`` x 4 VCs backed up, lost, then recovered (and recovered again: nothing to do)."""
    name, extra = strategy
    provision_delay, vc_delay = delays
    with Simulator(seed={'generate': {'gateways': gateways, 'vcs': 4}}, provision_delay=provision_delay,
                   vc_delay=vc_delay) as sim:
        directory = os.path.join(workdir, f'recover-{gateways}-{provision_delay}-{name}')
        playbook(sim, workdir, 'cloud_dr.ibm_direct_link.backup', '-e', f'backup_dir={directory}')
        sim.reset()
        args = ('-i', directory, 'cloud_dr.ibm_direct_link.recover', '-e', f'recover_report_dir={workdir}', *extra)
        numbers = measured(sim, workdir, *args)
        rerun = measured(sim, workdir, *args)
    numbers['rerun'] = {key: rerun[key] for key in ('wall_seconds', 'mutating', 'iam_tokens', 'succeeded')}
    numbers['strategy'] = name
    return numbers


def bench_recover(workdir, gateways, strategy):
    """A recovery with 3 s + 1 s provisioning, and the same without provisioning delays (Ansible and API alone)."""
    waiting = recover_once(workdir, gateways, (PROVISION_DELAY, VC_DELAY), strategy)
    no_wait = recover_once(workdir, gateways, (0, 0), strategy)
    floor = PROVISION_DELAY + VC_DELAY
    waiting.update({
        'gateways': gateways, 'vcs_per_gateway': 4,
        'baseline_seconds': gateways * (PROVISION_DELAY + 4 * VC_DELAY),
        'speedup': round(gateways * (PROVISION_DELAY + 4 * VC_DELAY) / waiting['wall_seconds'], 1),
        'provisioning_floor_seconds': floor, 'ratio_to_floor': round(waiting['wall_seconds'] / floor, 2),
        'ansible_and_api_seconds_without_provisioning_delays': no_wait['wall_seconds'],
        'waiting_on_provisioning_seconds': round(waiting['wall_seconds'] - no_wait['wall_seconds'], 2),
        'without_provisioning_delays_task_seconds': no_wait['task_seconds']})
    return waiting


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
        base = measured(sim, workdir, play_file(workdir, [{'ansible.builtin.meta': 'noop'}]))
        with_module = measured(sim, workdir, play_file(workdir, [
            {'cloud_dr.ibm_direct_link.gateway_info': {'include': []}, 'register': 'info'}]))
    return {'empty_play_seconds': base['wall_seconds'], 'one_gateway_info_seconds': with_module['wall_seconds'],
            'module_invocation_seconds': round(with_module['wall_seconds'] - base['wall_seconds'], 2),
            'iam_tokens_one_task': with_module['iam_tokens']}


SCENARIOS = {
    'per_task': bench_per_task,
    'gather': bench_gather,
    'gather_rate_limited': bench_gather_rate_limited,
    'backup_scale': bench_backup_scale,
    'recover': lambda workdir: bench_recover(workdir, 50, RECOVER_STRATEGIES['recover']),
    'recover_500': lambda workdir: bench_recover(workdir, 500, RECOVER_STRATEGIES['recover']),
    'recover_per_host': lambda workdir: bench_recover(workdir, 50, RECOVER_STRATEGIES['recover_per_host']),
    'recover_one_pass': lambda workdir: bench_recover(workdir, 50, RECOVER_STRATEGIES['recover_one_pass']),
}


# ----------------------------------------------------------------------------------------------- goals
def goal(scenario, description, measured_value, comparison, limit, unit=''):
    """One goal's record; ``comparison`` is how ``measured_value`` must relate to ``limit``."""
    checks = {'>=': lambda a, b: a >= b, '<=': lambda a, b: a <= b, '<': lambda a, b: a < b, '==': lambda a, b: a == b}
    passed = measured_value is not None and checks[comparison](measured_value, limit)
    return {'scenario': scenario, 'description': description, 'measured': measured_value, 'comparison': comparison,
            'limit': limit, 'unit': unit, 'passed': bool(passed)}


def _nested(scenarios, path):
    """scenarios[a][b]... or None when any part is missing."""
    value = scenarios
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def goals(scenarios):
    """Every goal whose scenario ran: {goal id: record}."""
    default = _nested(scenarios, ('gather', 'defaults'))
    limited = scenarios.get('gather_rate_limited')
    recover, recover_500 = scenarios.get('recover'), scenarios.get('recover_500')
    backup = _nested(scenarios, ('backup_scale', '2000'))
    found = {}
    if default:
        found['gather_speedup'] = goal('gather', 'gather 200 x 5 at 50 ms, defaults: speedup over one request at a time',
                                       default['speedup'], '>=', 12, 'x')
        found['gather_failed_requests'] = goal('gather', 'gather 200 x 5 at 50 ms, defaults: failed requests',
                                               default['failed_requests'] + (0 if default['succeeded'] else 1), '==', 0)
    if limited:
        found['rate_limited_errors'] = goal(
            'gather_rate_limited', 'gather against 20 req/s (burst 20): errors other than 429, and the play fails',
            limited['errors_other_than_429'] + (0 if limited['succeeded'] else 1), '==', 0)
        found['rate_limited_ratio'] = goal(
            'gather_rate_limited', "gather against 20 req/s: wall time over the limit's own (answered requests / 20 s)",
            limited['ratio_to_limit'], '<=', 1.3, 'x')
        found['rate_limited_late_429s'] = goal(
            'gather_rate_limited', 'gather against 20 req/s: 429s after the first second ("a few")',
            limited.get('rate_limited_after_first_second'), '<=', 5)
    if recover:
        found['recover_floor'] = goal('recover', 'recover 50 x 4 (3 s + 1 s): wall time over the 4 s provisioning floor',
                                      recover['ratio_to_floor'] if recover['succeeded'] else None, '<=', 2.0, 'x')
        found['recover_speedup'] = goal('recover', 'recover 50 x 4 (3 s + 1 s): speedup over the sequential sum',
                                        recover['speedup'] if recover['succeeded'] else None, '>=', 40, 'x')
    if recover and recover_500:
        found['recover_500_scale'] = goal(
            'recover_500', 'recover 500 x 4: wall time over that of 50 x 4',
            round(recover_500['wall_seconds'] / recover['wall_seconds'], 2) if recover_500['succeeded'] else None,
            '<=', 2.0, 'x')
    if backup:
        found['backup_2000_seconds'] = goal('backup_scale', 'backup of 2000 gateways x 5: wall time',
                                            backup['wall_seconds'] if backup['succeeded'] else None, '<=', 12, 's')
        found['backup_2000_pss'] = goal('backup_scale', 'backup of 2000 gateways x 5: peak PSS of the controller',
                                        backup['peak_pss_mb'], '<', 300, 'MB')
    return found


# ----------------------------------------------------------------------------------------------- the document
def _git(*args):
    process = subprocess.run(['git', *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return process.stdout.strip() if process.returncode == 0 else None


def machine():
    """The machine the numbers were measured on."""
    with open('/proc/meminfo', encoding='utf-8') as stream:
        memory_kb = int(next(line for line in stream if line.startswith('MemTotal:')).split()[1])
    return {'cpus': os.cpu_count(), 'python': platform.python_version(), 'platform': platform.platform(),
            'processor': platform.machine(), 'memory_mb': memory_kb // 1024, 'ansible_core': ansible.__version__,
            'load_average_start': [round(load, 2) for load in os.getloadavg()]}


def document(about, run, scenarios):
    """The JSON document of a run: the scenarios' numbers with the goals they meet or miss (each scenario lists its
    goals)."""
    found = goals(scenarios)
    for goal_id, record in found.items():
        scenarios[record['scenario']].setdefault('goals', []).append(goal_id)
    return {'schema': SCHEMA, 'machine': about, 'run': run, 'scenarios': scenarios, 'goals': found,
            'goals_passed': sum(record['passed'] for record in found.values()),
            'goals_failed': [goal_id for goal_id, record in found.items() if not record['passed']]}


def main(argv=None):
    """Run the scenarios; write (and print) the JSON document."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--only', help='comma-separated scenarios to run: ' + ', '.join(SCENARIOS))
    parser.add_argument('--output', default=OUTPUT, help='where to write the document (default: %(default)s)')
    options = parser.parse_args(argv)
    names = options.only.split(',') if options.only else list(SCENARIOS)
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenarios {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    run = {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
           'git_commit': _git('rev-parse', 'HEAD'), 'git_dirty': bool(_git('status', '--porcelain', '--untracked-files=no'))}
    if options.only:
        run['only'] = names
    about = machine()
    started = time.monotonic()
    scenarios = {}
    with tempfile.TemporaryDirectory() as workdir:
        for name in names:
            print(f'bench: {name}', file=sys.stderr, flush=True)
            scenarios[name] = SCENARIOS[name](workdir)
    run['seconds'] = round(time.monotonic() - started, 1)
    about['load_average_end'] = [round(load, 2) for load in os.getloadavg()]
    result = document(about, run, scenarios)
    os.makedirs(os.path.dirname(os.path.abspath(options.output)), exist_ok=True)
    with open(options.output, 'w', encoding='utf-8') as stream:
        json.dump(result, stream, indent=2, sort_keys=True)
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
