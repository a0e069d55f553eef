"""The fact-gathering modules through ansible-playbook against the simulator."""

import pytest

from playbook_runner import run_tasks

API_KEY_CANARY = 'canary-key-7f3a9c41e2'


def gateway_info(**options):
    return {'name': 'gather', 'cloud_dr.ibm_direct_link.gateway_info': options or None, 'register': 'info'}


def by_name(gateways):
    return {gateway['name']: gateway for gateway in gateways}


def expected_from_state(record, transit_gateways=()):
    """The option-shaped configuration the simulator holds for a gateway record (``transit_gateways``: the state's,
    whose connections to a transit-mode gateway it holds)."""
    expected = {key: record[key] for key in (
        'id', 'name', 'type', 'speed_mbps', 'global', 'metered', 'bgp_asn', 'bgp_cer_cidr', 'bgp_ibm_cidr',
        'connection_mode', 'default_export_route_filter', 'default_import_route_filter', 'location_name',
        'cross_connect_router', 'carrier_name', 'customer_name', 'vlan', 'macsec_capability') if key in record}
    expected['resource_group'] = record['resource_group']['id']
    for key, attribute in (('port', 'id'), ('authentication_key', 'crn')):
        if key in record:
            expected[key] = record[key][attribute]
    if 'bfd_config' in record:
        expected['bfd_config'] = {key: record['bfd_config'][key] for key in ('interval', 'multiplier')}
    expected['as_prepends'] = [{key: item[key] for key in ('length', 'policy', 'specific_prefixes') if key in item}
                               for item in record['as_prepends']]
    for kind in ('export_route_filters', 'import_route_filters'):
        expected[kind] = [{key: item[key] for key in ('action', 'prefix', 'ge', 'le') if key in item} for item in record[kind]]
    if record.get('macsec_config'):
        config = record['macsec_config']
        expected['macsec'] = {key: config[key] for key in ('active', 'security_policy', 'sak_rekey', 'window_size')}
        expected['macsec']['caks'] = [{'name': cak['name'], 'key': cak['key']['crn'], 'session': cak['session']}
                                      for cak in sorted(record['macsec_caks'], key=lambda c: c['session'] != 'primary')]
    expected['virtual_connections'] = sorted(
        ({key: vc[key] for key in ('name', 'type', 'network_id') if key in vc} for vc in record['virtual_connections']),
        key=lambda vc: vc['name'])
    if record.get('connection_mode') == 'transit':
        expected['transit_connections'] = sorted((
            {'name': connection['name'],
             'transit_gateway': {key: tgw[key] for key in ('id', 'name', 'location', 'global')},
             'prefix_filters': [{key: item[key] for key in ('action', 'prefix', 'ge', 'le') if item.get(key)}
                                for item in connection['prefix_filters']],
             'prefix_filters_default': connection['prefix_filters_default']}
            for tgw in transit_gateways for connection in tgw['connections'] if connection.get('network_id') == record['crn']),
            key=lambda item: item['name'])
    return expected


def test_every_field_of_every_gateway_matches_the_simulator(sim, tmp_path):
    result = run_tasks(sim, [gateway_info(include=['all'])], tmp_path)
    assert result.rc == 0, result.output
    gathered = by_name(result['info']['gateways'])
    own = [g for g in sim.state()['gateways'] if g['_account'] == '4111d05f36894e3cb9b46a43556d9000']
    assert sorted(gathered) == sorted(g['name'] for g in own)
    kinds = set()
    for record in own:
        module_view = dict(gathered[record['name']])
        read_only = module_view.pop('read_only')
        module_view['virtual_connections'] = [{k: v for k, v in vc.items() if k != 'read_only'}
                                              for vc in module_view['virtual_connections']]
        if 'transit_connections' in module_view:
            module_view['transit_connections'] = [{k: v for k, v in item.items() if k != 'read_only'}
                                                  for item in module_view['transit_connections']]
        assert module_view == expected_from_state(record, sim.state()['transit_gateways']), record['name']
        assert read_only['crn'] == record['crn'] and read_only['operational_status'] == 'provisioned'
        assert {item['type'] for item in read_only['status']} >= {'bgp', 'bfd'}
        kinds.add((record['type'], record['connection_mode'], bool(record.get('macsec_config')), 'vlan' in record))
    assert ('connect', 'transit', False, False) in kinds and ('dedicated', 'direct', True, True) in kinds


def test_request_economy_and_a_single_token(sim, tmp_path):
    sim.seed_with({'generate': {'gateways': 25, 'vcs': 3}})
    sim.reset_stats()
    result = run_tasks(sim, [gateway_info(include=['virtual_connections', 'route_filters', 'as_prepends'])], tmp_path)
    assert result.rc == 0, result.output
    assert len(result['info']['gateways']) == 25
    stats = sim.stats()
    assert stats['total'] - stats['iam_tokens'] <= 1 + 3 * 25
    assert stats['iam_tokens'] == 1 and stats['mutating'] == 0


def test_macsec_costs_two_requests_per_macsec_gateway(sim, tmp_path):
    sim.reset_stats()
    assert run_tasks(sim, [gateway_info(include=['macsec'])], tmp_path).rc == 0
    requests = sim.stats()['requests']
    assert requests['GET /v1/gateways/{id}/macsec'] == 1 and requests['GET /v1/gateways/{id}/macsec/caks'] == 1


def test_filters_and_cross_account(sim, tmp_path):
    tasks = [
        {'cloud_dr.ibm_direct_link.gateway_info': {'type': 'dedicated', 'include': []}, 'register': 'dedicated'},
        {'cloud_dr.ibm_direct_link.gateway_info': {'location_name': 'dal10', 'include': []}, 'register': 'dal10'},
        {'cloud_dr.ibm_direct_link.gateway_info': {'name': 'wdc04-connect-backup', 'include': []}, 'register': 'one'},
        {'cloud_dr.ibm_direct_link.gateway_info': {'include_cross_account': True, 'include': []}, 'register': 'shared'},
    ]
    result = run_tasks(sim, tasks, tmp_path)
    assert result.rc == 0, result.output
    assert sorted(by_name(result['dedicated']['gateways'])) == ['dal10-dedicated-macsec', 'fra02-dedicated']
    assert len(result['dal10']['gateways']) == 3
    assert [g['name'] for g in result['one']['gateways']] == ['wdc04-connect-backup']
    shared = by_name(result['shared']['gateways'])['partner-shared-gateway']
    assert shared['read_only']['cross_account'] is True


def test_check_mode_returns_the_same_data(sim, tmp_path):
    normal = run_tasks(sim, [gateway_info(include=['all'])], tmp_path)
    sim.reset_stats()
    checked = run_tasks(sim, [gateway_info(include=['all'])], tmp_path, args=['--check'])
    assert checked.rc == 0 and checked['info']['gateways'] == normal['info']['gateways']
    assert sim.stats()['mutating'] == 0


def test_fault_storm_gives_the_complete_identical_result(sim, tmp_path):
    calm = run_tasks(sim, [gateway_info()], tmp_path)
    sim.faults(rate=0.3, statuses=[429, 503], retry_after=0, seed=7)
    stormy = run_tasks(sim, [gateway_info(retry_delay=0.01, retry_max_delay=0.05, retries=15)], tmp_path)
    assert stormy.rc == 0, stormy.output
    assert sim.stats()['faults_injected'] > 0
    assert stormy['info']['gateways'] == calm['info']['gateways']


def test_wrong_api_key_is_a_one_line_iam_error_and_the_key_never_shows(sim, tmp_path):
    task = dict(gateway_info(), ignore_errors=True)
    result = run_tasks(sim, [task], tmp_path, args=['-vvv'], env={'IC_API_KEY': API_KEY_CANARY})
    failure = result['info']
    assert failure['failed'] and failure['msg'].startswith('IAM rejected the API key (400 BXNIM0415E')
    assert '\n' not in failure['msg'] and 'Traceback' not in failure['msg']
    assert API_KEY_CANARY not in result.output


def test_valid_key_never_shows_even_at_vvv(sim, tmp_path):
    result = run_tasks(sim, [dict(gateway_info(api_key=sim.api_key))], tmp_path, args=['-vvv'])
    assert result.rc == 0 and sim.api_key not in result.output


def test_one_token_for_a_whole_play(sim, tmp_path):
    tasks = [{'cloud_dr.ibm_direct_link.iam_token': None, 'register': 'token', 'no_log': True}] + [
        {'cloud_dr.ibm_direct_link.gateway_info': {'include': []}, 'register': f'info{n}'} for n in range(4)] + [
        {'cloud_dr.ibm_direct_link.location_info': None, 'register': 'locations'},
        {'cloud_dr.ibm_direct_link.port_info': {'location_name': 'dal12'}, 'register': 'ports'},
        {'cloud_dr.ibm_direct_link.offering_speed_info': {'offering_type': 'dedicated'}, 'register': 'speeds'},
        {'cloud_dr.ibm_direct_link.virtual_connection_info': {'gateway': 'dal10-connect-primary'}, 'register': 'vcs'},
    ]
    defaults = {'group/cloud_dr.ibm_direct_link.direct_link': {'iam_token': '{{ token.iam_token | default(omit) }}'}}
    sim.reset_stats()
    result = run_tasks(sim, tasks, tmp_path, module_defaults=defaults)
    assert result.rc == 0, result.output
    assert sim.stats()['iam_tokens'] == 1
    assert result['token']['account_id'] == '4111d05f36894e3cb9b46a43556d9000'
    assert result['token']['iam_token'] not in result.output
    assert {loc['name'] for loc in result['locations']['locations'] if loc['offering_type'] == 'dedicated'} >= {'dal10', 'dal12'}
    dal10 = next(loc for loc in result['locations']['locations'] if loc['name'] == 'dal10' and loc['offering_type'] == 'dedicated')
    assert [router['router_name'] for router in dal10['cross_connect_routers']] == ['xcr01.dal10', 'xcr02.dal10']
    assert {port['location_name'] for port in result['ports']['ports']} == {'dal12'} and len(result['ports']['ports']) == 4
    assert [speed['link_speed'] for speed in result['speeds']['speeds']] == [1000, 2000, 5000, 10000]
    assert [vc['name'] for vc in result['vcs']['virtual_connections']] == ['vc-app-vpc', 'vc-classic']


@pytest.mark.parametrize('sim_options', [{'token_ttl': 200}])
def test_reused_token_near_expiry_falls_back_to_the_api_key(sim, tmp_path):
    tasks = [{'cloud_dr.ibm_direct_link.iam_token': None, 'register': 'token', 'no_log': True},
             {'cloud_dr.ibm_direct_link.gateway_info': {'include': [], 'iam_token': '{{ token.iam_token }}',
                                                        'iam_token_min_ttl': 300}, 'register': 'info'}]
    sim.reset_stats()
    result = run_tasks(sim, tasks, tmp_path)
    assert result.rc == 0, result.output
    assert sim.stats()['iam_tokens'] == 2
