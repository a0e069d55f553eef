"""The gateway and virtual_connection modules through ansible-playbook against the simulator."""

import pytest

from dlsim.catalog import port_id
from dlsim.seeds import key_crn, vpc_crn
from playbook_runner import run_tasks

CONNECT = {
    'name': 'it-connect', 'type': 'connect', 'port': port_id('dal12', 'EQUINIX', 'PRI'), 'speed_mbps': 1000,
    'global': True, 'bgp_asn': 64999, 'bgp_cer_cidr': '169.254.99.2/30', 'bgp_ibm_cidr': '169.254.99.1/30',
    'bfd_config': {'interval': 2000, 'multiplier': 5}, 'authentication_key': key_crn('it-md5'),
    'default_export_route_filter': 'deny',
    'export_route_filters': [{'action': 'permit', 'prefix': '10.10.0.0/16', 'ge': 17, 'le': 24},
                             {'action': 'deny', 'prefix': '10.0.0.0/8'}],
    'import_route_filters': [{'action': 'permit', 'prefix': '172.16.0.0/12'}],
    'as_prepends': [{'length': 3, 'policy': 'export', 'specific_prefixes': ['10.10.0.0/16']}],
    'virtual_connections': [{'name': 'vc-vpc', 'type': 'vpc', 'network_id': vpc_crn('it', 'us-south')},
                            {'name': 'vc-classic', 'type': 'classic'}],
}
DEDICATED = {
    'name': 'it-dedicated', 'type': 'dedicated', 'location_name': 'dal12', 'cross_connect_router': 'xcr01.dal12',
    'carrier_name': 'Lumen', 'customer_name': 'Example', 'speed_mbps': 10000, 'bgp_asn': 64998, 'vlan': 300,
    'macsec_capability': 'macsec',
    'macsec': {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
               'window_size': 512, 'caks': [{'name': 'AB', 'key': key_crn('it-cak'), 'session': 'primary'}]},
}


def gateway_task(options, register='result', **task):
    return dict({'cloud_dr.ibm_direct_link.gateway': options, 'register': register}, **task)


def four_steps(sim, tmp_path, options):
    """Check-mode run, real run, check-mode re-run, re-run: returns the four results and mutation counts."""
    results, mutations = [], []
    for args in (['--check', '--diff'], ['--diff'], ['--check'], []):
        sim.reset_stats()
        outcome = run_tasks(sim, [gateway_task(options)], tmp_path, args=args)
        assert outcome.rc == 0, outcome.output
        results.append(outcome['result'])
        mutations.append(sim.stats()['mutating'])
    return results, mutations


@pytest.mark.parametrize('options', [CONNECT, DEDICATED], ids=['connect', 'dedicated'])
def test_four_step_rhythm(sim, tmp_path, options):
    results, mutations = four_steps(sim, tmp_path, options)
    assert [r['changed'] for r in results] == [True, True, False, False]
    assert mutations[0] == 0 and mutations[2] == 0 and mutations[3] == 0 and mutations[1] >= 1
    assert results[0]['actions'][0] == 'create' and results[0]['diff']['before'] == {}
    created = sim.gateway(options['name'])
    assert created['type'] == options['type'] and created['speed_mbps'] == options['speed_mbps']
    if options['type'] == 'connect':
        assert created['operational_status'] == 'provisioned'
        assert sorted(vc['status'] for vc in created['virtual_connections']) == ['attached', 'attached']
        assert [f['prefix'] for f in created['export_route_filters']] == ['10.10.0.0/16', '10.0.0.0/8']
    else:
        assert created['operational_status'] == 'awaiting_loa'
        assert created['macsec_caks'][0]['key']['crn'] == key_crn('it-cak')


def test_dedicated_virtual_connections_wait_for_the_gateway(sim, tmp_path):
    options = dict(DEDICATED, virtual_connections=[{'name': 'later', 'type': 'classic'}])
    first = run_tasks(sim, [gateway_task(options)], tmp_path)
    assert first.rc == 0, first.output
    assert first['result']['virtual_connections'][0]['action'] == 'pending_gateway'
    sim.advance(name='it-dedicated', to='provisioned')
    second = run_tasks(sim, [gateway_task(options)], tmp_path)
    assert second['result']['changed'] and second['result']['virtual_connections'][0]['action'] == 'created'
    assert [vc['name'] for vc in sim.gateway('it-dedicated')['virtual_connections']] == ['later']


def test_round_trip_of_gathered_facts_changes_nothing(sim, tmp_path):
    assert run_tasks(sim, [gateway_task(CONNECT)], tmp_path).rc == 0
    assert run_tasks(sim, [gateway_task(DEDICATED)], tmp_path).rc == 0
    tasks = [{'cloud_dr.ibm_direct_link.gateway_info': {'include': ['all']}, 'register': 'info'},
             {'name': 'feed back', 'cloud_dr.ibm_direct_link.gateway': None, 'args': '{{ item | combine({"wait": false}) }}',
              'register': 'fed', 'loop': '{{ info.gateways }}', 'loop_control': {'label': '{{ item.name }}'}}]
    sim.reset_stats()
    result = run_tasks(sim, tasks, tmp_path)
    assert result.rc == 0, result.output
    assert len(result['fed']['results']) == 7
    assert [r['item']['name'] for r in result['fed']['results'] if r['changed']] == []
    assert sim.stats()['mutating'] == 0


def test_update_in_place_and_four_steps(sim, tmp_path):
    assert run_tasks(sim, [gateway_task(CONNECT)], tmp_path).rc == 0
    changed = dict(CONNECT, speed_mbps=2000, metered=True, authentication_key='', bfd_config={'interval': 1000},
                   export_route_filters=[{'action': 'deny', 'prefix': '10.0.0.0/8'}],
                   as_prepends=[{'length': 5, 'policy': 'import'}])
    results, mutations = four_steps(sim, tmp_path, changed)
    assert [r['changed'] for r in results] == [True, True, False, False]
    assert mutations == [0, mutations[1], 0, 0] and mutations[1] == 3
    assert results[1]['actions'] == ['update authentication_key', 'update bfd_config', 'update metered',
                                     'update speed_mbps', 'replace as_prepends', 'replace export_route_filters']
    state = sim.gateway('it-connect')
    assert state['speed_mbps'] == 2000 and 'authentication_key' not in state and state['bfd_config']['interval'] == 1000
    assert [(p['length'], p['policy']) for p in state['as_prepends']] == [(5, 'import')]


def test_rename_by_id(sim, tmp_path):
    gateway_id = sim.gateway('wdc04-connect-backup')['id']
    result = run_tasks(sim, [gateway_task({'id': gateway_id, 'name': 'wdc04-renamed'})], tmp_path)
    assert result.rc == 0 and result['result']['actions'] == ['update name']
    assert sim.gateway('wdc04-renamed')['id'] == gateway_id


def test_immutable_change_fails_naming_the_field(sim, tmp_path):
    options = {'name': 'fra02-dedicated', 'cross_connect_router': 'xcr01.fra02', 'carrier_name': 'Other'}
    sim.reset_stats()
    result = run_tasks(sim, [gateway_task(options, ignore_errors=True)], tmp_path)
    message = result['result']['msg']
    assert "cross_connect_router is 'xcr02.fra02', desired 'xcr01.fra02'" in message
    assert "carrier_name is 'Colt', desired 'Other'" in message and 'create a new gateway' in message
    assert sim.stats()['mutating'] == 0


def test_delete_requires_force_when_vcs_exist_then_four_steps(sim, tmp_path):
    sim.reset_stats()
    refused = run_tasks(sim, [gateway_task({'name': 'wdc04-connect-backup', 'state': 'absent'}, ignore_errors=True)], tmp_path)
    assert 'has virtual connections (vc-app-east)' in refused['result']['msg'] and sim.stats()['mutating'] == 0
    results, mutations = four_steps(sim, tmp_path, {'name': 'wdc04-connect-backup', 'state': 'absent', 'force': True})
    assert [r['changed'] for r in results] == [True, True, False, False]
    assert mutations == [0, 2, 0, 0]
    assert sim.gateway('wdc04-connect-backup') is None


@pytest.mark.parametrize('sim_options', [{'provision_delay': 0.1, 'vc_delay': 0.1}])
def test_lost_responses_never_duplicate(sim, tmp_path):
    sim.faults(lost_response_rate=1.0, lost_response_methods=['POST'], paths=['/v1/gateways'])
    tasks = [gateway_task({'name': f'lost-{n:02d}', 'type': 'connect', 'port': port_id('dal12', 'MEGAPORT', 'SEC'),
                           'speed_mbps': 1000, 'bgp_asn': 64999, 'wait': False}, register=f'g{n}') for n in range(20)]
    result = run_tasks(sim, tasks, tmp_path)
    assert result.rc == 0, result.output
    assert sim.stats()['lost_responses'] == 20
    names = [g['name'] for g in sim.state()['gateways'] if g['name'].startswith('lost-')]
    assert sorted(names) == [f'lost-{n:02d}' for n in range(20)]
    rerun = run_tasks(sim, tasks, tmp_path)
    assert rerun.rc == 0 and not any(rerun[f'g{n}']['changed'] for n in range(20))
    assert len([g for g in sim.state()['gateways'] if g['name'].startswith('lost-')]) == 20


@pytest.mark.parametrize('options, expected', [
    (dict(CONNECT, name='bad-port', port='00000000-0000-4000-8000-000000000000'),
     'port 00000000-0000-4000-8000-000000000000 does not exist'),
    (dict(CONNECT, name='bad-speed', speed_mbps=3000), 'speed_mbps 3000 is not offered on port'),
    (dict(CONNECT, name='bad-cidr', bgp_cer_cidr='169.254.99.2/29'), 'must be two different addresses of one /30'),
    (dict(CONNECT, name='bad-asn', bgp_asn=65500), 'bgp_asn 65500 is out of range or reserved by IBM'),
    (dict(DEDICATED, name='bad-vlan', vlan=4000), 'vlan 4000 is out of range: expected 2-3967'),
    (dict(CONNECT, name='macsec-connect', macsec=DEDICATED['macsec']), 'macsec is only for dedicated gateways'),
    (dict(DEDICATED, name='bad-router', cross_connect_router='xcr02.dal12'), 'xcr02.dal12 is not MACsec-capable'),
    (dict(DEDICATED, name='bad-location', location_name='lon06'), 'location_name lon06 does not offer dedicated gateways'),
    ({'name': 'incomplete', 'type': 'connect'}, 'port is required to create a gateway'),
    (dict(CONNECT, name='bad-filter', export_route_filters=[{'action': 'permit', 'prefix': '10.0.0.0/8', 'ge': 4}]),
     'export_route_filters[0].ge is 4: expected between 9 and 32'),
])
def test_bad_input_is_one_clear_error_and_changes_nothing(sim, tmp_path, options, expected):
    sim.reset_stats()
    result = run_tasks(sim, [gateway_task(options, ignore_errors=True)], tmp_path)
    assert result['result']['failed'] and expected in result['result']['msg'], result['result']['msg']
    assert 'Traceback' not in result['result']['msg'] and sim.stats()['mutating'] == 0


def vc_task(options, register='vc', **task):
    return dict({'cloud_dr.ibm_direct_link.virtual_connection': options, 'register': register}, **task)


@pytest.mark.parametrize('vc', [{'name': 'new-vpc', 'type': 'vpc', 'network_id': vpc_crn('new', 'us-east')},
                                {'name': 'new-classic', 'type': 'classic'}], ids=['vpc', 'classic'])
def test_virtual_connection_four_steps_and_delete(sim, tmp_path, vc):
    options = dict(vc, gateway='wdc04-connect-backup')
    outcomes = []
    for args in (['--check'], [], ['--check'], []):
        sim.reset_stats()
        result = run_tasks(sim, [vc_task(options)], tmp_path, args=args)
        assert result.rc == 0, result.output
        outcomes.append((result['vc']['changed'], sim.stats()['mutating']))
    assert outcomes == [(True, 0), (True, 1), (False, 0), (False, 0)]
    assert result['vc']['virtual_connection']['status'] == 'attached'
    removal = []
    for args in (['--check'], [], []):
        sim.reset_stats()
        result = run_tasks(sim, [vc_task(dict(options, state='absent'))], tmp_path, args=args)
        removal.append((result['vc']['changed'], sim.stats()['mutating']))
    assert removal == [(True, 0), (True, 1), (False, 0)]


def test_virtual_connection_refusals(sim, tmp_path):
    sim.reset_stats()
    tasks = [vc_task({'gateway': 'dal10-connect-transit', 'name': 'x', 'type': 'classic'}, 'transit', ignore_errors=True),
             vc_task({'gateway': 'wdc04-connect-backup', 'name': 'vc-app-east', 'type': 'classic'}, 'changed_type',
                     ignore_errors=True),
             vc_task({'gateway': 'nope', 'name': 'x', 'type': 'classic'}, 'missing', ignore_errors=True)]
    result = run_tasks(sim, tasks, tmp_path)
    assert 'created from the Transit Gateway' in result['transit']['msg']
    assert "has type 'vpc', desired 'classic': it cannot change" in result['changed_type']['msg']
    assert "No gateway named or with id 'nope'" in result['missing']['msg']
    assert sim.stats()['mutating'] == 0


def test_cross_account_vpc_is_reported_awaiting_approval(sim, tmp_path):
    options = {'gateway': 'wdc04-connect-backup', 'name': 'partner', 'type': 'vpc',
               'network_id': vpc_crn('p', 'us-east', '7e2f9c3d1a8b4c5d9e0f1a2b3c4d5e6f')}
    result = run_tasks(sim, [vc_task(options)], tmp_path)
    assert result.rc == 0 and result['vc']['virtual_connection']['status'] == 'approval_pending'
