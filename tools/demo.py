"""`make demo`: the whole Direct Link disaster-recovery drill against the bundled simulator.

Seeds a realistic account, backs it up, audits its redundancy, rehearses, fails a location (its gateways stay
listed, their links down), recovers its gateways into another location, verifies, deletes the old gateways with the
decommission and prints a summary.  Every step runs the collection's real playbooks through ``ansible-playbook``;
the simulator is a separate process on a loopback port, started and stopped here by its PID.
"""

import json
import os
import shutil
import subprocess
import sys
import time

from dlsim.process import Simulator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, 'demo-output')
BACKUP_DIR = os.path.join(OUTPUT, 'backup')
PLAN_FILE = os.path.join(ROOT, 'tools', 'demo', 'dr-plan.yml')
FAILED_LOCATION = 'dal10'
DEMO_ACCOUNT = '4111d05f36894e3cb9b46a43556d9000'
DEDICATED_REPLACEMENT = 'dal10-dedicated-macsec-dr'
DECOMMISSION_FILE = os.path.join(OUTPUT, 'decommission.yml')


def banner(text):
    """Print a step heading."""
    print(f'\n=== {text}', flush=True)


def run_playbook(sim, name, *args):
    """Run ``cloud_dr.ibm_direct_link.<name>`` against the simulator; return (exit code, seconds, mutations)."""
    environment = dict(os.environ)
    environment.update({
        'IC_API_KEY': sim.api_key,
        'IBMCLOUD_DL_API_ENDPOINT': sim.api_url,
        'IBMCLOUD_IAM_API_ENDPOINT': sim.url,
        'ANSIBLE_COLLECTIONS_PATH': os.path.join(ROOT, '.venv', 'collections'),
        'ANSIBLE_CONFIG': os.path.join(ROOT, 'ansible.cfg'),
        'ANSIBLE_NOCOLOR': '1',
    })
    sim.reset_stats()
    started = time.monotonic()
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), f'cloud_dr.ibm_direct_link.{name}', *args]
    code = subprocess.call(command, cwd=ROOT, env=environment)
    return code, time.monotonic() - started, sim.stats()['mutating']


def print_account(sim, title):
    """Print the simulator's gateways as a table."""
    banner(title)
    gateways = sorted(sim.state()['gateways'], key=lambda gateway: gateway['name'])
    print(f"{'gateway':32} {'type':10} {'location':9} {'status':22} VCs")
    for gateway in gateways:
        if gateway['_account'] != DEMO_ACCOUNT:
            continue
        print(f"{gateway['name']:32} {gateway['type']:10} {gateway['location_name']:9} "
              f"{gateway['operational_status']:22} {len(gateway.get('virtual_connections', []))}")


def print_tree(directory):
    """Print the files of a backup directory with their modes."""
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(name for name in dirnames if name != '.git')
        relative = os.path.relpath(dirpath, directory)
        depth = 0 if relative == '.' else relative.count(os.sep) + 1
        print(f"{'  ' * depth}{os.path.basename(dirpath)}/  ({oct(os.stat(dirpath).st_mode & 0o777)})")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            print(f"{'  ' * (depth + 1)}{name}  ({oct(os.stat(path).st_mode & 0o777)}, {os.path.getsize(path)} bytes)")


def main():
    """Run the drill; exit non-zero if any step fails."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    os.makedirs(OUTPUT, mode=0o700)
    summary = []
    with Simulator(seed='demo', provision_delay=2, vc_delay=1) as sim:
        print(f'Direct Link simulator running at {sim.url} (pid {sim.pid})')
        print_account(sim, 'The account before the disaster')

        steps = [
            ('backup', 'Back up every gateway as Ansible host vars', ['-e', f'backup_dir={BACKUP_DIR}']),
            ('audit', 'Audit the redundancy of the backup (no credentials needed)',
             ['-e', f'backup_dir={BACKUP_DIR}', '-e', f'audit_report_dir={OUTPUT}']),
            ('rehearse', 'Rehearse the recovery in a private simulator (time to recover)',
             ['-i', BACKUP_DIR, '-e', f'@{PLAN_FILE}', '-e', f"rehearse_dir={os.path.join(OUTPUT, 'rehearsal')}"]),
        ]
        for name, title, args in steps:
            banner(title)
            code, seconds, mutations = run_playbook(sim, name, *args)
            summary.append((title, code, seconds, mutations))
            if code:
                break
        if os.path.isdir(BACKUP_DIR):
            banner(f'The backup in {os.path.relpath(BACKUP_DIR, ROOT)} (an Ansible inventory)')
            print_tree(BACKUP_DIR)

        if not any(code for _t, code, _s, _m in summary):
            banner(f'Disaster: location {FAILED_LOCATION} is down')
            print(json.dumps(sim.disaster(location=FAILED_LOCATION, mode='down')))
            recover = ['-i', BACKUP_DIR, '-e', f'@{PLAN_FILE}', '-e', f'recover_report_dir={OUTPUT}', '-f', '20']
            # The transit-mode gateway stays: its Transit Gateway connection is deleted from the transit gateway first,
            # and the decommission refuses a gateway that still has one.
            with open(DECOMMISSION_FILE, 'w', encoding='utf-8') as stream:
                stream.write(f'decommission_gateways: [{FAILED_LOCATION}-connect-primary, {FAILED_LOCATION}-dedicated-macsec]\n')
            decommission = ['-e', f'backup_dir={BACKUP_DIR}', '-e', f'@{PLAN_FILE}', '-e', f'@{DECOMMISSION_FILE}',
                            '-e', f'decommission_report_dir={OUTPUT}']
            for name, title, args in (
                ('recover', 'Recover into another location (check mode: the plan)', recover + ['--check']),
                ('recover', 'Recover into another location', recover),
                ('verify', 'Verify the live account against the backup', ['-i', BACKUP_DIR, '-e', f'@{PLAN_FILE}']),
                ('advance', 'The new cross-connect is patched: the dedicated gateway is provisioned', []),
                ('recover', 'Re-run the recovery: the dedicated gateway gets its virtual connections', recover),
                ('recover', 'Re-run the recovery: nothing left to do', recover),
                ('decommission', 'Decommission two old gateways (check mode: what would go)', decommission + ['--check']),
                ('decommission', 'Decommission two old gateways, virtual connections first',
                 decommission),
            ):
                banner(title)
                if name == 'advance':
                    print(json.dumps(sim.advance(name=DEDICATED_REPLACEMENT, to='provisioned')))
                    continue
                code, seconds, mutations = run_playbook(sim, name, *args)
                summary.append((title, code, seconds, mutations))
                if code:
                    break
            print_account(sim, 'The account after the recovery and the decommission')

    banner('Summary')
    print(f"{'step':70} {'result':7} {'seconds':>8} {'mutating requests':>18}")
    for title, code, seconds, mutations in summary:
        print(f"{title:70} {'ok' if code == 0 else 'FAILED':7} {seconds:8.1f} {mutations:18d}")
    report = os.path.join(OUTPUT, 'recovery-report.md')
    if os.path.exists(report):
        banner(f'The recovery report ({os.path.relpath(report, ROOT)})')
        with open(report, encoding='utf-8') as stream:
            print(stream.read())
    return 1 if any(code for _t, code, _s, _m in summary) else 0


if __name__ == '__main__':
    sys.exit(main())
