"""The Direct Link v1 operations: one handler per operation, routed by method and path template.

Each handler takes ``(sim, request, account, **path_params)`` and returns ``(status, body, headers)``; body is a
dict (sent as JSON), bytes (sent as PDF) or None (no content).  Errors are raised as ``ApiError``.
"""

import ipaddress
import re
import urllib.parse
import uuid

from dlsim.errors import ApiError, bad_request, not_found
from dlsim.state import DEFAULT_ON_PREM_ROUTES, FILTER_KINDS, MACSEC_SETTINGS, check_macsec_settings, etag_of, now_iso

PDF = b'%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
PAGE_LIMIT_DEFAULT = 100
OFFERING_TYPES = ('connect', 'dedicated')


def _gateway_list(sim, request, account):
    return 200, {'gateways': [sim.state.render_gateway(g, account) for g in sim.state.visible(account)]}, {}


def _gateway_create(sim, request, account):
    gateway = sim.state.create_gateway(account, request.json())
    return 201, sim.state.render_gateway(gateway, account), {}


def _gateway_get(sim, request, account, id):  # pylint: disable=redefined-builtin
    return 200, sim.state.render_gateway(sim.state.gateway(account, id, own=False), account), {}


def _gateway_update(sim, request, account, id):  # pylint: disable=redefined-builtin
    return 200, sim.state.render_gateway(sim.state.update_gateway(account, id, request.json()), account), {}


def _gateway_delete(sim, request, account, id):  # pylint: disable=redefined-builtin
    sim.state.delete_gateway(account, id)
    return 204, None, {}


def _gateway_action(sim, request, account, id):  # pylint: disable=redefined-builtin
    return 200, sim.state.render_gateway(sim.state.gateway_action(account, id, request.json()), account), {}


def _document_get(flag):
    """A handler for a gateway's PDF document (completion notice, LOA): 404 until ``flag`` is set on the gateway."""
    def handler(sim, request, account, id):  # pylint: disable=redefined-builtin
        if not sim.state.gateway(account, id).get(flag):
            raise not_found('Please check whether the resource you are requesting exists.')
        return 200, PDF, {}
    return handler


def _completion_notice_put(sim, request, account, id):  # pylint: disable=redefined-builtin
    gateway = sim.state.gateway(account, id)
    if gateway['type'] != 'dedicated' or gateway['operational_status'] not in ('awaiting_completion_notice',
                                                                               'completion_notice_rejected'):
        raise ApiError(412, 'invalid_state', 'Invalid gateway status to upload completion notice.')
    gateway['_completion_notice'] = True
    gateway['operational_status'] = 'completion_notice_received'
    gateway.pop('completion_notice_reject_reason', None)
    return 204, None, {}


def _statistics_get(sim, request, account, id):  # pylint: disable=redefined-builtin
    gateway = sim.state.gateway(account, id)
    kind = request.query.get('type')
    kinds = ('macsec_mka_session', 'macsec_policy', 'macsec_mka_statistics', 'bfd_session')
    if kind not in kinds:
        raise bad_request(f"Invalid or missing 'type': expected one of {', '.join(kinds)}.", 'invalid_field')
    if kind.startswith('macsec') and not gateway.get('macsec_config'):
        raise bad_request('MACsec is not configured on the gateway.', 'invalid_state')
    return 200, {'statistics': [{'created_at': now_iso(), 'data': f'{kind} statistics for {gateway["name"]}',
                                 'type': kind}]}, {}


def _status_get(sim, request, account, id):  # pylint: disable=redefined-builtin
    gateway = sim.state.gateway(account, id)
    kind = request.query.get('type')
    if kind is not None and kind not in ('bgp', 'bfd', 'link'):
        raise bad_request("Invalid 'type': expected bgp, bfd or link.", 'invalid_field')
    items = [{'type': 'bgp', 'updated_at': gateway['bgp_status_updated_at'], 'value': gateway['bgp_status']}]
    bfd = gateway.get('bfd_config')
    items.append({'type': 'bfd', 'updated_at': (bfd or {}).get('bfd_status_updated_at', gateway['created_at']),
                  'value': bfd['bfd_status'] if bfd else 'not_available'})
    if gateway['type'] == 'dedicated':
        items.append({'type': 'link', 'updated_at': gateway['link_status_updated_at'], 'value': gateway['link_status']})
    return 200, {'status': [item for item in items if kind in (None, item['type'])]}, {}


def _prepends_list(sim, request, account, gateway_id):
    prepends = sim.state.gateway(account, gateway_id)['as_prepends']
    return 200, {'as_prepends': prepends}, {'ETag': etag_of(prepends)}


def _check_if_match(request, current):
    supplied = request.headers.get('If-Match')
    if supplied is None:
        raise ApiError(428, 'precondition_required', 'The If-Match header is required.')
    if supplied != '*' and supplied != etag_of(current):
        raise ApiError(412, 'precondition_failed', 'The If-Match value does not match the current ETag of the resource.')


def _prepends_replace(sim, request, account, gateway_id):
    gateway = sim.state.gateway(account, gateway_id)
    _check_if_match(request, gateway['as_prepends'])
    body = request.json()
    prepends = sim.state.replace_prepends(account, gateway_id, (body or {}).get('as_prepends', []))
    return 201, {'as_prepends': prepends}, {'ETag': etag_of(prepends)}


def _filter_handlers(kind):
    """The six route filter operations for ``export`` or ``import``."""
    key = f'{kind}_route_filters'

    def listing(sim, request, account, gateway_id):
        filters = sim.state.filters(account, gateway_id, kind)
        return 200, {key: sim.state.render_filters(filters)}, {'ETag': etag_of(filters)}

    def create(sim, request, account, gateway_id):
        item = sim.state.create_filter(account, gateway_id, kind, request.json())
        return 201, _rendered(sim, account, gateway_id, item['id']), {}

    def replace(sim, request, account, gateway_id):
        _check_if_match(request, sim.state.filters(account, gateway_id, kind))
        filters = sim.state.replace_filters(account, gateway_id, kind, (request.json() or {}).get(key, []))
        return 201, {key: sim.state.render_filters(filters)}, {'ETag': etag_of(filters)}

    def get(sim, request, account, gateway_id, id):  # pylint: disable=redefined-builtin
        sim.state.route_filter(account, gateway_id, kind, id)
        return 200, _rendered(sim, account, gateway_id, id), {}

    def update(sim, request, account, gateway_id, id):  # pylint: disable=redefined-builtin
        sim.state.update_filter(account, gateway_id, kind, id, request.json())
        return 200, _rendered(sim, account, gateway_id, id), {}

    def delete(sim, request, account, gateway_id, id):  # pylint: disable=redefined-builtin
        sim.state.delete_filter(account, gateway_id, kind, id)
        return 204, None, {}

    def _rendered(sim, account, gateway_id, filter_id):
        for item in sim.state.render_filters(sim.state.filters(account, gateway_id, kind)):
            if item['id'] == filter_id:
                return item
        raise not_found('Cannot find Route Filter')

    return listing, create, replace, get, update, delete


def _public(record):
    """A MACsec or CAK record without the simulator's internal (``_``-prefixed) fields."""
    return {key: value for key, value in record.items() if not key.startswith('_')}


def _macsec_view(gateway):
    return _public(gateway['macsec_config'])


def _macsec_answer(status, gateway):
    """A MACsec configuration with its ETag (what a PUT replacing it must send as If-Match)."""
    view = _macsec_view(gateway)
    return status, view, {'ETag': etag_of(view)}


def _macsec_get(sim, request, account, id):  # pylint: disable=redefined-builtin
    return _macsec_answer(200, sim.state.macsec(account, id))


def _macsec_set(sim, request, account, id):  # pylint: disable=redefined-builtin
    gateway = sim.state.gateway(account, id)
    if gateway.get('macsec_config'):  # replacing an existing configuration: If-Match is required (428/412)
        _check_if_match(request, _macsec_view(gateway))
    return _macsec_answer(200, sim.state.set_macsec(account, id, request.json()))


def _macsec_update(sim, request, account, id):  # pylint: disable=redefined-builtin
    gateway = sim.state.macsec(account, id)
    patch = request.json()
    if not isinstance(patch, dict) or set(patch) - set(MACSEC_SETTINGS):
        raise bad_request('Only active, sak_rekey, security_policy and window_size can be updated.', 'invalid_field')
    check_macsec_settings(patch)
    gateway['macsec_config'].update({key: dict(value) if key == 'sak_rekey' else value for key, value in patch.items()})
    gateway['macsec_config']['updated_at'] = now_iso()
    return _macsec_answer(200, gateway)


def _macsec_unset(sim, request, account, id):  # pylint: disable=redefined-builtin
    gateway = sim.state.macsec(account, id)
    gateway.pop('macsec_config')
    gateway.pop('macsec_caks', None)
    return 204, None, {}


def _caks_list(sim, request, account, id):  # pylint: disable=redefined-builtin
    return 200, {'caks': [_public(cak) for cak in sim.state.macsec(account, id)['macsec_caks']]}, {}


def _cak_create(sim, request, account, id):  # pylint: disable=redefined-builtin
    return 201, _public(sim.state.create_cak(account, id, request.json())), {}


def _cak_get(sim, request, account, id, cak_id):  # pylint: disable=redefined-builtin
    return 200, _public(sim.state.cak(account, id, cak_id)), {}


def _cak_update(sim, request, account, id, cak_id):  # pylint: disable=redefined-builtin
    return 200, _public(sim.state.update_cak(account, id, cak_id, request.json())), {}


def _cak_delete(sim, request, account, id, cak_id):  # pylint: disable=redefined-builtin
    sim.state.delete_cak(account, id, cak_id)
    return 204, None, {}


def _reports(sim, account, gateway_id):
    sim.state.gateway(account, gateway_id)
    return sim.state.doc['route_reports'].setdefault(gateway_id, [])


def _overlapping_routes(on_prem_routes, gateway_routes, vc_routes):
    """Groups of overlapping routes: each on-prem route with the gateway and virtual connection routes it overlaps."""
    groups = []
    for route in on_prem_routes:
        network = ipaddress.ip_network(route['prefix'])
        others = [{'prefix': item['prefix'], 'type': 'gateway'} for item in gateway_routes
                  if network.overlaps(ipaddress.ip_network(item['prefix']))]
        others += [{'prefix': item['prefix'], 'type': 'virtual_connection', 'virtual_connection_id': group['virtual_connection_id']}
                   for group in vc_routes for item in group['routes'] if network.overlaps(ipaddress.ip_network(item['prefix']))]
        if others:
            groups.append({'routes': [{'prefix': route['prefix'], 'type': 'on_prem'}] + others})
    return groups


def _complete_report(sim, account, gateway_id, report):
    """A pending report completes when read: the gateway's routes, the on-prem routes its BGP peer advertises
    (``/_sim/set on_prem_routes``) and the routes of each virtual connection, with the overlaps among them."""
    if report['status'] == 'pending':
        gateway = sim.state.gateway(account, gateway_id)
        next_hop = gateway['bgp_cer_cidr'].split('/')[0]
        on_prem = [{'as_path': str(gateway['bgp_asn']), 'next_hop': next_hop, 'prefix': prefix}
                   for prefix in gateway.get('_on_prem_routes', DEFAULT_ON_PREM_ROUTES)]
        gateway_routes = [{'prefix': item['prefix']} for item in gateway['export_route_filters']]
        vc_routes = [{'routes': [{'active': True, 'local_preference': '200', 'prefix': '10.240.0.0/18'}],
                      'virtual_connection_id': vc['id'], 'virtual_connection_name': vc['name'],
                      'virtual_connection_type': vc['type']}
                     for vc in gateway['virtual_connections'] if vc['status'] == 'attached']
        report.update({
            'status': 'complete', 'updated_at': now_iso(sim.state.now()), 'gateway_routes': gateway_routes,
            'on_prem_routes': on_prem, 'virtual_connection_routes': vc_routes,
            'overlapping_routes': _overlapping_routes(on_prem, gateway_routes, vc_routes),
            'advertised_routes': [{'as_path': f"{gateway['bgp_ibm_asn']}", 'prefix': '10.240.0.0/18'}],
        })
    return report


def _report_list(sim, request, account, gateway_id):
    reports = _reports(sim, account, gateway_id)
    return 200, {'route_reports': [_complete_report(sim, account, gateway_id, r) for r in reports]}, {}


def _report_create(sim, request, account, gateway_id):
    reports = _reports(sim, account, gateway_id)
    pending = [r for r in reports if r['status'] == 'pending']
    if pending:
        return 202, pending[0], {}
    report = {'created_at': now_iso(), 'id': str(uuid.uuid4()), 'status': 'pending', 'gateway_routes': [],
              'on_prem_routes': [], 'overlapping_routes': [], 'virtual_connection_routes': []}
    reports.append(report)
    return 202, dict(report), {}


def _report_find(sim, account, gateway_id, report_id):
    for report in _reports(sim, account, gateway_id):
        if report['id'] == report_id:
            return report
    raise not_found('Cannot find Route Report')


def _report_get(sim, request, account, gateway_id, id):  # pylint: disable=redefined-builtin
    return 200, _complete_report(sim, account, gateway_id, _report_find(sim, account, gateway_id, id)), {}


def _report_delete(sim, request, account, gateway_id, id):  # pylint: disable=redefined-builtin
    _reports(sim, account, gateway_id).remove(_report_find(sim, account, gateway_id, id))
    return 204, None, {}


def _vc_list(sim, request, account, gateway_id):
    gateway = sim.state.gateway(account, gateway_id, own=False)
    vcs = gateway['virtual_connections']
    if gateway['_account'] != account:
        vcs = [vc for vc in vcs if vc.get('network_account') == account]
    return 200, {'virtual_connections': [sim.state.render_vc(vc) for vc in vcs]}, {}


def _vc_create(sim, request, account, gateway_id):
    return 201, sim.state.render_vc(sim.state.create_vc(account, gateway_id, request.json())), {}


def _vc_get(sim, request, account, gateway_id, id):  # pylint: disable=redefined-builtin
    return 200, sim.state.render_vc(sim.state.vc(account, gateway_id, id)), {}


def _vc_update(sim, request, account, gateway_id, id):  # pylint: disable=redefined-builtin
    return 200, sim.state.render_vc(sim.state.update_vc(account, gateway_id, id, request.json())), {}


def _vc_delete(sim, request, account, gateway_id, id):  # pylint: disable=redefined-builtin
    sim.state.delete_vc(account, gateway_id, id)
    return 204, None, {}


def _offering(offering_type):
    if offering_type not in OFFERING_TYPES:
        raise not_found(f'offering_type_location: {offering_type}')
    return offering_type


def _locations_list(sim, request, account, offering_type):
    return 200, {'locations': sim.state.catalog()['locations'][_offering(offering_type)]}, {}


def _routers_list(sim, request, account, offering_type, location_name):
    if offering_type == 'connect':
        raise bad_request('The supplied OfferingType is not supported for this call')
    if offering_type != 'dedicated':
        raise bad_request('Invalid Direct Link Offering Type.')
    location = sim.state.location('dedicated', location_name)
    if location is None:
        raise not_found(f'Classic Location not found: {location_name}')
    return 200, {'cross_connect_routers': sim.state.catalog()['routers'].get(location['name'], [])}, {}


def _speeds_list(sim, request, account, offering_type):
    if offering_type not in OFFERING_TYPES:
        raise not_found('Cannot find OfferingType')
    return 200, {'speeds': sim.state.catalog()['speeds'][offering_type]}, {}


def _ports_list(sim, request, account):
    ports = sim.state.catalog()['ports']
    location = request.query.get('location_name')
    if location:
        ports = [port for port in ports if location in (port['location_name'], port['location_display_name'])]
    try:
        limit = int(request.query.get('limit', PAGE_LIMIT_DEFAULT))
    except ValueError as exc:
        raise bad_request("Invalid 'limit': expected an integer between 1 and 100.") from exc
    if not 1 <= limit <= 100:
        raise bad_request("Invalid 'limit': expected an integer between 1 and 100.")
    start = request.query.get('start')
    offset = 0
    if start:
        offsets = [index for index, port in enumerate(ports) if port['id'].replace('-', '') == start]
        if not offsets:
            raise bad_request(f"Invalid 'start': {start}.")
        offset = offsets[0]
    base = request.base_url + '/v1/ports'
    suffix = f'&location_name={location}' if location else ''
    body = {'first': {'href': f'{base}?limit={limit}{suffix}'}, 'limit': limit, 'total_count': len(ports),
            'ports': ports[offset:offset + limit]}
    if offset + limit < len(ports):
        token = ports[offset + limit]['id'].replace('-', '')
        body['next'] = {'href': f'{base}?start={token}&limit={limit}{suffix}', 'start': token}
    return 200, body, {}


def _port_get(sim, request, account, id):  # pylint: disable=redefined-builtin
    return 200, sim.state.port(id), {}


def _routes():
    export_handlers, import_handlers = _filter_handlers('export'), _filter_handlers('import')
    table = [
        ('GET', '/gateways', 'list_gateways', _gateway_list),
        ('POST', '/gateways', 'create_gateway', _gateway_create),
        ('GET', '/gateways/{id}', 'get_gateway', _gateway_get),
        ('PATCH', '/gateways/{id}', 'update_gateway', _gateway_update),
        ('DELETE', '/gateways/{id}', 'delete_gateway', _gateway_delete),
        ('POST', '/gateways/{id}/actions', 'create_gateway_action', _gateway_action),
        ('GET', '/gateways/{id}/completion_notice', 'list_gateway_completion_notice', _document_get('_completion_notice')),
        ('PUT', '/gateways/{id}/completion_notice', 'create_gateway_completion_notice', _completion_notice_put),
        ('GET', '/gateways/{id}/letter_of_authorization', 'list_gateway_letter_of_authorization', _document_get('_loa')),
        ('GET', '/gateways/{id}/statistics', 'get_gateway_statistics', _statistics_get),
        ('GET', '/gateways/{id}/status', 'get_gateway_status', _status_get),
        ('GET', '/gateways/{gateway_id}/as_prepends', 'list_gateway_as_prepends', _prepends_list),
        ('PUT', '/gateways/{gateway_id}/as_prepends', 'replace_gateway_as_prepends', _prepends_replace),
        ('GET', '/gateways/{id}/macsec', 'get_gateway_macsec', _macsec_get),
        ('PUT', '/gateways/{id}/macsec', 'set_gateway_macsec', _macsec_set),
        ('PATCH', '/gateways/{id}/macsec', 'update_gateway_macsec', _macsec_update),
        ('DELETE', '/gateways/{id}/macsec', 'unset_gateway_macsec', _macsec_unset),
        ('GET', '/gateways/{id}/macsec/caks', 'list_gateway_macsec_caks', _caks_list),
        ('POST', '/gateways/{id}/macsec/caks', 'create_gateway_macsec_cak', _cak_create),
        ('GET', '/gateways/{id}/macsec/caks/{cak_id}', 'get_gateway_macsec_cak', _cak_get),
        ('PATCH', '/gateways/{id}/macsec/caks/{cak_id}', 'update_gateway_macsec_cak', _cak_update),
        ('DELETE', '/gateways/{id}/macsec/caks/{cak_id}', 'delete_gateway_macsec_cak', _cak_delete),
        ('GET', '/gateways/{gateway_id}/route_reports', 'list_gateway_route_reports', _report_list),
        ('POST', '/gateways/{gateway_id}/route_reports', 'create_gateway_route_report', _report_create),
        ('GET', '/gateways/{gateway_id}/route_reports/{id}', 'get_gateway_route_report', _report_get),
        ('DELETE', '/gateways/{gateway_id}/route_reports/{id}', 'delete_gateway_route_report', _report_delete),
        ('GET', '/gateways/{gateway_id}/virtual_connections', 'list_gateway_virtual_connections', _vc_list),
        ('POST', '/gateways/{gateway_id}/virtual_connections', 'create_gateway_virtual_connection', _vc_create),
        ('GET', '/gateways/{gateway_id}/virtual_connections/{id}', 'get_gateway_virtual_connection', _vc_get),
        ('PATCH', '/gateways/{gateway_id}/virtual_connections/{id}', 'update_gateway_virtual_connection', _vc_update),
        ('DELETE', '/gateways/{gateway_id}/virtual_connections/{id}', 'delete_gateway_virtual_connection', _vc_delete),
        ('GET', '/offering_types/{offering_type}/locations', 'list_offering_type_locations', _locations_list),
        ('GET', '/offering_types/{offering_type}/locations/{location_name}/cross_connect_routers',
         'list_offering_type_location_cross_connect_routers', _routers_list),
        ('GET', '/offering_types/{offering_type}/speeds', 'list_offering_type_speeds', _speeds_list),
        ('GET', '/ports', 'list_ports', _ports_list),
        ('GET', '/ports/{id}', 'get_port', _port_get),
    ]
    for kind, handlers in zip(FILTER_KINDS, (export_handlers, import_handlers)):
        listing, create, replace, get, update, delete = handlers
        base = f'/gateways/{{gateway_id}}/{kind}_route_filters'
        table += [
            ('GET', base, f'list_gateway_{kind}_route_filters', listing),
            ('POST', base, f'create_gateway_{kind}_route_filter', create),
            ('PUT', base, f'replace_gateway_{kind}_route_filters', replace),
            ('GET', base + '/{id}', f'get_gateway_{kind}_route_filter', get),
            ('PATCH', base + '/{id}', f'update_gateway_{kind}_route_filter', update),
            ('DELETE', base + '/{id}', f'delete_gateway_{kind}_route_filter', delete),
        ]
    return compile_routes(table)


def compile_routes(table):
    """A route table of (method, path template under /v1, operation, handler) as (method, pattern, template,
    operation, handler), the template's ``{name}`` parts matching one path segment each."""
    compiled = []
    for method, template, operation, handler in table:
        pattern = '^/v1' + re.sub(r'\{(\w+)\}', r'(?P<\1>[^/]+)', template) + '$'
        compiled.append((method, re.compile(pattern), '/v1' + template, operation, handler))
    return compiled


ROUTES = _routes()


def match(method, path, routes=None, service='Direct Link'):
    """Return (path template, operation, handler, params) for a request to ``routes`` (default: the Direct Link
    ones), or raise 404/405."""
    allowed = []
    for route_method, pattern, template, operation, handler in ROUTES if routes is None else routes:
        found = pattern.match(path)
        if found:
            if route_method == method:
                return template, operation, handler, {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()}
            allowed.append(route_method)
    if allowed:
        raise ApiError(405, 'method_not_allowed', f"Method {method} is not allowed on {path}; allowed: {', '.join(allowed)}.",
                       {'Allow': ', '.join(allowed)})
    raise not_found(f'No {service} operation at {path}.', 'not_found')
