"""Every state the real API can be in, reached through a realistic flow or a documented /_sim/ control, driven through
the unmodified SDK and parsed with the SDK's own models: the network owner's approval, expiry and detachment of
virtual connections, MACsec and CAK states, BGP states, provider-managed gateways and their actions, completion
notice rejection and overlapping routes."""

import io

import pytest
from ibm_cloud_networking_services.direct_link_v1 import (
    Gateway,
    GatewayCollectionGatewaysItemCrossAccountGateway,
    GatewayMacsec,
    GatewayMacsecCak,
    GatewayStatusCollection,
    GatewayVirtualConnection,
    GetGatewayResponseCrossAccountGateway,
    GetGatewayResponseGateway,
    RouteReport,
    RouteReportOverlappingRouteForConnection,
    RouteReportOverlappingRouteForOthers,
)

from dlsim.catalog import port_id
from dlsim.process import SimulatorError
from dlsim.seeds import PARTNER_ACCOUNT, PARTNER_API_KEY, key_crn, vpc_crn
from dlsim.state import APPROVAL_WINDOW, NETWORK_DETACH_DELAY
from sdk_calls import api_error, gateway_id, status_of, wait_for

CROSS_ACCOUNT_HIDDEN = ('bgp_asn', 'bgp_cer_cidr', 'metered', 'resource_group', 'as_prepends', 'default_export_route_filter')
MACSEC_GATEWAY = {
    'type': 'dedicated', 'speed_mbps': 10000, 'global': True, 'metered': False, 'location_name': 'dal12',
    'cross_connect_router': 'xcr01.dal12', 'carrier_name': 'carrier', 'customer_name': 'customer', 'macsec_capability': 'macsec',
    'macsec': {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
               'caks': [{'key': {'crn': key_crn('states-primary')}, 'name': 'AA', 'session': 'primary'}]},
}


@pytest.fixture(scope='module')
def partner(sim):
    """The client of the other account (it owns the networks connected across accounts)."""
    return sim.client(api_key=PARTNER_API_KEY)


def new_connect(dl, name, asn):
    """A provisioned connect gateway of the demo account."""
    created = dl.create_gateway({'name': name, 'type': 'connect', 'speed_mbps': 1000, 'global': True, 'metered': False,
                                 'bgp_asn': asn, 'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')}}).get_result()
    wait_for(lambda: dl.get_gateway(created['id']).get_result(), lambda g: g['operational_status'] == 'provisioned')
    return created['id']


def cross_account_request(dl, gateway, name):
    """A VC from the demo account's gateway to a VPC of the partner account: a request awaiting its approval."""
    vc = dl.create_gateway_virtual_connection(gateway, name, 'vpc', network_id=vpc_crn(name, 'us-south', PARTNER_ACCOUNT)).get_result()
    assert (vc['status'], vc['network_account']) == ('approval_pending', PARTNER_ACCOUNT)
    return vc


def vc_status(client, gateway, vc):
    return GatewayVirtualConnection.from_dict(client.get_gateway_virtual_connection(gateway, vc['id']).get_result()).status


# ---------------------------------------------------------------------------------------------- the network owner
def test_the_network_owner_sees_the_gateway_as_cross_account_and_approves_the_request(dl, partner):
    gateway = new_connect(dl, 'states-approve', 64971)
    vc = cross_account_request(dl, gateway, 'states-approve-vc')

    listed = {g['id']: g for g in partner.list_gateways().get_result()['gateways']}
    assert listed[gateway]['cross_account'] is True
    assert not set(CROSS_ACCOUNT_HIDDEN) & set(listed[gateway])
    GatewayCollectionGatewaysItemCrossAccountGateway.from_dict(listed[gateway])
    GetGatewayResponseCrossAccountGateway.from_dict(partner.get_gateway(gateway).get_result())
    assert [item['id'] for item in partner.list_gateway_virtual_connections(gateway).get_result()['virtual_connections']] == [vc['id']]

    assert api_error(lambda: dl.update_gateway_virtual_connection(gateway, vc['id'], {'status': 'attached'})) == (
        400, "gateway owner can't patch vc status.")
    assert api_error(lambda: partner.update_gateway_virtual_connection(gateway, vc['id'], {'name': 'mine'}))[0] == 400
    assert api_error(lambda: partner.delete_gateway_virtual_connection(gateway, vc['id']))[0] == 404
    approved = partner.update_gateway_virtual_connection(gateway, vc['id'], {'status': 'attached'}).get_result()
    assert GatewayVirtualConnection.from_dict(approved).status == 'attached'
    assert vc_status(dl, gateway, vc) == 'attached'
    assert api_error(lambda: partner.update_gateway_virtual_connection(gateway, vc['id'], {'status': 'rejected'}))[0] == 400


def test_the_network_owner_rejects_the_request_and_the_gateway_owner_deletes_it(dl, partner):
    gateway = new_connect(dl, 'states-reject', 64972)
    vc = cross_account_request(dl, gateway, 'states-reject-vc')
    assert api_error(lambda: partner.update_gateway_virtual_connection(gateway, vc['id'], {'status': 'pending'}))[0] == 400
    rejected = partner.update_gateway_virtual_connection(gateway, vc['id'], {'status': 'rejected'}).get_result()
    assert rejected['status'] == 'rejected' and vc_status(dl, gateway, vc) == 'rejected'
    dl.delete_gateway_virtual_connection(gateway, vc['id'])
    assert vc_status(dl, gateway, vc) == 'deleting'


def test_a_request_nobody_answers_expires_after_72_hours_of_the_simulator_clock(sim, dl, partner):
    gateway = new_connect(dl, 'states-expire', 64973)
    vc = cross_account_request(dl, gateway, 'states-expire-vc')
    sim.advance(seconds=APPROVAL_WINDOW - 60)
    assert vc_status(dl, gateway, vc) == 'approval_pending'
    sim.advance(seconds=60)
    assert vc_status(dl, gateway, vc) == 'expired' and vc_status(partner, gateway, vc) == 'expired'
    assert api_error(lambda: partner.update_gateway_virtual_connection(gateway, vc['id'], {'status': 'attached'}))[0] == 400
    for seconds in (-1, 'soon', True):
        with pytest.raises(SimulatorError, match='400'):
            sim.advance(seconds=seconds)


def test_a_deleted_network_detaches_its_virtual_connections(sim, dl):
    gateway = new_connect(dl, 'states-detach', 64974)
    network = vpc_crn('states-detach', 'us-south')
    vc = dl.create_gateway_virtual_connection(gateway, 'states-detach-vc', 'vpc', network_id=network).get_result()
    wait_for(lambda: vc_status(dl, gateway, vc), lambda status: status == 'attached')
    event = sim.event('network_deleted', network_id=network)
    assert event['virtual_connections'] == [{'gateway': 'states-detach', 'virtual_connection': 'states-detach-vc'}]
    assert vc_status(dl, gateway, vc) == 'detached_by_network_pending'
    sim.advance(seconds=NETWORK_DETACH_DELAY)
    assert vc_status(dl, gateway, vc) == 'detached_by_network'
    with pytest.raises(SimulatorError, match='404'):
        sim.event('network_deleted', network_id=vpc_crn('nowhere', 'us-south'))


# ---------------------------------------------------------------------------------------------- MACsec, CAKs, BGP
def test_a_cak_rotation_goes_through_rotating_inactive_and_active_with_its_active_delta(sim, dl):
    gateway = dl.create_gateway(dict(MACSEC_GATEWAY, name='states-rotate', bgp_asn=64975)).get_result()['id']
    cak = dl.list_gateway_macsec_caks(gateway).get_result()['caks'][0]
    rotating = dl.update_gateway_macsec_cak(gateway, cak['id'], {'key': {'crn': key_crn('states-rotated')}, 'name': 'BB'}).get_result()
    assert GatewayMacsecCak.from_dict(rotating).status == 'rotating'
    assert rotating['active_delta'] == {'key': {'crn': key_crn('states-primary')}, 'name': 'AA', 'status': 'operational'}

    sim.observe(gateway_id=gateway, cak={'name': 'BB', 'status': 'inactive'})
    inactive = GatewayMacsecCak.from_dict(dl.get_gateway_macsec_cak(gateway, cak['id']).get_result())
    assert inactive.status == 'inactive' and inactive.active_delta.name == 'AA'

    retried = dl.update_gateway_macsec_cak(gateway, cak['id'], {'key': {'crn': key_crn('states-rotated-2')}, 'name': 'CC'}).get_result()
    assert retried['status'] == 'rotating' and retried['active_delta']['name'] == 'AA'
    active = wait_for(lambda: dl.get_gateway_macsec_cak(gateway, cak['id']).get_result(), lambda c: c['status'] != 'rotating')
    assert active['status'] == 'active' and 'active_delta' not in active and active['name'] == 'CC'


def test_a_failed_cak_fails_macsec_with_its_reason(sim, dl):
    gateway = dl.create_gateway(dict(MACSEC_GATEWAY, name='states-cak-failed', bgp_asn=64976)).get_result()['id']
    sim.observe(gateway_id=gateway, cak={'name': 'AA', 'status': 'failed'})
    assert GatewayMacsecCak.from_dict(dl.list_gateway_macsec_caks(gateway).get_result()['caks'][0]).status == 'failed'
    macsec = GatewayMacsec.from_dict(dl.get_gateway_macsec(gateway).get_result())
    assert macsec.status == 'failed' and [reason.code for reason in macsec.status_reasons] == ['macsec_cak_failed']
    summary = GetGatewayResponseGateway.from_dict(dl.get_gateway(gateway).get_result()).macsec
    assert summary.status == 'failed' and summary.status_reasons[0].code == 'macsec_cak_failed'


@pytest.mark.parametrize('status', ['pending', 'offline', 'deleting', 'init', 'secured'])
def test_every_macsec_status_is_reported(sim, dl, status):
    name = f'states-macsec-{status}'
    gateway = dl.create_gateway(dict(MACSEC_GATEWAY, name=name, bgp_asn=64977)).get_result()['id']
    sim.observe(name=name, macsec={'status': status})
    macsec = GatewayMacsec.from_dict(dl.get_gateway_macsec(gateway).get_result())
    assert (macsec.status, macsec.status_reasons) == (status, [])
    assert Gateway.from_dict(dl.get_gateway(gateway).get_result()).macsec.status == status


@pytest.mark.parametrize('status', ['active', 'connect', 'idle', 'established'])
def test_every_bgp_status_is_reported_by_the_gateway_and_its_status(sim, dl, status):
    gateway = gateway_id(dl, 'wdc04-connect-backup')
    sim.observe(gateway_id=gateway, bgp_status=status)
    assert Gateway.from_dict(dl.get_gateway(gateway).get_result()).bgp_status == status
    reported = dl.get_gateway_status(gateway, type='bgp').get_result()
    GatewayStatusCollection.from_dict(reported)
    assert [(item['type'], item['value']) for item in reported['status']] == [('bgp', status)]


def test_observed_states_outside_the_api_enums_are_refused_and_change_nothing(sim, dl):
    before = dl.get_gateway(gateway_id(dl, 'dal10-dedicated-macsec')).get_result()
    for settings in ({'bgp_status': 'flapping'}, {'bgp_status': None}, {'macsec': {'status': 'broken'}}, {'macsec': 'failed'},
                     {'cak': {'name': '1000', 'status': 'x'}}, {'on_prem_routes': ['not-a-prefix']}, {'color': 'blue'},
                     {'bgp_status': 'connect', 'macsec': {'status': 'failed', 'active': False}}):
        with pytest.raises(SimulatorError, match='400'):
            sim.observe(name='dal10-dedicated-macsec', **settings)
    assert dl.get_gateway(before['id']).get_result() == before


# ---------------------------------------------------------------------------------------------- provider-managed gateways
def provider_gateway(sim, name, asn):
    """A connect gateway a provider created in the demo account: it waits for the customer's approval."""
    return sim.event('provider_create', gateway={'name': name, 'speed_mbps': 1000, 'global': True, 'metered': False,
                                                 'bgp_asn': asn, 'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')}})['id']


def test_approving_a_provider_created_gateway_applies_the_settings_the_action_carries(sim, dl):
    gateway = provider_gateway(sim, 'states-provider-approve', 64978)
    requested = Gateway.from_dict(dl.get_gateway(gateway).get_result())
    assert requested.provider_api_managed and requested.operational_status == 'create_pending'
    assert requested.to_dict()['change_request'] == {'type': 'create_gateway'}

    approved = dl.create_gateway_action(
        gateway, action='create_gateway_approve', global_=False, metered=True, connection_mode='direct',
        default_export_route_filter='deny', default_import_route_filter='deny',
        export_route_filters=[{'action': 'permit', 'prefix': '10.50.0.0/16', 'le': 24}],
        import_route_filters=[{'action': 'deny', 'prefix': '192.168.0.0/16'}],
        as_prepends=[{'length': 3, 'policy': 'export', 'specific_prefixes': ['10.50.0.0/16']}],
        authentication_key={'crn': key_crn('states-md5')}, bfd_config={'interval': 2000, 'multiplier': 10},
        resource_group={'id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90'}).get_result()
    Gateway.from_dict(approved)
    assert 'change_request' not in approved
    assert {key: approved[key] for key in ('global', 'metered', 'default_export_route_filter', 'default_import_route_filter')} == {
        'global': False, 'metered': True, 'default_export_route_filter': 'deny', 'default_import_route_filter': 'deny'}
    assert (approved['authentication_key'], approved['resource_group']) == (
        {'crn': key_crn('states-md5')}, {'id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90'})
    assert (approved['bfd_config']['interval'], approved['as_prepends'][0]['specific_prefixes']) == (2000, ['10.50.0.0/16'])
    exported = dl.list_gateway_export_route_filters(gateway).get_result()['export_route_filters']
    imported = dl.list_gateway_import_route_filters(gateway).get_result()['import_route_filters']
    assert [(f['prefix'], f.get('le')) for f in exported] == [('10.50.0.0/16', 24)] and imported[0]['action'] == 'deny'
    wait_for(lambda: dl.get_gateway(gateway).get_result(), lambda g: g['operational_status'] == 'provisioned')


def test_a_rejected_provider_created_gateway_is_create_rejected(sim, dl):
    gateway = provider_gateway(sim, 'states-provider-reject', 64979)
    assert api_error(lambda: dl.create_gateway_action(gateway, action='create_gateway_reject', metered=True))[0] == 400
    assert api_error(lambda: dl.create_gateway_action(gateway, action='delete_gateway_approve'))[0] == 400
    rejected = dl.create_gateway_action(gateway, action='create_gateway_reject').get_result()
    assert rejected['operational_status'] == 'create_rejected' and 'change_request' not in rejected


def test_provider_updates_and_deletes_are_approved_or_rejected_by_the_customer(sim, dl):
    name = 'states-provider-changes'
    gateway = provider_gateway(sim, name, 64980)
    dl.create_gateway_action(gateway, action='create_gateway_approve')
    wait_for(lambda: dl.get_gateway(gateway).get_result(), lambda g: g['operational_status'] == 'provisioned')

    speed = [{'speed_mbps': 2000}]
    assert sim.event('provider_update', name=name, updates=speed)['change_request'] == {'type': 'update_attributes', 'updates': speed}
    assert Gateway.from_dict(dl.get_gateway(gateway).get_result()).to_dict()['change_request']['updates'] == speed
    assert api_error(lambda: dl.create_gateway_action(gateway, action='update_attributes_reject', updates=[{'speed_mbps': 5000}]))[0] == 400
    kept = dl.create_gateway_action(gateway, action='update_attributes_reject', updates=speed).get_result()
    assert kept['speed_mbps'] == 1000 and 'change_request' not in kept

    asn = [{'bgp_asn': 64981}]
    sim.event('provider_update', name=name, updates=asn)
    changed = dl.create_gateway_action(gateway, action='update_attributes_approve', updates=asn).get_result()
    assert changed['bgp_asn'] == 64981 and 'change_request' not in changed

    sim.event('provider_delete', name=name)
    assert dl.create_gateway_action(gateway, action='delete_gateway_reject').get_result()['operational_status'] == 'provisioned'
    sim.event('provider_delete', name=name)
    assert dl.create_gateway_action(gateway, action='delete_gateway_approve').get_result()['operational_status'] == 'delete_pending'
    wait_for(lambda: status_of(lambda: dl.get_gateway(gateway)), lambda status: status == 404)


def test_events_other_parties_cannot_cause_are_refused(sim):
    for event, settings in (('volcano', {}), ('provider_create', {'gateway': 'fast'}), ('network_deleted', {'network_id': 'vpc-1'}),
                            ('network_deleted', {'network_id': vpc_crn('x', 'us-south'), 'when': 'now'}),
                            ('provider_delete', {'name': 'wdc04-connect-backup'}),
                            ('provider_update', {'name': 'wdc04-connect-backup', 'updates': [{'speed_mbps': 1000}]})):
        with pytest.raises(SimulatorError, match='400'):
            sim.event(event, **settings)


def test_a_gateway_without_a_change_request_takes_no_action(dl):
    gateway = gateway_id(dl, 'wdc04-connect-backup')
    assert api_error(lambda: dl.create_gateway_action(gateway, action='create_gateway_approve')) == (
        400, 'The gateway has no pending create_gateway change request.')


# ---------------------------------------------------------------------------------------------- completion notice, routes
def test_a_rejected_completion_notice_carries_its_reason_until_a_new_one_is_uploaded(sim, dl):
    gateway = dl.create_gateway(dict(MACSEC_GATEWAY, name='states-notice', bgp_asn=64982)).get_result()['id']
    sim.advance(gateway_id=gateway, to='awaiting_completion_notice')
    dl.create_gateway_completion_notice(gateway, upload=io.BytesIO(b'%PDF-1.4 blank'), upload_content_type='application/pdf')
    sim.advance(gateway_id=gateway, to='completion_notice_rejected', reason='The completion notice file was blank')
    rejected = Gateway.from_dict(dl.get_gateway(gateway).get_result())
    assert (rejected.operational_status, rejected.completion_notice_reject_reason) == (
        'completion_notice_rejected', 'The completion notice file was blank')
    dl.create_gateway_completion_notice(gateway, upload=io.BytesIO(b'%PDF-1.4 notice'), upload_content_type='application/pdf')
    received = dl.get_gateway(gateway).get_result()
    assert received['operational_status'] == 'completion_notice_received' and 'completion_notice_reject_reason' not in received


def test_a_route_report_shows_on_prem_routes_overlapping_the_gateway_and_its_connections(sim, dl):
    gateway = new_connect(dl, 'states-overlap', 64983)
    dl.create_gateway_export_route_filter(gateway, 'permit', '192.168.10.0/24')
    vc = dl.create_gateway_virtual_connection(gateway, 'states-overlap-vc', 'vpc', network_id=vpc_crn('overlap', 'us-south')).get_result()
    wait_for(lambda: vc_status(dl, gateway, vc), lambda status: status == 'attached')
    clean = dl.create_gateway_route_report(gateway).get_result()
    assert dl.get_gateway_route_report(gateway, clean['id']).get_result()['overlapping_routes'] == []

    sim.observe(gateway_id=gateway, on_prem_routes=['10.240.0.0/16', '192.168.0.0/16', '172.31.0.0/16'])
    report = RouteReport.from_dict(dl.get_gateway_route_report(gateway, dl.create_gateway_route_report(gateway).get_result()['id'])
                                   .get_result())
    assert [route.prefix for route in report.on_prem_routes] == ['10.240.0.0/16', '192.168.0.0/16', '172.31.0.0/16']
    groups = [group.routes for group in report.overlapping_routes]
    assert groups == [[{'prefix': '10.240.0.0/16', 'type': 'on_prem'},
                       {'prefix': '10.240.0.0/18', 'type': 'virtual_connection', 'virtual_connection_id': vc['id']}],
                      [{'prefix': '192.168.0.0/16', 'type': 'on_prem'}, {'prefix': '192.168.10.0/24', 'type': 'gateway'}]]
    RouteReportOverlappingRouteForConnection.from_dict(groups[0][1])
    RouteReportOverlappingRouteForOthers.from_dict(groups[1][1])
