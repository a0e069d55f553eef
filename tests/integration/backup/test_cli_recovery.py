"""Backups made with IBM's CLI procedure are first-class: imported, rehearsed, recovered and verified through the
simulator, with what the CLI cannot carry named and filled by the plan; each virtual connection's status at backup
time is kept, and the inactive ones are not resurrected."""

import codecs
import json
import os
import uuid

import yaml

from dlsim.seeds import DEFAULT_ACCOUNT, key_crn
from drill import DAL10, backup, recover, write_plan
from playbook_runner import run_playbook

MANIFEST = os.path.join('group_vars', 'all', 'direct_link_manifest.yml')
MACSEC_GATEWAY = 'dal10-dedicated-macsec'
CAKS = [{'name': 'a1', 'key': key_crn('macsec-cak-primary'), 'session': 'primary'},
        {'name': 'b2', 'key': key_crn('macsec-cak-fallback'), 'session': 'fallback'}]


def give_vcs_statuses(sim, statuses, retired=None):
    """Set virtual connection statuses (by gateway and VC name) through the simulator's seed; ``retired`` adds a
    classic VC of that name in status ``deleting`` to dal10-connect-primary."""
    state = sim.state()
    for gateway in state['gateways']:
        for vc in gateway.get('virtual_connections') or []:
            vc['status'] = statuses.get((gateway['name'], vc['name']), vc['status'])
        if retired and gateway['name'] == 'dal10-connect-primary':
            gateway['virtual_connections'].append({'id': str(uuid.uuid4()), 'name': retired, 'type': 'classic',
                                                   'status': 'deleting', 'created_at': gateway['created_at']})
    sim.seed_with(state)


def write_cli_export(dl, directory, without_vcs_of):
    """An export as a Windows shell saves it: gateways.json from PowerShell (UTF-16 with BOM, the CLI's OK line, the
    {"gateways": [...]} wrapper, MACsec as the CLI shows it, without CAKs), VC files with a UTF-8 BOM; the VC file of
    one gateway forgotten."""
    directory.mkdir()
    listed = dl.list_gateways().get_result()['gateways']
    for gateway in listed:
        if gateway.get('macsec'):
            gateway['macsec'].update(sak_rekey={'mode': 'timer', 'interval': 3600}, window_size=512)
    text = 'OK\n' + json.dumps({'gateways': listed}, indent=2) + '\n'
    (directory / 'gateways.json').write_bytes(codecs.BOM_UTF16_LE + text.encode('utf-16-le'))
    for gateway in listed:
        if gateway.get('cross_account') or gateway['name'] == without_vcs_of:
            continue
        vcs = dl.list_gateway_virtual_connections(gateway['id']).get_result()['virtual_connections']
        (directory / f"virtual-connections-{gateway['id']}.json").write_bytes(codecs.BOM_UTF8 + json.dumps(vcs).encode())


def section(backup_dir, host):
    with open(backup_dir / 'host_vars' / host / 'direct_link.yml', encoding='utf-8') as stream:
        return yaml.safe_load(stream)['direct_link_backup']


def vc_statuses(backed_up):
    return {vc['name']: vc['read_only']['status'] for vc in backed_up['gateway']['virtual_connections']}


def forget_the_account(backup_dir):
    """Make the backup look like one imported before the import recorded the account."""
    path = backup_dir / MANIFEST
    document = yaml.safe_load(path.read_text())
    del document['direct_link_backup_manifest']['source']['account_id']
    path.write_text(yaml.safe_dump(document))


def rehearse(sim, workdir, backup_dir, plan):
    return run_playbook(sim, 'cloud_dr.ibm_direct_link.rehearse', workdir,
                        ['-i', str(backup_dir), '-e', f'@{plan}', '-e', f'rehearse_dir={workdir}/rehearsal'])


def test_an_imported_backup_is_rehearsed_recovered_and_verified_with_its_gaps_filled_or_accepted(sim, dl, tmp_path):
    give_vcs_statuses(sim, {('dal10-connect-primary', 'vc-classic'): 'detached_by_network'}, retired='vc-retired')
    export, backup_dir = tmp_path / 'cli', tmp_path / 'backup'
    write_cli_export(dl, export, without_vcs_of='wdc04-connect-backup')

    imported = backup(sim, tmp_path, backup_dir, '-e', f'backup_import_cli_dir={export}')
    assert imported.rc == 0, imported.output
    manifest = yaml.safe_load((backup_dir / MANIFEST).read_text())['direct_link_backup_manifest']
    assert manifest['source'] == {'account_id': DEFAULT_ACCOUNT, 'imported_from': 'ibmcloud CLI export'}
    macsec = section(backup_dir, 'dal10_dedicated_macsec')
    assert macsec['gateway']['macsec'] == {'active': True, 'security_policy': 'must_secure', 'window_size': 512,
                                           'sak_rekey': {'mode': 'timer', 'interval': 3600}}
    assert [entry['field'] for entry in macsec['missing']] == ['macsec', 'route_filters']
    assert [entry['field'] for entry in section(backup_dir, 'wdc04_connect_backup')['missing']] == [
        'route_filters', 'virtual_connections']
    assert vc_statuses(section(backup_dir, 'dal10_connect_primary')) == {
        'vc-app-vpc': 'attached', 'vc-classic': 'detached_by_network', 'vc-retired': 'deleting'}
    forget_the_account(backup_dir)

    sim.reset_stats()
    unresolved = recover(sim, tmp_path, backup_dir, '--check')
    assert unresolved.rc != 0 and sim.stats()['mutating'] == 0, unresolved.output
    assert 'macsec is not in the backup (MACsec was active (must_secure)' in unresolved.output
    assert f'recover_macsec: {{{MACSEC_GATEWAY}: {{caks: [{{name, key, session}}]}}}}' in unresolved.output
    assert 'decide to recover without it: recover_accept_missing: [route_filters]' in unresolved.output
    assert 'Traceback' not in unresolved.output

    rehearsed = rehearse(sim, tmp_path, backup_dir, write_plan(
        tmp_path, recover_macsec={MACSEC_GATEWAY: {'caks': CAKS}}, recover_accept_missing=['route_filters']))
    assert rehearsed.rc == 0, rehearsed.output
    assert sim.stats()['mutating'] == 0
    rehearsal = (tmp_path / 'rehearsal' / 'rehearsal-report.md').read_text()
    for name in DAL10:
        assert f'| {name} → {name}-dr |' in rehearsal
    assert 'blocked' not in rehearsal
    assert '- Not recreated: virtual connection vc-classic, it was detached_by_network at backup time' in rehearsal
    assert '- Not recreated: virtual connection vc-retired, it was deleting at backup time' in rehearsal
    assert '- MACsec settings (CAKs) taken from recover_macsec.' in rehearsal

    sim.disaster(location='dal10', mode='lost')
    recovered = recover(sim, tmp_path, backup_dir, plan=write_plan(tmp_path, recover_accept_missing=['macsec', 'route_filters']))
    assert recovered.rc == 0, recovered.output  # the role's verification found no drift
    assert 'dal10-connect-primary-dr: Not recreated: virtual connection vc-classic' in recovered.stdout
    assert [vc['name'] for vc in sim.gateway('dal10-connect-primary-dr')['virtual_connections']] == ['vc-app-vpc']
    assert not sim.gateway(f'{MACSEC_GATEWAY}-dr').get('macsec_config')
    report = (tmp_path / 'recovery-report.md').read_text()
    assert 'the gateway was recovered WITHOUT MACsec by decision (recover_accept_missing)' in report
    assert f'- **{MACSEC_GATEWAY}-dr**: Recovered without macsec: MACsec was active (must_secure) at export time' in report
    assert 'vc-retired, it was deleting at backup time (recover_inactive_vcs: recreate includes it)' in report


def test_an_api_backup_keeps_each_vc_status_and_the_recovery_skips_the_inactive_ones(sim, tmp_path):
    give_vcs_statuses(sim, {('dal10-connect-primary', 'vc-classic'): 'expired',
                            (MACSEC_GATEWAY, 'vc-data-vpc'): 'detached_by_network_pending'})
    backup_dir = tmp_path / 'backup'
    assert backup(sim, tmp_path, backup_dir).rc == 0
    assert vc_statuses(section(backup_dir, 'dal10_connect_primary')) == {'vc-app-vpc': 'attached', 'vc-classic': 'expired'}
    assert vc_statuses(section(backup_dir, 'dal10_dedicated_macsec')) == {
        'vc-data-vpc': 'detached_by_network_pending', 'vc-partner-vpc': 'approval_pending'}
    assert 'missing' not in section(backup_dir, 'dal10_dedicated_macsec')

    sim.disaster(location='dal10', mode='lost')
    sim.reset_stats()
    planned = recover(sim, tmp_path, backup_dir, '--check')
    assert planned.rc == 0, planned.output
    assert sim.stats()['mutating'] == 0
    assert 'dal10-connect-primary-dr: Not recreated: virtual connection vc-classic, it was expired at backup time' in planned.stdout
    assert (f'{MACSEC_GATEWAY}-dr: Not recreated: virtual connection vc-data-vpc, it was detached_by_network_pending at '
            'backup time') in planned.stdout
