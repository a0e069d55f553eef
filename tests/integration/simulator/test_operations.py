"""Every Direct Link operation, driven through the unmodified SDK and parsed with the SDK's own model classes."""

import io

from ibm_cloud_networking_services.direct_link_v1 import (
    AsPrependCollection,
    ExportRouteFilterCollection,
    Gateway,
    GatewayCollection,
    GatewayMacsec,
    GatewayMacsecCak,
    GatewayMacsecCakCollection,
    GatewayStatisticCollection,
    GatewayStatusCollection,
    GatewayVirtualConnection,
    GatewayVirtualConnectionCollection,
    ImportRouteFilterCollection,
    LocationCollection,
    LocationCrossConnectRouterCollection,
    OfferingSpeedCollection,
    Port,
    PortCollection,
    PortsPager,
    RouteFilter,
    RouteReport,
    RouteReportCollection,
)

import sdk_spec
from dlsim.catalog import port_id
from dlsim.seeds import key_crn, vpc_crn

CONNECT_TEMPLATE = {
    'name': 'ops-connect', 'type': 'connect', 'speed_mbps': 1000, 'global': True, 'metered': False, 'bgp_asn': 64990,
    'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')},
    'export_route_filters': [{'action': 'permit', 'prefix': '10.1.0.0/16'}],
    'as_prepends': [{'length': 3, 'policy': 'import', 'specific_prefixes': ['10.1.0.0/16']}],
}
DEDICATED_TEMPLATE = {
    'name': 'ops-dedicated', 'type': 'dedicated', 'speed_mbps': 10000, 'global': True, 'metered': False,
    'bgp_asn': 64991, 'location_name': 'dal12', 'cross_connect_router': 'xcr01.dal12', 'carrier_name': 'carrier',
    'customer_name': 'customer', 'vlan': 42, 'macsec_capability': 'macsec',
    'macsec': {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
               'caks': [{'key': {'crn': key_crn('ops-primary')}, 'name': 'AA', 'session': 'primary'}]},
}
USED = set()


def call(method, *args, **kwargs):
    """Call an SDK method, remember which operation ran, return the result."""
    USED.add(method.__name__)
    return method(*args, **kwargs)


def provisioned(dl, sim, gateway_id):
    """Wait (with a deadline) for a connect gateway to be provisioned."""
    import time  # pylint: disable=import-outside-toplevel
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if dl.get_gateway(gateway_id).get_result()['operational_status'] == 'provisioned':
            return
        time.sleep(0.05)
    raise AssertionError('gateway was not provisioned in time')


def test_every_operation_through_the_sdk(sim, dl):
    # Gateways: list (with a cross-account gateway), create both templates, get, update, status, statistics.
    listing = call(dl.list_gateways).get_result()
    GatewayCollection.from_dict(listing)
    assert any(gateway['cross_account'] for gateway in listing['gateways'])
    connect = call(dl.create_gateway, CONNECT_TEMPLATE).get_result()
    Gateway.from_dict(connect)
    assert connect['operational_status'] == 'create_pending'
    dedicated = call(dl.create_gateway, DEDICATED_TEMPLATE).get_result()
    Gateway.from_dict(dedicated)
    assert dedicated['operational_status'] == 'awaiting_loa' and dedicated['macsec']['active']
    Gateway.from_dict(call(dl.get_gateway, connect['id']).get_result())
    provisioned(dl, sim, connect['id'])
    updated = call(dl.update_gateway, connect['id'], {'speed_mbps': 2000, 'metered': True}).get_result()
    assert Gateway.from_dict(updated).speed_mbps == 2000
    GatewayStatusCollection.from_dict(call(dl.get_gateway_status, connect['id'], type='bgp').get_result())
    GatewayStatisticCollection.from_dict(call(dl.get_gateway_statistics, dedicated['id'], 'macsec_policy').get_result())

    # AS prepends with ETag / If-Match.
    response = call(dl.list_gateway_as_prepends, connect['id'])
    AsPrependCollection.from_dict(response.get_result())
    replaced = call(dl.replace_gateway_as_prepends, connect['id'], response.get_headers()['ETag'],
                    as_prepends=[{'length': 4, 'policy': 'export'}]).get_result()
    assert AsPrependCollection.from_dict(replaced).as_prepends[0].length == 4

    # Export and import route filters: list, create (ordered), get, update, replace, delete.
    for kind, collection in (('export', ExportRouteFilterCollection), ('import', ImportRouteFilterCollection)):
        listing = call(getattr(dl, f'list_gateway_{kind}_route_filters'), connect['id'])
        collection.from_dict(listing.get_result())
        created = call(getattr(dl, f'create_gateway_{kind}_route_filter'), connect['id'], 'deny', '192.168.0.0/16',
                       ge=20, le=28).get_result()
        RouteFilter.from_dict(created)
        first = call(getattr(dl, f'create_gateway_{kind}_route_filter'), connect['id'], 'permit', '172.16.0.0/12',
                     before=created['id']).get_result()
        assert first['before'] == created['id']
        RouteFilter.from_dict(call(getattr(dl, f'get_gateway_{kind}_route_filter'), connect['id'], created['id']).get_result())
        RouteFilter.from_dict(call(getattr(dl, f'update_gateway_{kind}_route_filter'), connect['id'], created['id'],
                                   {'action': 'permit', 'ge': 0}).get_result())
        call(getattr(dl, f'delete_gateway_{kind}_route_filter'), connect['id'], first['id'])
        etag = getattr(dl, f'list_gateway_{kind}_route_filters')(connect['id']).get_headers()['ETag']
        replaced = call(getattr(dl, f'replace_gateway_{kind}_route_filters'), connect['id'], etag,
                        **{f'{kind}_route_filters': [{'action': 'deny', 'prefix': '10.9.0.0/16'}]}).get_result()
        assert [item['prefix'] for item in collection.from_dict(replaced).to_dict()[f'{kind}_route_filters']] == ['10.9.0.0/16']

    # MACsec and CAKs on the dedicated gateway.
    GatewayMacsec.from_dict(call(dl.get_gateway_macsec, dedicated['id']).get_result())
    GatewayMacsec.from_dict(call(dl.update_gateway_macsec, dedicated['id'], {'window_size': 1024}).get_result())
    cak = call(dl.create_gateway_macsec_cak, dedicated['id'], {'crn': key_crn('ops-fallback')}, 'BB', 'fallback').get_result()
    GatewayMacsecCak.from_dict(cak)
    GatewayMacsecCakCollection.from_dict(call(dl.list_gateway_macsec_caks, dedicated['id']).get_result())
    GatewayMacsecCak.from_dict(call(dl.get_gateway_macsec_cak, dedicated['id'], cak['id']).get_result())
    GatewayMacsecCak.from_dict(call(dl.update_gateway_macsec_cak, dedicated['id'], cak['id'],
                                    {'key': {'crn': key_crn('ops-rotated')}, 'name': 'CC'}).get_result())
    call(dl.delete_gateway_macsec_cak, dedicated['id'], cak['id'])
    GatewayMacsec.from_dict(call(dl.set_gateway_macsec, dedicated['id'], True,
                                 [{'key': {'crn': key_crn('ops-new')}, 'name': 'DD', 'session': 'primary'}],
                                 {'mode': 'packet_number_rollover'}, 'should_secure',
                                 if_match=call(dl.get_gateway_macsec, dedicated['id']).get_headers()['ETag']).get_result())
    call(dl.unset_gateway_macsec, dedicated['id'])

    # Dedicated lifecycle documents: LOA, LOA acceptance, completion notice.
    sim.advance(gateway_id=dedicated['id'])
    assert call(dl.list_gateway_letter_of_authorization, dedicated['id']).get_result().content.startswith(b'%PDF')
    call(dl.update_gateway, dedicated['id'], {'operational_status': 'loa_accepted'})
    sim.advance(gateway_id=dedicated['id'], to='awaiting_completion_notice')
    call(dl.create_gateway_completion_notice, dedicated['id'], upload=io.BytesIO(b'%PDF-1.4 notice'),
         upload_content_type='application/pdf')
    assert call(dl.list_gateway_completion_notice, dedicated['id']).get_result().content.startswith(b'%PDF')

    # Virtual connections.
    vc = call(dl.create_gateway_virtual_connection, connect['id'], 'ops-vc', 'vpc',
              network_id=vpc_crn('ops', 'us-south')).get_result()
    GatewayVirtualConnection.from_dict(vc)
    GatewayVirtualConnectionCollection.from_dict(call(dl.list_gateway_virtual_connections, connect['id']).get_result())
    GatewayVirtualConnection.from_dict(call(dl.get_gateway_virtual_connection, connect['id'], vc['id']).get_result())
    renamed = call(dl.update_gateway_virtual_connection, connect['id'], vc['id'], {'name': 'ops-vc-2'}).get_result()
    assert GatewayVirtualConnection.from_dict(renamed).name == 'ops-vc-2'

    # Route reports.
    report = call(dl.create_gateway_route_report, connect['id']).get_result()
    RouteReport.from_dict(report)
    RouteReportCollection.from_dict(call(dl.list_gateway_route_reports, connect['id']).get_result())
    assert RouteReport.from_dict(call(dl.get_gateway_route_report, connect['id'], report['id']).get_result()).status == 'complete'
    call(dl.delete_gateway_route_report, connect['id'], report['id'])

    # Offering catalog and ports (PortsPager walks every page).
    LocationCollection.from_dict(call(dl.list_offering_type_locations, 'dedicated').get_result())
    LocationCrossConnectRouterCollection.from_dict(
        call(dl.list_offering_type_location_cross_connect_routers, 'dedicated', 'Dallas 12').get_result())
    OfferingSpeedCollection.from_dict(call(dl.list_offering_type_speeds, 'connect').get_result())
    page = call(dl.list_ports, limit=3).get_result()
    assert PortCollection.from_dict(page).next.start
    ports = PortsPager(client=dl, limit=3).get_all()
    assert len(ports) == page['total_count'] and len({port['id'] for port in ports}) == len(ports)
    Port.from_dict(call(dl.get_port, ports[0]['id']).get_result())

    # Deletes, then the gateway action on a provider-created gateway.
    call(dl.delete_gateway_virtual_connection, connect['id'], vc['id'])
    requested = sim.event('provider_create', gateway={'name': 'ops-provider', 'speed_mbps': 1000, 'global': True, 'metered': False,
                                                      'bgp_asn': 64992, 'port': {'id': port_id('dal12', 'EQUINIX', 'PRI')}})
    approved = call(dl.create_gateway_action, requested['id'], action='create_gateway_approve', metered=True).get_result()
    assert Gateway.from_dict(approved).metered and 'change_request' not in approved
    call(dl.delete_gateway, dedicated['id'])

    # Counted against the installed SDK's operations, never against the simulator's own route table.
    missing = sorted({operation.name for operation in sdk_spec.sdk_operations()} - USED)
    assert not missing, f'SDK operations this test never called: {missing}'
