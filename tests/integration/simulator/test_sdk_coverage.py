"""The simulator measured against the installed IBM SDK, never against its own route table (see sdk_spec.py).

* Every operation ``DirectLinkV1`` can send has a simulator route with the same method and path template, and
  the simulator has no route the SDK does not know.
* Scripted write sequences (create, patch, replace, rotate, delete of every resource, each write followed by the
  reads of what it changed, and every gateway, virtual connection, MACsec and CAK status the simulator can produce)
  run through the real SDK over HTTP, as the gateway owner and as a network owner in another account; every JSON
  answer must be a valid instance of the model the SDK documents for its operation (``sdk_spec.model_errors``).
  Together the sequences call every SDK operation.
* The model check itself rejects the shapes the SDK cannot take (so that a passing sequence means something).
"""

import io
import re
import time
import uuid
from dataclasses import dataclass, field

import pytest
from ibm_cloud_networking_services.direct_link_v1 import Gateway, GatewayMacsec, GatewayMacsecCak, RouteFilter
from ibm_cloud_sdk_core import ApiException

import sdk_spec
from dlsim import api
from dlsim import state as dlsim_state
from dlsim.catalog import port_id
from dlsim.errors import ApiError
from dlsim.process import Simulator, SimulatorError
from dlsim.seeds import PARTNER_ACCOUNT, PARTNER_API_KEY, key_crn, vpc_crn

SDK_OPERATIONS = sdk_spec.sdk_operations()
NOW = '2026-01-01T00:00:00.000Z'
VALID_MACSEC = {'active': True, 'cipher_suite': 'gcm_aes_xpn_256', 'confidentiality_offset': 0, 'created_at': NOW,
                'key_server_priority': 255, 'sak_rekey': {'mode': 'timer', 'interval': 3600}, 'security_policy': 'must_secure',
                'status': 'secured', 'status_reasons': [], 'updated_at': NOW, 'window_size': 148809600}
VALID_FILTER = {'action': 'permit', 'created_at': NOW, 'id': str(uuid.uuid4()), 'prefix': '10.0.0.0/8', 'updated_at': NOW}
VALID_GATEWAY = {'bgp_asn': 64999, 'created_at': NOW, 'crn': 'crn:v1:bluemix:public:directlink:dal12:a/1::dedicated:1',
                 'cross_account': False, 'default_export_route_filter': 'permit', 'default_import_route_filter': 'permit',
                 'global': True, 'id': str(uuid.uuid4()), 'location_display_name': 'Dallas 12', 'location_name': 'dal12',
                 'metered': False, 'name': 'gw', 'operational_status': 'failed', 'operational_status_reasons': [],
                 'speed_mbps': 1000, 'type': 'dedicated'}


# ---------------------------------------------------------------------------------------------- routes
def _simulator_template(operation):
    """The simulator's path template for the operation's request with concrete ids, or None when unrouted."""
    concrete = re.sub(r'\{\w+\}', lambda _found: str(uuid.uuid4()), operation.template)
    try:
        return api.match(operation.method, '/v1' + concrete)[0]
    except ApiError:
        return None


def test_sdk_operations_are_found_by_introspection():
    names = [operation.name for operation in SDK_OPERATIONS]
    assert 'list_gateways' in names and 'set_gateway_macsec' in names and len(names) == len(set(names))
    assert {operation.method for operation in SDK_OPERATIONS} == {'GET', 'POST', 'PUT', 'PATCH', 'DELETE'}


def _unrouted():
    """The SDK operations the simulator routes nowhere, or to another template."""
    return [f'{operation.name}: {operation.method} {operation.template} (simulator: {routed})'
            for operation in SDK_OPERATIONS if (routed := _simulator_template(operation)) != '/v1' + operation.template]


def test_every_sdk_operation_has_a_simulator_route():
    missing = _unrouted()
    assert not missing, 'SDK operations without a simulator route:\n' + '\n'.join(missing)


def test_route_check_names_an_operation_the_simulator_lost(monkeypatch):
    monkeypatch.setattr(api, 'ROUTES', [route for route in api.ROUTES if route[2] != '/v1/gateways/{id}/macsec/caks/{cak_id}'])
    assert sorted(line.split(':')[0] for line in _unrouted()) == ['delete_gateway_macsec_cak', 'get_gateway_macsec_cak',
                                                                  'update_gateway_macsec_cak']


def test_every_simulator_route_is_an_sdk_operation():
    known = {(operation.method, '/v1' + operation.template) for operation in SDK_OPERATIONS}
    invented = sorted(f'{method} {template}' for method, _pattern, template, _name, _handler in api.ROUTES
                      if (method, template) not in known)
    assert not invented, 'simulator routes the SDK has no operation for:\n' + '\n'.join(invented)


# ---------------------------------------------------------------------------------------------- the model check
@pytest.mark.parametrize('model, valid', [(GatewayMacsec, VALID_MACSEC), (RouteFilter, VALID_FILTER), (Gateway, VALID_GATEWAY)])
def test_model_check_accepts_valid_answers(model, valid):
    assert not sdk_spec.model_errors(model, valid)


@pytest.mark.parametrize('model, answer, complaint', [
    (GatewayMacsec, {**VALID_MACSEC, 'active': None}, "Required property 'active'"),
    (GatewayMacsec, {**VALID_MACSEC, 'sak_rekey': {'mode': 'timer'}}, 'matches no variant of SakRekey'),
    (GatewayMacsec, {**VALID_MACSEC, 'security_policy': 'bogus'}, "'bogus' is not one of"),
    (GatewayMacsec, {**VALID_MACSEC, 'window_size': 'big'}, "'big' is not of type"),
    (RouteFilter, {**VALID_FILTER, 'prefix': 167772160}, 'is not of type'),
    (RouteFilter, {**VALID_FILTER, '_rotated_at': 1.0}, 'not a property of RouteFilter'),
    (Gateway, {**VALID_GATEWAY, 'operational_status_reasons': [{'code': 'provisioning_failed', 'message': 'm'}]},
     "'provisioning_failed' is not one of GatewayStatusReason.CodeEnum"),
], ids=['null-required', 'one-of-unmatched', 'enum', 'int-type', 'str-type', 'unknown-field', 'nested-enum'])
def test_model_check_rejects_what_the_sdk_cannot_take(model, answer, complaint):
    errors = sdk_spec.model_errors(model, answer)
    assert any(complaint in error for error in errors), errors


# ---------------------------------------------------------------------------------------------- responses
def wait_until(fetch, predicate, timeout=10.0):
    """Poll ``fetch`` until ``predicate`` holds for its answer (an ``ApiException`` counts as its status code)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = fetch().get_result()
        except ApiException as exc:
            value = exc.status_code
        if predicate(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f'condition not met in {timeout}s; last answer: {value!r}')
        time.sleep(0.05)


def gone(fetch):
    """Wait until ``fetch`` answers 404 (asynchronous deletes)."""
    wait_until(fetch, lambda value: value == 404)


def read_gateway(dl, gateway_id):
    """Every read of a gateway and its sub-resources (after each write, so each answer is parsed in each state)."""
    dl.get_gateway(gateway_id)
    dl.list_gateways()
    dl.get_gateway_status(gateway_id)
    dl.list_gateway_virtual_connections(gateway_id)
    dl.list_gateway_export_route_filters(gateway_id)
    dl.list_gateway_import_route_filters(gateway_id)
    dl.list_gateway_as_prepends(gateway_id)
    dl.list_gateway_route_reports(gateway_id)


def read_macsec(dl, gateway_id):
    """The MACsec reads of a gateway that has a MACsec configuration."""
    read_gateway(dl, gateway_id)
    dl.get_gateway_macsec(gateway_id)
    for cak in dl.list_gateway_macsec_caks(gateway_id).get_result()['caks']:
        dl.get_gateway_macsec_cak(gateway_id, cak['id'])


def connect_sequence(dl, sim):
    """A connect gateway: create, patch, prepends, route filters, virtual connections, route report, deletes."""
    gateway = dl.create_gateway({
        'name': 'cov-connect', 'type': 'connect', 'speed_mbps': 1000, 'global': True, 'metered': False, 'bgp_asn': 64970,
        'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')}, 'bfd_config': {'interval': 2000, 'multiplier': 10},
        'authentication_key': {'crn': key_crn('cov-md5')}, 'default_export_route_filter': 'deny',
        'export_route_filters': [{'action': 'permit', 'prefix': '10.1.0.0/16', 'ge': 17, 'le': 24}],
        'import_route_filters': [{'action': 'deny', 'prefix': '192.168.100.0/24'}],
        'as_prepends': [{'length': 4, 'policy': 'import', 'specific_prefixes': ['172.17.0.0/16']}],
    }).get_result()
    gateway_id = gateway['id']
    read_gateway(dl, gateway_id)
    wait_until(lambda: dl.get_gateway(gateway_id), lambda value: value['operational_status'] == 'provisioned')
    for patch in ({'name': 'cov-connect-2', 'speed_mbps': 2000, 'metered': True, 'bfd_config': {'interval': 1000}},
                  {'bfd_config': None, 'authentication_key': None, 'default_import_route_filter': 'deny'}):
        dl.update_gateway(gateway_id, patch)
        read_gateway(dl, gateway_id)
    dl.get_gateway_statistics(gateway_id, 'bfd_session')

    etag = dl.list_gateway_as_prepends(gateway_id).get_headers()['ETag']
    dl.replace_gateway_as_prepends(gateway_id, etag, as_prepends=[{'length': 5, 'policy': 'export', 'prefix': '10.2.0.0/16'}])
    read_gateway(dl, gateway_id)
    for kind in ('export', 'import'):
        filter_sequence(dl, gateway_id, kind)

    vcs = [dl.create_gateway_virtual_connection(gateway_id, name, kind, network_id=network).get_result()
           for name, kind, network in (('cov-vpc', 'vpc', vpc_crn('cov', 'us-south')), ('cov-classic', 'classic', None),
                                       ('cov-partner', 'vpc', vpc_crn('cov-partner', 'us-south', PARTNER_ACCOUNT)))]
    read_gateway(dl, gateway_id)
    dl.update_gateway_virtual_connection(gateway_id, vcs[0]['id'], {'name': 'cov-vpc-2'})
    for vc in vcs:
        dl.get_gateway_virtual_connection(gateway_id, vc['id'])
    wait_until(lambda: dl.get_gateway_virtual_connection(gateway_id, vcs[0]['id']), lambda value: value['status'] == 'attached')
    read_gateway(dl, gateway_id)

    report = dl.create_gateway_route_report(gateway_id).get_result()
    read_gateway(dl, gateway_id)
    dl.get_gateway_route_report(gateway_id, report['id'])
    dl.delete_gateway_route_report(gateway_id, report['id'])
    read_gateway(dl, gateway_id)

    for vc in vcs:
        dl.delete_gateway_virtual_connection(gateway_id, vc['id'])
        read_gateway(dl, gateway_id)
        gone(lambda vc_id=vc['id']: dl.get_gateway_virtual_connection(gateway_id, vc_id))
    dl.delete_gateway(gateway_id)
    read_gateway(dl, gateway_id)
    gone(lambda: dl.get_gateway(gateway_id))


def filter_sequence(dl, gateway_id, kind):
    """Route filters of one direction: create (appended, then before another), get, update, delete, replace."""
    def operation(verb, noun='route_filter'):
        return getattr(dl, f'{verb}_gateway_{kind}_{noun}')

    appended = operation('create')(gateway_id, 'permit', '172.168.100.0/24', ge=25, le=30).get_result()
    read_gateway(dl, gateway_id)
    first = operation('create')(gateway_id, 'deny', '10.8.0.0/16', before=appended['id']).get_result()
    read_gateway(dl, gateway_id)
    operation('get')(gateway_id, appended['id'])
    operation('update')(gateway_id, appended['id'], {'prefix': '172.168.101.0/24'})
    read_gateway(dl, gateway_id)
    operation('update')(gateway_id, first['id'], {'before': None, 'ge': 0, 'action': 'permit'})
    read_gateway(dl, gateway_id)
    operation('delete')(gateway_id, first['id'])
    read_gateway(dl, gateway_id)
    etag = operation('list', 'route_filters')(gateway_id).get_headers()['ETag']
    replaced = operation('replace', 'route_filters')(gateway_id, etag, **{
        f'{kind}_route_filters': [{'action': 'permit', 'prefix': '100.100.101.0/24', 'ge': 25, 'le': 30},
                                  {'action': 'deny', 'prefix': '100.100.0.0/16'}]}).get_result()
    read_gateway(dl, gateway_id)
    operation('get')(gateway_id, replaced[f'{kind}_route_filters'][0]['id'])


def dedicated_body(name, **extra):
    """A 10 Gbps dedicated gateway on a MACsec-capable router at dal12."""
    return {'name': name, 'type': 'dedicated', 'speed_mbps': 10000, 'global': True, 'metered': False, 'bgp_asn': 64971,
            'location_name': 'dal12', 'cross_connect_router': 'xcr01.dal12', 'carrier_name': 'carrier1',
            'customer_name': 'customer1', **extra}


def macsec_sequence(dl, gateway_id):
    """MACsec on a gateway that has it: patch, CAK create / rotate / delete, replace, statistics, unset."""
    read_macsec(dl, gateway_id)
    dl.update_gateway_macsec(gateway_id, {'window_size': 1024, 'sak_rekey': {'mode': 'packet_number_rollover'}})
    read_macsec(dl, gateway_id)
    cak = dl.create_gateway_macsec_cak(gateway_id, {'crn': key_crn(f'{gateway_id}-fallback')}, 'BB02', 'fallback').get_result()
    read_macsec(dl, gateway_id)
    dl.update_gateway_macsec_cak(gateway_id, cak['id'], {'key': {'crn': key_crn(f'{gateway_id}-rotated')}, 'name': 'CC03'})
    read_macsec(dl, gateway_id)
    dl.delete_gateway_macsec_cak(gateway_id, cak['id'])
    read_macsec(dl, gateway_id)
    etag = dl.get_gateway_macsec(gateway_id).get_headers().get('ETag')
    dl.set_gateway_macsec(gateway_id, True, [{'key': {'crn': key_crn(f'{gateway_id}-new')}, 'name': 'DD04', 'session': 'primary'}],
                          {'mode': 'timer', 'interval': 3600}, 'should_secure', window_size=522, if_match=etag)
    read_macsec(dl, gateway_id)
    for kind in ('macsec_mka_session', 'macsec_policy', 'macsec_mka_statistics'):
        dl.get_gateway_statistics(gateway_id, kind)
    dl.unset_gateway_macsec(gateway_id)
    read_gateway(dl, gateway_id)


def dedicated_sequence(dl, sim):
    """A dedicated gateway created with MACsec: MACsec writes, LOA, completion notice, VLAN set and cleared, delete."""
    gateway_id = dl.create_gateway(dedicated_body('cov-dedicated', vlan=10, macsec={
        'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
        'caks': [{'key': {'crn': key_crn('cov-primary')}, 'name': 'AA01', 'session': 'primary'}]})).get_result()['id']
    macsec_sequence(dl, gateway_id)

    sim.advance(gateway_id=gateway_id)
    read_gateway(dl, gateway_id)
    dl.list_gateway_letter_of_authorization(gateway_id)
    dl.update_gateway(gateway_id, {'operational_status': 'loa_accepted'})
    read_gateway(dl, gateway_id)
    sim.advance(gateway_id=gateway_id, to='awaiting_completion_notice')
    dl.create_gateway_completion_notice(gateway_id, upload=io.BytesIO(b'%PDF-1.4 notice'), upload_content_type='application/pdf')
    read_gateway(dl, gateway_id)
    dl.list_gateway_completion_notice(gateway_id)
    sim.advance(gateway_id=gateway_id, to='provisioned')
    read_gateway(dl, gateway_id)
    for patch in ({'vlan': 99, 'name': 'cov-dedicated-2', 'metered': True}, {'vlan': None}):
        dl.update_gateway(gateway_id, patch)
        read_gateway(dl, gateway_id)
    dl.delete_gateway(gateway_id)
    read_gateway(dl, gateway_id)
    gone(lambda: dl.get_gateway(gateway_id))


def macsec_added_later_sequence(dl, sim):
    """IBM's own SDK test: MACsec set on a dedicated gateway created without it, on a MACsec-capable router and speed."""
    gateway_id = dl.create_gateway(dedicated_body('cov-macsec-later', bgp_asn=64972)).get_result()['id']
    read_gateway(dl, gateway_id)
    dl.set_gateway_macsec(gateway_id, True, [{'key': {'crn': key_crn('cov-later-primary')}, 'name': 'AA01', 'session': 'primary'}],
                          {'mode': 'timer', 'interval': 3600}, 'must_secure', window_size=522)
    macsec_sequence(dl, gateway_id)
    dl.delete_gateway(gateway_id)
    gone(lambda: dl.get_gateway(gateway_id))


def provider_sequence(dl, sim):
    """Provider-managed connect gateways: the provider asks (``/_sim/event``) and the customer answers with each of
    the six gateway actions, the create approval carrying every setting the SDK lets it choose."""
    template = {'speed_mbps': 1000, 'global': True, 'metered': False, 'bgp_asn': 64974,
                'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')}}
    rejected = sim.event('provider_create', gateway=dict(template, name='cov-provider-rejected'))['id']
    read_gateway(dl, rejected)
    dl.create_gateway_action(rejected, action='create_gateway_reject')
    read_gateway(dl, rejected)

    gateway_id = sim.event('provider_create', gateway=dict(template, name='cov-provider'))['id']
    read_gateway(dl, gateway_id)
    dl.create_gateway_action(
        gateway_id, action='create_gateway_approve', metered=True, global_=False, connection_mode='direct',
        default_export_route_filter='deny', default_import_route_filter='permit', bfd_config={'interval': 2000, 'multiplier': 10},
        authentication_key={'crn': key_crn('cov-provider-md5')}, resource_group={'id': dlsim_state.DEFAULT_RESOURCE_GROUP},
        as_prepends=[{'length': 3, 'policy': 'export', 'specific_prefixes': ['10.3.0.0/16']}],
        export_route_filters=[{'action': 'permit', 'prefix': '10.3.0.0/16'}],
        import_route_filters=[{'action': 'deny', 'prefix': '192.168.0.0/16', 'ge': 24}])
    read_gateway(dl, gateway_id)
    wait_until(lambda: dl.get_gateway(gateway_id), lambda value: value['operational_status'] == 'provisioned')
    for action in ('update_attributes_reject', 'update_attributes_approve'):
        sim.event('provider_update', gateway_id=gateway_id, updates=[{'speed_mbps': 2000}])
        read_gateway(dl, gateway_id)
        dl.create_gateway_action(gateway_id, action=action, updates=[{'speed_mbps': 2000}])
        read_gateway(dl, gateway_id)
    for action in ('delete_gateway_reject', 'delete_gateway_approve'):
        sim.event('provider_delete', gateway_id=gateway_id)
        read_gateway(dl, gateway_id)
        dl.create_gateway_action(gateway_id, action=action)
        read_gateway(dl, gateway_id)
    gone(lambda: dl.get_gateway(gateway_id))


def read_connections(clients, gateway_id):
    """The virtual connections of a gateway as its owner and as the network owner see them."""
    for client in clients:
        for vc in client.list_gateway_virtual_connections(gateway_id).get_result()['virtual_connections']:
            client.get_gateway_virtual_connection(gateway_id, vc['id'])


def connection_state_sequence(dl, sim):
    """Virtual connections the network owner (the partner account) approves, rejects or lets expire, and one whose
    network its owner deletes."""
    gateway_id = dl.create_gateway({'name': 'cov-vc-states', 'type': 'connect', 'speed_mbps': 1000, 'global': True,
                                    'metered': False, 'bgp_asn': 64975,
                                    'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')}}).get_result()['id']
    wait_until(lambda: dl.get_gateway(gateway_id), lambda value: value['operational_status'] == 'provisioned')
    partner = sdk_spec.ParsingClient(sim.client(api_key=PARTNER_API_KEY), 'partner ', dl)
    clients = (dl, partner)
    requested = {name: dl.create_gateway_virtual_connection(gateway_id, name, 'vpc', network_id=vpc_crn(name, 'us-south', PARTNER_ACCOUNT))
                 .get_result()['id'] for name in ('cov-approved', 'cov-rejected', 'cov-expired')}
    read_connections(clients, gateway_id)
    for name, status in (('cov-approved', 'attached'), ('cov-rejected', 'rejected')):
        partner.update_gateway_virtual_connection(gateway_id, requested[name], {'status': status})
        read_connections(clients, gateway_id)
    sim.advance(seconds=dlsim_state.APPROVAL_WINDOW)
    read_connections(clients, gateway_id)
    own_network = vpc_crn('cov-own', 'us-south')
    own = dl.create_gateway_virtual_connection(gateway_id, 'cov-own', 'vpc', network_id=own_network).get_result()['id']
    wait_until(lambda: dl.get_gateway_virtual_connection(gateway_id, own), lambda value: value['status'] == 'attached')
    sim.event('network_deleted', network_id=own_network)
    read_connections(clients, gateway_id)
    sim.advance(seconds=dlsim_state.NETWORK_DETACH_DELAY)
    read_connections(clients, gateway_id)
    read_gateway(dl, gateway_id)


def _reached(control, *args, **settings):
    """Whether a simulator control put a resource into a state (False when the simulator cannot produce it)."""
    try:
        control(*args, **settings)
    except SimulatorError:
        return False
    return True


def state_sequence(dl, sim):
    """A dedicated gateway with MACsec put into every BGP, MACsec, CAK and operational status the SDK declares that
    the simulator can produce (``/_sim/set``, ``/_sim/advance``), read in each."""
    gateway_id = dl.create_gateway(dedicated_body('cov-states', bgp_asn=64973, macsec={
        'active': True, 'security_policy': 'should_secure', 'sak_rekey': {'mode': 'packet_number_rollover'},
        'caks': [{'key': {'crn': key_crn('cov-states-primary')}, 'name': 'AA05', 'session': 'primary'}]})).get_result()['id']
    observed = [('bgp_status', status.value) for status in Gateway.BgpStatusEnum]
    observed += [('macsec', {'status': status.value}) for status in GatewayMacsec.StatusEnum]
    observed += [('cak', {'name': 'AA05', 'status': status.value}) for status in GatewayMacsecCak.StatusEnum]
    for key, value in observed:
        if _reached(sim.observe, gateway_id=gateway_id, **{key: value}):
            read_macsec(dl, gateway_id)
    for status in Gateway.OperationalStatusEnum:
        if _reached(sim.advance, gateway_id=gateway_id, to=status.value):
            read_macsec(dl, gateway_id)


def catalog_and_partner_sequence(dl, sim):
    """The offering catalog and ports, and what the partner account (a network owner) reads."""
    for offering in ('connect', 'dedicated'):
        dl.list_offering_type_locations(offering)
        dl.list_offering_type_speeds(offering)
    dl.list_offering_type_location_cross_connect_routers('dedicated', 'dal12')
    page = dl.list_ports(limit=3).get_result()
    dl.list_ports(limit=3, start=page['next']['start'])
    dl.get_port(page['ports'][0]['id'])
    partner = sdk_spec.ParsingClient(sim.client(api_key=PARTNER_API_KEY), 'partner ', dl)
    for gateway in partner.list_gateways().get_result()['gateways']:
        partner.get_gateway(gateway['id'])
        partner.list_gateway_virtual_connections(gateway['id'])


SEQUENCES = {sequence.__name__: sequence for sequence in (
    connect_sequence, dedicated_sequence, macsec_added_later_sequence, provider_sequence, state_sequence,
    connection_state_sequence, catalog_and_partner_sequence)}


@dataclass
class Run:
    """What one write sequence called, the answers that did not parse, and the request that failed it (if any)."""

    called: set = field(default_factory=set)
    errors: list = field(default_factory=list)
    failure: str = None


@pytest.fixture(scope='module')
def runs():
    """Every sequence run once, each with its own resources, on one simulator for the module."""
    results = {}
    with Simulator(seed='demo', provision_delay=0.2, vc_delay=0.2) as simulator:
        for name, sequence in SEQUENCES.items():
            dl = sdk_spec.ParsingClient(simulator.client())
            try:
                sequence(dl, simulator)
                failure = None
            except (ApiException, AssertionError, SimulatorError) as exc:
                failure = f'{type(exc).__name__}: {exc}'
            results[name] = Run(dl.called, dl.errors, failure)
    return results


@pytest.mark.parametrize('name', sorted(SEQUENCES))
def test_write_sequence_answers_parse_as_the_sdk_documents(runs, name):
    run = runs[name]
    assert run.failure is None, f'{name} stopped: {run.failure}'
    assert not run.errors, f'{len(run.errors)} answers of {name} do not parse:\n' + '\n'.join(dict.fromkeys(run.errors))


def test_write_sequences_call_every_sdk_operation(runs):
    called = set().union(*(run.called for run in runs.values()))
    missing = sorted(operation.name for operation in SDK_OPERATIONS if operation.name not in called)
    assert not missing, 'SDK operations no sequence called: ' + ', '.join(missing)
