"""The gateways module (many gateways in one invocation) through ansible-playbook against the simulator."""

import datetime

import pytest

from dlsim.catalog import port_id
from dlsim.seeds import vpc_crn
from playbook_runner import run_tasks


def connect(index, vcs=2):
    """A connect gateway in dal12 with ``vcs`` VPC connections."""
    return {'name': f'batch-{index:02d}', 'type': 'connect', 'port': port_id('dal12', 'EQUINIX', 'PRI'),
            'speed_mbps': 1000, 'bgp_asn': 64999,
            'virtual_connections': [{'name': f'vc-{n}', 'type': 'vpc', 'network_id': vpc_crn(f'batch{index}-{n}', 'us-south')}
                                    for n in range(vcs)]}


DEDICATED = {'name': 'batch-dedicated', 'type': 'dedicated', 'location_name': 'dal12',
             'cross_connect_router': 'xcr01.dal12', 'carrier_name': 'Lumen', 'customer_name': 'Example',
             'speed_mbps': 10000, 'bgp_asn': 64998}


def gateways_task(gateways, **options):
    return {'cloud_dr.ibm_direct_link.gateways': dict({'gateways': gateways}, **options), 'register': 'result',
            'ignore_errors': True}


def run(sim, tmp_path, gateways, args=(), **options):
    """One invocation: (its result, the mutating requests it made)."""
    sim.reset_stats()
    outcome = run_tasks(sim, [gateways_task(gateways, **options)], tmp_path, args=args)
    assert outcome.rc == 0, outcome.output
    return outcome['result'], sim.stats()['mutating']


@pytest.mark.parametrize('sim_options', [{'provision_delay': 1, 'vc_delay': 0.5}])
def test_check_create_and_rerun_of_many_gateways(sim, tmp_path):
    gateways = [connect(index) for index in range(6)] + [DEDICATED]
    names = [gateway['name'] for gateway in gateways]
    predicted, mutating = run(sim, tmp_path, gateways, ['--check', '--diff'])
    assert mutating == 0 and predicted['changed'] and not predicted['failed']
    assert [item['actions'][0] for item in predicted['results']] == ['create'] * 7
    assert [item['before_header'] for item in predicted['diff']] == names
    created, mutating = run(sim, tmp_path, gateways, ['--diff'])
    assert created['changed'] and not created['failed'] and created['failed_gateways'] == []
    assert [item['name'] for item in created['results']] == names
    assert mutating == 7 + 6 * 2
    for gateway in gateways[:-1]:
        live = sim.gateway(gateway['name'])
        assert live['operational_status'] == 'provisioned'
        assert sorted(vc['status'] for vc in live['virtual_connections']) == ['attached', 'attached']
    assert sim.gateway('batch-dedicated')['operational_status'] == 'awaiting_loa'
    assert all(vc['status'] == 'attached' for item in created['results'][:-1] for vc in item['virtual_connections'])
    again, mutating = run(sim, tmp_path, gateways)
    assert mutating == 0 and not again['changed']
    assert sorted(g['name'] for g in sim.state()['gateways'] if g['name'].startswith('batch-')) == sorted(names)


@pytest.mark.parametrize('sim_options', [{'provision_delay': 2, 'vc_delay': 0.5, 'latency_ms': 50}])
def test_every_gateway_is_started_before_any_is_provisioned_and_requests_stay_bounded(sim, tmp_path):
    gateways = [connect(index, vcs=3) for index in range(12)]
    result, _mutating = run(sim, tmp_path, gateways, max_concurrency=4)
    assert not result['failed']
    assert 1 < sim.stats()['peak_in_flight'] <= 4
    created = sorted(sim.gateway(gateway['name'])['created_at'] for gateway in gateways)
    # The simulator provisions a gateway 2 s after its create: all 12 were created before the first was provisioned.
    assert (seconds(created[-1]) - seconds(created[0])) < 2


def seconds(timestamp):
    """Seconds since the epoch of an API timestamp."""
    return datetime.datetime.fromisoformat(timestamp.replace('Z', '+00:00')).timestamp()


def test_one_bad_item_changes_nothing_and_names_the_item_and_field(sim, tmp_path):
    bad_asn = dict(connect(1), bgp_asn=64512)
    typo = dict(connect(2), speed_mpbs=1000)
    result, mutating = run(sim, tmp_path, [connect(0), bad_asn, typo, dict(connect(3), name='batch-00')])
    assert result['failed'] and mutating == 0
    message = result['msg']
    assert message.startswith('Nothing was changed')
    assert "gateways[1] 'batch-01'" in message and 'bgp_asn 64512' in message
    assert "gateways[2] 'batch-02'" in message and 'speed_mpbs' in message
    assert "gateways[3] 'batch-00': the name appears more than once" in message
    assert 'Traceback' not in result.get('module_stderr', '')
    assert not any(gateway['name'].startswith('batch-') for gateway in sim.state()['gateways'])


def test_a_catalog_problem_is_found_before_anything_is_created(sim, tmp_path):
    unknown_port = dict(connect(1), port='00000000-0000-0000-0000-000000000000')
    result, mutating = run(sim, tmp_path, [connect(0), unknown_port])
    assert result['failed'] and mutating == 0
    assert "gateways[1] 'batch-01'" in result['msg'] and '00000000-0000-0000-0000-000000000000' in result['msg']


@pytest.mark.parametrize('sim_options', [{'provision_delay': 1, 'vc_delay': 0.5}])
def test_a_gateway_that_fails_is_named_and_the_others_complete(sim, tmp_path):
    reasons = [{'code': 'provider_capacity', 'message': 'The provider has no capacity on this port.'}]
    sim.faults(fail_creates={'count': 1, 'location': 'dal12', 'to': 'failed', 'reasons': reasons})
    gateways = [connect(index) for index in range(4)]
    result, _mutating = run(sim, tmp_path, gateways)
    assert result['failed'] and len(result['failed_gateways']) == 1
    failed_name = result['failed_gateways'][0]
    assert failed_name in result['msg'] and 'The provider has no capacity on this port.' in result['msg']
    failed = next(item for item in result['results'] if item['name'] == failed_name)
    assert failed['failed'] and 'provider_capacity' in failed['msg']
    for gateway in gateways:
        if gateway['name'] != failed_name:
            live = sim.gateway(gateway['name'])
            assert live['operational_status'] == 'provisioned' and len(live['virtual_connections']) == 2
    assert sim.gateway(failed_name)['operational_status'] == 'failed'
