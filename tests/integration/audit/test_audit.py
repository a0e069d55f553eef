"""The redundancy audit playbook: an account with a protected path at every diversity level, and the demo account
read from its backup without credentials."""

import json

import pytest

from dlsim.catalog import default_catalog, port_id
from dlsim.iam import DEFAULT_ACCOUNT
from dlsim.process import Simulator
from dlsim.seeds import vpc_crn
from drill import report_document
from playbook_runner import run_playbook

US_SOUTH, US_EAST = vpc_crn('app', 'us-south'), vpc_crn('app-east', 'us-east')
BACKUP_PREPENDS = [{'length': 3, 'policy': 'export'}, {'length': 3, 'policy': 'import'}]
# Endpoints nothing listens on: a run that needs no API access must not notice them.
NO_API = {'IC_API_KEY': '', 'IBMCLOUD_DL_API_ENDPOINT': 'http://127.0.0.1:9/v1', 'IBMCLOUD_IAM_API_ENDPOINT': 'http://127.0.0.1:9'}


def dedicated(name, asn, location, router, **extra):
    return dict({'name': name, 'type': 'dedicated', 'speed_mbps': 1000, 'global': True, 'metered': False, 'bgp_asn': asn,
                 'location_name': location, 'cross_connect_router': router, 'carrier_name': 'Lumen',
                 'customer_name': 'Example Corp'}, **extra)


def connect(name, asn, location, provider, side='PRI', **extra):
    return dict({'name': name, 'type': 'connect', 'speed_mbps': 1000, 'global': True, 'metered': False, 'bgp_asn': asn,
                 'port': {'id': port_id(location, provider, side)}}, **extra)


def vcs(*networks):
    return [{'name': 'vc-classic', 'type': 'classic'} if network == 'classic' else
            {'name': f'vc-{index}', 'type': 'vpc', 'network_id': network} for index, network in enumerate(networks)]


# One protected path per diversity level (each its own ASN), created through the simulator's validated create path.
ACCOUNT = [
    (dedicated('wdc-single', 65001, 'wdc04', 'xcr02.wdc04'), vcs(US_EAST)),
    (dedicated('dal-xcr-a', 65002, 'dal10', 'xcr02.dal10'), vcs(US_SOUTH)),
    (dedicated('dal-xcr-b', 65002, 'dal10', 'xcr02.dal10', as_prepends=BACKUP_PREPENDS), vcs(US_SOUTH)),
    (dedicated('dal-pop-a', 65003, 'dal10', 'xcr01.dal10'), vcs(US_SOUTH)),
    (dedicated('dal-pop-b', 65003, 'dal10', 'xcr02.dal10', as_prepends=BACKUP_PREPENDS), vcs(US_SOUTH)),
    (connect('dallas-a', 65004, 'dal10', 'EQUINIX'), vcs(US_SOUTH)),
    (connect('dallas-b', 65004, 'dal12', 'MEGAPORT', as_prepends=BACKUP_PREPENDS), vcs(US_SOUTH)),
    # Separate markets, but the standby is slower, has local routing, no BFD and no classic connection.
    (connect('markets-primary', 65005, 'dal10', 'EQUINIX', 'SEC', bfd_config={'interval': 300, 'multiplier': 3}),
     vcs(US_SOUTH, 'classic')),
    (connect('markets-standby', 65005, 'wdc04', 'MEGAPORT', speed_mbps=500, as_prepends=BACKUP_PREPENDS,
             **{'global': False}), vcs(US_SOUTH)),
]
LEVELS = {'AS65001/wdc-single': 'single_gateway', 'AS65002/dal-xcr-a': 'same_xcr', 'AS65003/dal-pop-a': 'separate_xcrs_same_pop',
          'AS65004/dallas-a': 'separate_pops_same_market', 'AS65005/markets-primary': 'separate_markets'}


@pytest.fixture
def levels_sim():
    """A simulator whose account has a protected path at every diversity level."""
    spec = {'replica': {'account_id': DEFAULT_ACCOUNT, 'catalog': default_catalog(),
                        'gateways': [{'template': template, 'virtual_connections': vc_list} for template, vc_list in ACCOUNT]}}
    with Simulator(seed=spec) as sim:
        yield sim


def audit(sim, workdir, *args, env=None):
    return run_playbook(sim, 'cloud_dr.ibm_direct_link.audit', workdir, list(args),
                        env=dict({'ANSIBLE_SHOW_CUSTOM_STATS': 'true'}, **(env or {})))


def published(result):
    """What the run published with set_stats (ANSIBLE_SHOW_CUSTOM_STATS prints it as one JSON line after the recap)."""
    line = next(line for line in result.stdout.splitlines() if line.strip().startswith('RUN: '))
    return json.loads(line.strip()[len('RUN: '):])['cloud_dr_audit']


def by_id(report):
    return {path['id']: path for path in report['paths']}


def first(path, severity, check):
    return next(finding for finding in path['findings'] if (finding['severity'], finding['check']) == (severity, check))


def test_every_diversity_level_is_found_with_its_fix_and_nothing_is_changed(levels_sim, tmp_path):
    levels_sim.reset_stats()
    result = audit(levels_sim, tmp_path, '-e', f'audit_report_dir={tmp_path}/audit', '--diff')
    assert result.rc == 0, result.output
    assert '+# Direct Link redundancy audit' in result.stdout  # the diff of the new Markdown report
    assert levels_sim.stats()['mutating'] == 0
    report = report_document(tmp_path / 'audit' / 'audit-report.json')
    paths = by_id(report)
    assert {key: path['level'] for key, path in paths.items()} == LEVELS
    assert first(paths['AS65001/wdc-single'], 'spof', 'placement')['fix'] == (
        'order a second gateway on xcr01.wdc04, or better add a standby in dal10 on xcr01.dal10 (the Dallas market), '
        'with global routing')
    assert first(paths['AS65002/dal-xcr-a'], 'spof', 'placement')['fix'] == (
        'order a second gateway on xcr01.dal10, or better add a standby in dal12 on xcr01.dal12 (another PoP of the '
        'Dallas market)')
    assert first(paths['AS65003/dal-pop-a'], 'warning', 'placement')['fix'] == (
        'add a standby in dal12 on xcr01.dal12 (another PoP of the Dallas market)')
    dallas = paths['AS65004/dallas-a']
    assert first(dallas, 'warning', 'placement')['fix'] == (
        'add a standby in wdc04 (the Washington DC market), with global routing')
    assert dallas['preferred'] == {'to_ibm': ['dallas-a'], 'from_ibm': ['dallas-a']} and not dallas['ecmp']
    markets = paths['AS65005/markets-primary']
    assert {(finding['severity'], finding['check']) for finding in markets['findings']} == {
        ('spof', 'networks'), ('gap', 'speed'), ('gap', 'bfd'), ('gap', 'global_routing')}
    assert first(markets, 'spof', 'networks')['message'] == (
        'the classic infrastructure is reached only through markets-primary')
    assert report['status'] == 'spof' and report['source']['catalog'] == 'live'
    assert report['source']['account_id'] == DEFAULT_ACCOUNT
    markdown = (tmp_path / 'audit' / 'audit-report.md').read_text()
    assert '**3 single point(s) of failure**' in markdown
    stats = published(result)
    assert (stats['status'], stats['findings'], stats['report_json']) == ('spof', report['summary']['findings'],
                                                                          str(tmp_path / 'audit' / 'audit-report.json'))
    assert [spof['path'] for spof in stats['single_points_of_failure']] == [
        'AS65001/wdc-single', 'AS65002/dal-xcr-a', 'AS65005/markets-primary']
    # The same account gives the same report: nothing to rewrite.
    again = audit(levels_sim, tmp_path, '-e', f'audit_report_dir={tmp_path}/audit')
    assert again.rc == 0 and again.changed_hosts() == [], again.output
    assert levels_sim.stats()['mutating'] == 0


DEMO_SPOFS = {
    'AS64996/wdc04-connect-backup': "order a second gateway on MEGAPORT's port MEG-WDC04-CX-PRI-01 at wdc04, or better add "
                                    'a standby in dal10 (the Dallas market), with global routing',
    'AS64997/dal10-dedicated-macsec': 'add a standby in dal12 on xcr01.dal12 (another PoP of the Dallas market)',
    'AS64998/dal10-connect-transit': "order a second gateway on EQUINIX's port EQU-DAL10-CX-PRI-01 at dal10, or better add a "
                                     'standby in dal12 (another PoP of the Dallas market)',
    'AS64999/dal10-connect-primary': "order a second gateway on MEGAPORT's port MEG-DAL10-CX-PRI-01 at dal10, or better add a "
                                     'standby in dal12 (another PoP of the Dallas market)',
    'AS4200000001/fra02-dedicated': 'order a second gateway on xcr01.fra02, or better add a standby in lon06 (the London '
                                    'market; connect only), with global routing',
}


def test_the_demo_backup_names_its_single_points_of_failure_without_credentials(sim, tmp_path, backup_dir):
    sim.reset_stats()
    # A relative backup directory is the working directory's (the report goes beside it), not the playbook's.
    result = audit(None, tmp_path, '-e', f'backup_dir={backup_dir.relative_to(tmp_path)}', '-e', 'audit_fail_on=spof',
                   env=NO_API)
    assert result.rc == 2, result.output
    assert '5 finding(s) at or above spof' in result.stdout
    assert sim.stats()['total'] == 0
    report = report_document(tmp_path / 'audit-report.json')  # beside the backup directory
    assert report['source'] == {'kind': 'backup', 'backup_dir': str(backup_dir), 'account_id': DEFAULT_ACCOUNT,
                                'catalog': 'snapshot'}
    assert {key: path['level'] for key, path in by_id(report).items()} == dict.fromkeys(DEMO_SPOFS, 'single_gateway')
    assert {key: first(path, 'spof', 'placement')['fix'] for key, path in by_id(report).items()} == DEMO_SPOFS
    # The partner's VPC waits for approval: it is the gateway's network, not yet one it reaches.
    macsec = by_id(report)['AS64997/dal10-dedicated-macsec']['gateways'][0]
    assert list(macsec['waiting_networks'].values()) == ['approval_pending'] and len(macsec['networks']) == 1

    # The same backup as the inventory, in check mode: rated the same, nothing written.
    check = audit(None, tmp_path, '-i', str(backup_dir), '--check', '-e', f'audit_report_dir={tmp_path}/check', env=NO_API)
    assert check.rc == 0, check.output
    assert not (tmp_path / 'check').exists() and 'Report: not written (check mode)' in check.stdout
    assert {spof['path']: spof['fix'] for spof in published(check)['single_points_of_failure']} == DEMO_SPOFS
