"""States the account reaches through other parties and the service (an expired, a rejected and a detached virtual
connection; a failed MACsec key, a BGP session in active, a provider's pending change request), backed up, recovered
and verified: the backup keeps each VC's status and the configuration, the recovery skips the inactive VCs and
recreates the rest as configured, the report names the change request, and verify counts none of it as drift."""


import yaml

from dlsim.catalog import port_id
from dlsim.seeds import PARTNER_ACCOUNT, PARTNER_API_KEY, vpc_crn
from dlsim.state import APPROVAL_WINDOW
from drill import DAL10, backup, recover, verify, write_plan
from sdk_calls import gateway_id, wait_for

PRIMARY = 'dal10-connect-primary'
MACSEC_GATEWAY = 'dal10-dedicated-macsec'
PROVIDER_GATEWAY = 'dal10-provider'


def reach_the_states(sim, dl):
    """Through the simulator's flows: the partner rejects one request and lets another expire, the owner of
    vc-app-vpc's network deletes it, a MACsec key fails, BGP falls to active, a provider asks for a speed change."""
    primary = gateway_id(dl, PRIMARY)
    refused = dl.create_gateway_virtual_connection(primary, 'vc-refused', 'vpc',
                                                   network_id=vpc_crn('refused', 'us-south', PARTNER_ACCOUNT)).get_result()
    sim.client(api_key=PARTNER_API_KEY).update_gateway_virtual_connection(primary, refused['id'], {'status': 'rejected'})
    dl.create_gateway_virtual_connection(primary, 'vc-unanswered', 'vpc', network_id=vpc_crn('unanswered', 'us-south', PARTNER_ACCOUNT))
    sim.event('network_deleted', network_id=vpc_crn('app', 'us-south'))
    sim.advance(seconds=APPROVAL_WINDOW)
    sim.observe(name=MACSEC_GATEWAY, cak={'name': '1000', 'status': 'failed'}, bgp_status='active')
    provider = sim.event('provider_create', gateway={'name': PROVIDER_GATEWAY, 'speed_mbps': 1000, 'global': True, 'metered': False,
                                                     'bgp_asn': 64970, 'port': {'id': port_id('dal10', 'EQUINIX', 'PRI')}})
    dl.create_gateway_action(provider['id'], action='create_gateway_approve')
    wait_for(lambda: dl.get_gateway(provider['id']).get_result(), lambda g: g['operational_status'] == 'provisioned')
    sim.event('provider_update', name=PROVIDER_GATEWAY, updates=[{'speed_mbps': 2000}])


def section(backup_dir, host):
    with open(backup_dir / 'host_vars' / host / 'direct_link.yml', encoding='utf-8') as stream:
        return yaml.safe_load(stream)['direct_link_backup']


def test_reported_states_are_backed_up_skipped_or_recovered_as_configured_and_never_drift(sim, dl, tmp_path):
    reach_the_states(sim, dl)
    backup_dir = tmp_path / 'backup'
    assert backup(sim, tmp_path, backup_dir).rc == 0
    primary = section(backup_dir, 'dal10_connect_primary')
    assert {vc['name']: vc['read_only']['status'] for vc in primary['gateway']['virtual_connections']} == {
        'vc-app-vpc': 'detached_by_network', 'vc-classic': 'attached', 'vc-refused': 'rejected', 'vc-unanswered': 'expired'}
    macsec = section(backup_dir, 'dal10_dedicated_macsec')['gateway']
    assert macsec['macsec']['active'] and [cak['name'] for cak in macsec['macsec']['caks']] == ['1000', '2000']
    assert section(backup_dir, 'dal10_provider')['source']['change_request'] == {
        'type': 'update_attributes', 'updates': [{'speed_mbps': 2000}]}

    sim.disaster(location='dal10', mode='lost')
    plan = write_plan(tmp_path, recover_limit=DAL10 + [PROVIDER_GATEWAY])
    recovered = recover(sim, tmp_path, backup_dir, plan=plan)
    assert recovered.rc == 0, recovered.output
    assert sorted(vc['name'] for vc in sim.gateway(f'{PRIMARY}-dr')['virtual_connections']) == ['vc-classic']
    replacement = sim.gateway(f'{MACSEC_GATEWAY}-dr')
    assert replacement['macsec_config']['active'] and replacement['macsec_config']['status'] != 'failed'
    assert sorted(cak['name'] for cak in replacement['macsec_caks']) == ['1000', '2000']
    assert sim.gateway(f'{PROVIDER_GATEWAY}-dr')['speed_mbps'] == 1000
    report = (tmp_path / 'recovery-report.md').read_text()
    for name, status in (('vc-app-vpc', 'detached_by_network'), ('vc-refused', 'rejected'), ('vc-unanswered', 'expired')):
        assert f'Not recreated: virtual connection {name}, it was {status} at backup time' in report
    assert (f"- **{PROVIDER_GATEWAY}-dr**: Not carried over: the provider's update_attributes change request (speed_mbps 2000), "
            'pending at backup time') in report

    verified = verify(sim, tmp_path, backup_dir, '-v', plan=plan)
    assert verified.rc == 0, verified.output
    assert 'virtual connection vc-unanswered (not recreated: it was expired at backup time' in verified.output
