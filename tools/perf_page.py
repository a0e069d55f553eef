"""Write docs/performance.md from the benchmarks' document (bench-results/bench.json, written by `make bench`).

The page is generated, never typed: `make bench` runs this script after tests/perf/bench.py. Scenarios missing from
the document (a run with --only) are left out of the page.

    python tools/perf_page.py [BENCH_JSON [PAGE]]
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
DEFAULT_INPUT = os.path.join(ROOT, 'bench-results', 'bench.json')
DEFAULT_OUTPUT = os.path.join(ROOT, 'docs', 'performance.md')
TOP_TASKS = 8

Document = dict[str, Any]  # bench.json, or one part of it


def seconds(value: float | None) -> str:
    """``12.3 s``, or a dash when the value is missing."""
    return '–' if value is None else f'{value:.1f} s'


def ratio(value: float | None) -> str:
    """``12.1×``, or a dash."""
    return '–' if value is None else f'{value:.1f}×' if value >= 10 else f'{value:.2f}×'


def megabytes(value: float | None) -> str:
    """``174 MB``, or a dash."""
    return '–' if value is None else f'{value:.0f} MB'


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table."""
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(str(cell) for cell in row) + ' |' for row in rows]
    return lines + ['']


def run_line(document: Document) -> list[str]:
    """Where and when the numbers were measured."""
    machine, run = document.get('machine', {}), document.get('run', {})
    commit = (run.get('git_commit') or 'unknown')[:12] + (' with uncommitted changes' if run.get('git_dirty') else '')
    load = machine.get('load_average_start')
    return [f"Measured by `make bench` on {run.get('date', 'an unknown date')}, commit `{commit}`: "
            f"{machine.get('cpus')} CPUs ({machine.get('processor')}), {machine.get('memory_mb', 0) // 1024} GB, "
            f"Python {machine.get('python')}, ansible-core {machine.get('ansible_core')}"
            + (f"; load average {load[0]} at the start" if load else '')
            + (f"; the run took {run['seconds']:.0f} s" if 'seconds' in run else '') + '.'
            + (f" Scenarios run: {', '.join(run['only'])}." if run.get('only') else ''),
            '', 'One run: repeated runs vary by about 10 %, more when the machine is shared.', '']


def goals_section(document: Document) -> list[str]:
    """Every goal with its target, what was measured and whether it was met."""
    found = document.get('goals', {})
    if not found:
        return []
    rows = []
    for record in found.values():
        measured = '–' if record['measured'] is None else f"{record['measured']}{record['unit'] and ' ' + record['unit']}"
        rows.append([record['description'], f"{record['comparison']} {record['limit']}{record['unit'] and ' ' + record['unit']}",
                     measured, 'met' if record['passed'] else '**missed**'])
    return ['## Goals', '', f"{document.get('goals_passed', 0)} of {len(found)} met.", ''] + table(
        ['goal', 'target', 'measured', 'verdict'], rows)


def gather_section(scenarios: Document) -> list[str]:
    """gateway_info at several ceilings, the no-latency floor, and against a rate limit."""
    lines = []
    gather = scenarios.get('gather')
    if gather:
        rows = []
        for key, numbers in gather.items():
            if key.startswith('max_concurrency_') or key == 'defaults':
                label = 'defaults' if key == 'defaults' else f"`max_concurrency: {key.rsplit('_', 1)[1]}`"
                rows.append([label, seconds(numbers['wall_seconds']), numbers['direct_link_requests'],
                             numbers['failed_requests'], megabytes(numbers.get('peak_pss_mb')),
                             ratio(numbers['speedup'])])
        floor = gather.get('no_latency_floor', {})
        sequential = gather.get('sequential_20_gateways', {})
        lines += ['## Gather', '', f"`gateway_info` of 200 gateways × 5 virtual connections with route filters and AS "
                  f"prepends, 50 ms per request. Baseline: one request at a time, "
                  f"{seconds(gather['defaults']['baseline_seconds'])} (measured for 20 gateways, "
                  f"{seconds(sequential.get('wall_seconds'))} for {sequential.get('requests')} requests, and scaled). "
                  f"The default ceiling is `max_concurrency: {str(gather.get('default')).rsplit('_', 1)[-1]}`.", '']
        lines += table(['ceiling', 'wall', 'requests', 'failed', 'peak PSS', 'speedup'], rows)
        lines += [f"The same play with no latency at all takes {seconds(floor.get('wall_seconds'))}: "
                  '`ansible-playbook`, one module start (the IBM SDK imports all of its services) and the client\'s '
                  'own work per request, on the same cores as the simulator; so no ceiling can beat '
                  f"{ratio(floor.get('best_possible_speedup'))} on this machine.", '']
    limited = scenarios.get('gather_rate_limited')
    if limited:
        rate = limited['rate_limit']
        per_second = limited.get('rate_limited_per_second', [])
        lines += ['## Gather against a rate limit', '',
                  f"The same gather at the defaults against a simulator that allows {rate['rps']} requests a second "
                  f"(burst {rate['burst']}): {seconds(limited['wall_seconds'])} for {limited['answered_requests']} "
                  f"answered requests, {ratio(limited['ratio_to_limit'])} the limit's own "
                  f"{seconds(limited['limit_seconds'])}; {limited['rate_limited']} answers were 429 "
                  f"({limited.get('rate_limited_first_second')} within the first second of requests, "
                  f"{limited.get('rate_limited_after_first_second')} after), "
                  f"{limited['errors_other_than_429']} other errors. 429s per second from the first request: "
                  f"{', '.join(str(count) for count in per_second) or 'none'}.", '',
                  'How the client learns the rate: [Request rate](architecture.md#request-rate-adaptivelimiter).', '']
    return lines


def backup_section(scenarios: Document) -> list[str]:
    """Backups of 200 to 2000 gateways."""
    backup = scenarios.get('backup_scale')
    if not backup:
        return []
    rows = [[count, seconds(numbers['wall_seconds']), numbers['direct_link_requests'], numbers['iam_tokens'],
             f"{numbers['bytes_per_gateway'] / 1024:.1f} KB", megabytes(numbers.get('peak_pss_mb')),
             megabytes(numbers['peak_rss_mb']), seconds(numbers['rerun_wall_seconds']), numbers['rerun_mutating']]
            for count, numbers in sorted(backup.items(), key=lambda item: int(item[0]) if item[0].isdigit() else 0)
            if isinstance(numbers, dict)]
    return ['## Backup', '', 'The backup playbook (with the catalog snapshot) of N gateways × 5 virtual connections, '
            f"no latency; {ratio(backup['growth_200_to_2000'])} the time for 10× the gateways. A re-run of an unchanged "
            'account writes nothing.', ''] + table(
        ['gateways', 'wall', 'requests', 'IAM tokens', 'per gateway', 'peak PSS', 'peak RSS (summed)',
         're-run', 're-run mutating'], rows)


RECOVER_LABELS = {
    'recover': '50 × 4, `recover_strategy: batch` (default)',
    'recover_500': '500 × 4, batch',
    'recover_per_host': '50 × 4, `per_host`, `-f 50`, two passes',
    'recover_one_pass': '50 × 4, `per_host`, `-f 50`, one pass',
}


def recover_section(scenarios: Document) -> list[str]:
    """Recoveries: wall time against the provisioning floor and the sequential sum, and where the time goes."""
    present = [name for name in RECOVER_LABELS if name in scenarios]
    if not present:
        return []
    rows = [[RECOVER_LABELS[name], seconds(numbers['wall_seconds']), ratio(numbers['ratio_to_floor']),
             ratio(numbers['speedup']), numbers['mutating'], numbers['iam_tokens'], megabytes(numbers.get('peak_pss_mb')),
             seconds(numbers['ansible_and_api_seconds_without_provisioning_delays']),
             seconds(numbers['rerun']['wall_seconds'])]
            for name, numbers in ((name, scenarios[name]) for name in present)]
    lines = ['## Recover', '', 'The recover playbook after the loss of every gateway, each with 4 virtual connections; '
             'the simulator provisions a gateway in 3 s and a virtual connection in 1 s, so no recovery can take less '
             'than 4 s (the floor); the baseline is the sequential sum (3 s + 4 × 1 s per gateway). The time above the '
             'floor is Ansible\'s: the role\'s module runs (plan, create, verify, report) and `ansible-playbook` '
             'itself, which the same recovery with no provisioning delays measures.', '']
    lines += table(['recovery', 'wall', 'over the floor', 'speedup', 'mutating', 'IAM tokens', 'peak PSS',
                    'without provisioning delays', 're-run'], rows)
    for name in present:
        tasks = scenarios[name].get('task_seconds') or {}
        if tasks:
            top = sorted(tasks.items(), key=lambda item: -item[1])[:TOP_TASKS]  # the JSON's keys are sorted by name
            lines += [f"Where the time of {RECOVER_LABELS[name]} goes (longest tasks):", '']
            lines += table(['task', 'seconds'], [[f'`{task}`', f'{value:.2f}'] for task, value in top])
    return lines


def render(document: Document) -> str:
    """The whole page."""
    scenarios = document.get('scenarios', {})
    lines = ['# Performance', '',
             '<!-- Generated by tools/perf_page.py from bench-results/bench.json (make bench); do not edit. -->', '']
    lines += run_line(document)
    lines += goals_section(document)
    lines += gather_section(scenarios)
    lines += backup_section(scenarios)
    lines += recover_section(scenarios)
    per_task = scenarios.get('per_task')
    if per_task:
        lines += ['## One module run', '', f"An empty play takes {seconds(per_task['empty_play_seconds'])}; one "
                  f"`gateway_info` task adds {seconds(per_task['module_invocation_seconds'])}.", '']
    lines += ['## The numbers', '', '`bench-results/bench.json` holds every number (its format is described at the top '
              'of `tests/perf/bench.py`: keys are added, never renamed). Peak memory is the controller\'s process '
              'tree (ansible-playbook, its forks and modules; not the simulator) sampled every 100 ms: PSS divides '
              'the pages that forks share among them, RSS counts them once per process.', '']
    return '\n'.join(lines).rstrip('\n') + '\n'


def main(argv: list[str]) -> int:
    """Read the document, write the page."""
    source = argv[1] if len(argv) > 1 else DEFAULT_INPUT
    target = argv[2] if len(argv) > 2 else DEFAULT_OUTPUT
    with open(source, encoding='utf-8') as stream:
        document = json.load(stream)
    with open(target, 'w', encoding='utf-8') as stream:
        stream.write(render(document))
    print(f'wrote {target}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
