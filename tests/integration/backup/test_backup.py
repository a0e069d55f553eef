"""The backup playbook against the simulator: determinism, privacy, interruption, CLI import."""

import json
import os
import signal
import subprocess
import time

import yaml

from drill import backup, tree_digest
from playbook_runner import ansible_environment, ansible_playbook

CANARY = 'canary-api-key-5d2e81'


def process_tree(root_pid):
    """The PIDs of a process and all its descendants (Ansible's workers start sessions of their own)."""
    children = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/stat', encoding='utf-8') as stream:
                    parent = int(stream.read().rsplit(')', 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, pending = [], [root_pid]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += children.get(pid, [])
    return found


def test_deterministic_private_and_idempotent_even_with_a_permissive_umask(sim, tmp_path):
    directory = tmp_path / 'backup'
    old_umask = os.umask(0)
    try:
        first = backup(sim, tmp_path, directory)
        digest = tree_digest(directory)
        second = backup(sim, tmp_path, directory)
    finally:
        os.umask(old_umask)
    assert first.rc == 0 and second.rc == 0, first.output + second.output
    assert first.changed_hosts() == ['localhost'] and second.recap() and second.changed_hosts() == []
    assert tree_digest(directory) == digest
    assert {mode for _sha, mode in digest.values()} == {'0o600'}
    for dirpath, _dirs, _files in os.walk(directory):
        assert oct(os.stat(dirpath).st_mode & 0o777) == '0o700', dirpath


def test_the_api_key_is_in_no_file_and_no_output(sim, tmp_path):
    sim.stop()
    sim.options['api_key'] = [f'{CANARY}:4111d05f36894e3cb9b46a43556d9000']
    sim.api_key = CANARY
    sim.start()
    directory = tmp_path / 'backup'
    result = backup(sim, tmp_path, directory, '-vvv')
    assert result.rc == 0, result.output
    assert CANARY not in result.output
    for dirpath, _dirs, names in os.walk(directory):
        for name in names:
            with open(os.path.join(dirpath, name), encoding='utf-8') as stream:
                assert CANARY not in stream.read()


def test_inventory_lists_every_gateway_with_its_backup(sim, tmp_path):
    directory = tmp_path / 'backup'
    assert backup(sim, tmp_path, directory).rc == 0
    listing = subprocess.run([os.path.join(os.path.dirname(ansible_playbook()), 'ansible-inventory'), '-i', str(directory),
                              '--list'], env=ansible_environment(), capture_output=True, text=True, check=True)
    hostvars = json.loads(listing.stdout)['_meta']['hostvars']
    assert 'WARNING' not in listing.stderr, listing.stderr
    names = sorted(host['direct_link_backup']['gateway']['name'] for host in hostvars.values())
    assert names == ['dal10-connect-primary', 'dal10-connect-transit', 'dal10-dedicated-macsec', 'fra02-dedicated',
                     'wdc04-connect-backup']
    manifest = next(iter(hostvars.values()))['direct_link_backup_manifest']
    assert manifest['schema_version'] == 1 and manifest['source']['account_id'] == '4111d05f36894e3cb9b46a43556d9000'


def test_interrupted_backup_leaves_the_previous_one_intact(sim, tmp_path):
    sim.seed_with({'generate': {'gateways': 1500, 'vcs': 5}})
    directory = tmp_path / 'backup'
    assert backup(sim, tmp_path, directory).rc == 0
    before = tree_digest(directory)
    state = sim.state()
    for gateway in state['gateways']:
        gateway['speed_mbps'] = 2000
    sim.seed_with(state)
    process = subprocess.Popen([ansible_playbook(), 'cloud_dr.ibm_direct_link.backup', '-e', f'backup_dir={directory}'],
                               cwd=tmp_path, env=ansible_environment(sim), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    staged = False
    while not staged and process.poll() is None and time.monotonic() < deadline:
        for entry in os.scandir(directory / 'host_vars' / 'gw_00000'):
            staged = staged or entry.name.endswith('.tmp')
    for pid in process_tree(process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    assert staged, 'the backup finished before it could be interrupted'
    after = {path: value for path, value in tree_digest(directory).items() if not path.endswith('.tmp')}
    assert after == before
    assert backup(sim, tmp_path, directory).rc == 0
    assert not [path for path in tree_digest(directory) if path.endswith('.tmp')]


def test_backup_from_an_ibm_cloud_cli_export(sim, dl, tmp_path):
    export = tmp_path / 'cli'
    export.mkdir()
    gateways = dl.list_gateways().get_result()['gateways']
    (export / 'gateways.json').write_text(json.dumps(gateways))
    for gateway in gateways:
        if not gateway.get('cross_account'):
            vcs = dl.list_gateway_virtual_connections(gateway['id']).get_result()['virtual_connections']
            (export / f"virtual-connections-{gateway['id']}.json").write_text(json.dumps(vcs))
    from_cli, from_api = tmp_path / 'from-cli', tmp_path / 'from-api'
    sim.reset_stats()
    assert backup(sim, tmp_path, from_cli, '-e', f'backup_import_cli_dir={export}').rc == 0
    assert sim.stats()['total'] == 0
    assert backup(sim, tmp_path, from_api).rc == 0
    for host in os.listdir(from_api / 'host_vars'):
        api_side = yaml.safe_load((from_api / 'host_vars' / host / 'direct_link.yml').read_text())['direct_link_backup']
        cli_side = yaml.safe_load((from_cli / 'host_vars' / host / 'direct_link.yml').read_text())['direct_link_backup']
        # A CLI export holds neither route filters nor Transit Gateway connections (IBM's procedure saves only the
        # gateways and their virtual connections); a recovery of a transit-mode gateway leaves the connection a step.
        for kind in ('export_route_filters', 'import_route_filters', 'transit_connections'):
            api_side['gateway'].pop(kind, None)
        api_macsec, cli_macsec = api_side['gateway'].pop('macsec', None), cli_side['gateway'].pop('macsec', None)
        assert cli_side['gateway'] == api_side['gateway']
        assert cli_macsec == ({key: api_macsec[key] for key in ('active', 'security_policy')} if api_macsec else None)
        assert [entry['field'] for entry in cli_side['missing']] == ['macsec', 'route_filters'] if api_macsec else ['route_filters']


def test_bad_cli_export_names_the_file(sim, tmp_path):
    export = tmp_path / 'cli'
    export.mkdir()
    (export / 'gateways.json').write_text('{"gateways": [')
    result = backup(sim, tmp_path, tmp_path / 'b', '-e', f'backup_import_cli_dir={export}')
    assert result.rc != 0 and f'{export}/gateways.json is not valid JSON' in result.output
    assert not (tmp_path / 'b').exists()
