"""`make bench`: speed, request economy and scale of gather, backup and recover against private simulators.

Prints one JSON document and writes it to bench-results/bench.json. Each scenario starts its own simulator on a
free loopback port. Numbers, never assertions: this is not a test suite.

Format (stable; add keys, never rename): {"schema": 1, "machine": {...}, "scenarios": {name: {...}}} where a
scenario has wall_seconds, requests (by method and path template), mutating, iam_tokens, peak_rss_mb (largest
process of the controller's tree) and, where there is a baseline, baseline_seconds and speedup.
"""

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

from dlsim.playbook import ansible_environment, ansible_playbook, run_tasks
from dlsim.process import Simulator

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUTPUT = os.path.join(ROOT, 'bench-results', 'bench.json')


def peak_rss_mb():
    """Largest resident set of any finished child process so far (MiB)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def measured(sim, run):
    """Run ``run()`` and return the wall time with the simulator's counters."""
    sim.reset_stats()
    started = time.monotonic()
    outcome = run()
    wall = time.monotonic() - started
    stats = sim.stats()
    return outcome, {'wall_seconds': round(wall, 2), 'requests': stats['requests'], 'mutating': stats['mutating'],
                     'iam_tokens': stats['iam_tokens'], 'direct_link_requests': stats['total'] - stats['iam_tokens'],
                     'peak_rss_mb': peak_rss_mb()}


def playbook(sim, workdir, *args):
    """Run a collection playbook; raise when it fails."""
    process = subprocess.run([ansible_playbook(), *args], cwd=workdir, env=ansible_environment(sim),
                             capture_output=True, text=True, check=False)
    if process.returncode:
        raise RuntimeError(process.stdout[-3000:] + process.stderr[-3000:])
    return process


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


def bench_gather(workdir):
    """200 gateways x 5 VCs at 50 ms per request: gateway_info versus one request at a time."""
    result = {}
    with Simulator(seed={'generate': {'gateways': 200, 'vcs': 5}}) as sim:
        sim.faults(latency_ms=50)
        for workers in (8, 16):
            tasks = [{'cloud_dr.ibm_direct_link.gateway_info': {
                'include': ['virtual_connections', 'route_filters', 'as_prepends'], 'max_concurrency': workers},
                'register': 'info'}]
            _outcome, numbers = measured(sim, lambda tasks=tasks: run_tasks(sim, tasks, workdir))
            result[f'max_concurrency_{workers}'] = numbers
        seconds_20, requests_20 = sequential_gather(sim, 20)
        model_20 = requests_20 * 0.05
        requests = result['max_concurrency_8']['direct_link_requests']
        baseline = requests * 0.05 * (seconds_20 / model_20)
        for numbers in (result['max_concurrency_8'], result['max_concurrency_16']):
            numbers['baseline_seconds'] = round(baseline, 2)
            numbers['speedup'] = round(baseline / numbers['wall_seconds'], 1)
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


def bench_recover(workdir, provision_delay, vc_delay, start_all_first=True):
    """50 gateways x 4 VCs backed up, lost, then recovered with one host per gateway (-f 50)."""
    with Simulator(seed={'generate': {'gateways': 50, 'vcs': 4}}, provision_delay=provision_delay, vc_delay=vc_delay) as sim:
        directory = os.path.join(workdir, f'recover-{provision_delay}-{start_all_first}')
        playbook(sim, workdir, 'cloud_dr.ibm_direct_link.backup', '-e', f'backup_dir={directory}')
        sim.reset()
        args = ('-i', directory, 'cloud_dr.ibm_direct_link.recover', '-f', '50', '-e', f'recover_report_dir={workdir}',
                '-e', f'recover_start_all_first={str(start_all_first).lower()}')
        _outcome, numbers = measured(sim, lambda: playbook(sim, workdir, *args))
        _again, rerun = measured(sim, lambda: playbook(sim, workdir, *args))
        numbers['rerun'] = {key: rerun[key] for key in ('wall_seconds', 'mutating', 'iam_tokens')}
        return numbers


def bench_per_task(workdir):
    """The cost of one module invocation: an empty play versus one gateway_info task."""
    with Simulator(seed='demo') as sim:
        empty = [{'ansible.builtin.meta': 'noop'}]
        one = [{'cloud_dr.ibm_direct_link.gateway_info': {'include': []}, 'register': 'info'}]
        _o, base = measured(sim, lambda: run_tasks(sim, empty, workdir))
        _o, with_module = measured(sim, lambda: run_tasks(sim, one, workdir))
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
        for name, start_all_first in (('recover', True), ('recover_one_pass', False)):
            waiting = bench_recover(workdir, 3, 1, start_all_first)
            no_wait = bench_recover(workdir, 0, 0, start_all_first)
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
