"""The Transit Gateway operations the simulator serves (a subset of ``TransitGatewayApisV1``): one handler per
operation, routed by method and path template like the Direct Link ones (api.py), on the same server under /v1.

Each handler takes ``(sim, request, account, **path_params)`` and returns ``(status, body, headers)``; the rules are
transit.py's.  Unknown ids of every kind are 404, as the Transit Gateway service answers (a malformed id too: it has
no ``invalid_id`` of its own).  Lists page with ``limit`` (1-100, default 50) and ``start``, the token of the
``next`` page.
"""

import urllib.parse

from dlsim.api import compile_routes
from dlsim.errors import TransitError

PAGE_LIMIT_DEFAULT = 50
PAGE_LIMIT_MAX = 100


def _start_token(view):
    """The opaque ``start`` token of the page that begins with ``view``."""
    return view['id'].replace('-', '')


def _page(request, views, path, key, filters=None):
    """One page of ``views`` as the SDK's collections have it: ``first``, ``limit``, the page under ``key`` and, but
    on the last page, ``next`` (``href`` and ``start``); ``filters``: the query parameters the hrefs repeat."""
    try:
        limit = int(request.query.get('limit', PAGE_LIMIT_DEFAULT))
    except ValueError:
        limit = 0
    if not 1 <= limit <= PAGE_LIMIT_MAX:
        raise TransitError(400, 'invalid_field_value', f"Invalid 'limit': an integer from 1 to {PAGE_LIMIT_MAX}.", 'limit')
    start = request.query.get('start')
    offset = 0
    if start:
        offset = next((index for index, view in enumerate(views) if _start_token(view) == start), None)
        if offset is None:
            raise TransitError(400, 'invalid_field_value', f"Invalid 'start': {start}.", 'start')
    repeated = ''.join(f'&{name}={urllib.parse.quote(value)}' for name, value in (filters or {}).items() if value is not None)
    base = f'{request.base_url}/v1{path}'
    body = {'first': {'href': f'{base}?limit={limit}{repeated}'}, 'limit': limit, key: views[offset:offset + limit]}
    if offset + limit < len(views):
        token = _start_token(views[offset + limit])
        body['next'] = {'href': f'{base}?start={token}&limit={limit}{repeated}', 'start': token}
    return body


# ---------------------------------------------------------------------------------------------- transit gateways
def _gateway_list(sim, request, account):
    group = request.query.get('redundancy_group')
    views = [sim.transit.render_gateway(gateway) for gateway in sim.transit.visible(account)
             if group is None or gateway.get('redundancy_group') == group]
    return 200, _page(request, views, '/transit_gateways', 'transit_gateways', {'redundancy_group': group}), {}


def _gateway_create(sim, request, account):
    return 201, sim.transit.render_gateway(sim.transit.create_gateway(account, request.json())), {}


def _gateway_get(sim, request, account, id):  # pylint: disable=redefined-builtin
    return 200, sim.transit.render_gateway(sim.transit.gateway(account, id, own=False)), {}


def _gateway_update(sim, request, account, id):  # pylint: disable=redefined-builtin
    return 200, sim.transit.render_gateway(sim.transit.update_gateway(account, id, request.json())), {}


def _gateway_delete(sim, request, account, id):  # pylint: disable=redefined-builtin
    sim.transit.delete_gateway(account, id)
    return 204, None, {}


# ---------------------------------------------------------------------------------------------- connections
def _account_connections(sim, request, account):
    """GET /connections: the account's connections of every transit gateway, filtered by network."""
    wanted = {name: request.query.get(name) for name in ('network_id', 'network_type')}
    views = [sim.transit.render_connection(connection, gateway) for gateway, connection in sim.transit.connections(account)
             if all(value is None or connection.get(name) == value for name, value in wanted.items())]
    return 200, _page(request, views, '/connections', 'connections', wanted), {}


def _connection_list(sim, request, account, transit_gateway_id):
    gateway = sim.transit.gateway(account, transit_gateway_id, own=False)
    name = request.query.get('name')
    views = [sim.transit.render_connection(connection) for connection in gateway['connections']
             if name is None or connection['name'] == name]
    body = _page(request, views, f'/transit_gateways/{transit_gateway_id}/connections', 'connections', {'name': name})
    return 200, dict(body, total_count=len(views)), {}


def _connection_create(sim, request, account, transit_gateway_id):
    connection = sim.transit.create_connection(account, transit_gateway_id, request.json())
    return 201, sim.transit.render_connection(connection), {}


def _connection_get(sim, request, account, transit_gateway_id, id):  # pylint: disable=redefined-builtin
    return 200, sim.transit.render_connection(sim.transit.connection(account, transit_gateway_id, id)[1]), {}


def _connection_update(sim, request, account, transit_gateway_id, id):  # pylint: disable=redefined-builtin
    connection = sim.transit.update_connection(account, transit_gateway_id, id, request.json())
    return 200, sim.transit.render_connection(connection), {}


def _connection_delete(sim, request, account, transit_gateway_id, id):  # pylint: disable=redefined-builtin
    sim.transit.delete_connection(account, transit_gateway_id, id)
    return 204, None, {}


def _connection_action(sim, request, account, transit_gateway_id, id):  # pylint: disable=redefined-builtin
    sim.transit.connection_action(account, transit_gateway_id, id, request.json())
    return 204, None, {}


# ---------------------------------------------------------------------------------------------- prefix filters
def _filter_list(sim, request, account, transit_gateway_id, id):  # pylint: disable=redefined-builtin
    connection = sim.transit.connection(account, transit_gateway_id, id)[1]
    return 200, {'prefix_filters': sim.transit.render_connection(connection)['prefix_filters']}, {}


def _filter_create(sim, request, account, transit_gateway_id, id):  # pylint: disable=redefined-builtin
    connection, item = sim.transit.create_filter(account, transit_gateway_id, id, request.json())
    return 201, sim.transit.render_filter(connection, item['id']), {}


def _filter_get(sim, request, account, transit_gateway_id, id, filter_id):  # pylint: disable=redefined-builtin,too-many-arguments
    connection, item = sim.transit.prefix_filter(account, transit_gateway_id, id, filter_id)
    return 200, sim.transit.render_filter(connection, item['id']), {}


def _filter_update(sim, request, account, transit_gateway_id, id, filter_id):  # pylint: disable=redefined-builtin,too-many-arguments
    connection, item = sim.transit.update_filter(account, transit_gateway_id, id, filter_id, request.json())
    return 200, sim.transit.render_filter(connection, item['id']), {}


def _filter_delete(sim, request, account, transit_gateway_id, id, filter_id):  # pylint: disable=redefined-builtin,too-many-arguments
    sim.transit.delete_filter(account, transit_gateway_id, id, filter_id)
    return 204, None, {}


# ---------------------------------------------------------------------------------------------- locations
def _location_list(sim, request, account):
    return 200, {'locations': [sim.transit.render_location(region, basic=True) for region in sim.transit.locations()]}, {}


def _location_get(sim, request, account, name):
    return 200, sim.transit.render_location(sim.transit.location(name)), {}


CONNECTION = '/transit_gateways/{transit_gateway_id}/connections/{id}'
ROUTES = compile_routes([
    ('GET', '/transit_gateways', 'list_transit_gateways', _gateway_list),
    ('POST', '/transit_gateways', 'create_transit_gateway', _gateway_create),
    ('GET', '/transit_gateways/{id}', 'get_transit_gateway', _gateway_get),
    ('PATCH', '/transit_gateways/{id}', 'update_transit_gateway', _gateway_update),
    ('DELETE', '/transit_gateways/{id}', 'delete_transit_gateway', _gateway_delete),
    ('GET', '/connections', 'list_connections', _account_connections),
    ('GET', '/transit_gateways/{transit_gateway_id}/connections', 'list_transit_gateway_connections', _connection_list),
    ('POST', '/transit_gateways/{transit_gateway_id}/connections', 'create_transit_gateway_connection', _connection_create),
    ('GET', CONNECTION, 'get_transit_gateway_connection', _connection_get),
    ('PATCH', CONNECTION, 'update_transit_gateway_connection', _connection_update),
    ('DELETE', CONNECTION, 'delete_transit_gateway_connection', _connection_delete),
    ('POST', CONNECTION + '/actions', 'create_transit_gateway_connection_actions', _connection_action),
    ('GET', CONNECTION + '/prefix_filters', 'list_transit_gateway_connection_prefix_filters', _filter_list),
    ('POST', CONNECTION + '/prefix_filters', 'create_transit_gateway_connection_prefix_filter', _filter_create),
    ('GET', CONNECTION + '/prefix_filters/{filter_id}', 'get_transit_gateway_connection_prefix_filter', _filter_get),
    ('PATCH', CONNECTION + '/prefix_filters/{filter_id}', 'update_transit_gateway_connection_prefix_filter', _filter_update),
    ('DELETE', CONNECTION + '/prefix_filters/{filter_id}', 'delete_transit_gateway_connection_prefix_filter', _filter_delete),
    ('GET', '/locations', 'list_gateway_locations', _location_list),
    ('GET', '/locations/{name}', 'get_gateway_location', _location_get),
])
TEMPLATES = {template for _method, _pattern, template, _operation, _handler in ROUTES}
