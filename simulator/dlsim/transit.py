"""The Transit Gateway service: transit gateways, their connections and prefix filters, validated like the real
service, and what they do to the Direct Link gateways they connect.

Transit gateways live in the state document beside the Direct Link gateways, under ``transit_gateways``: a list of
records holding the API fields of a ``TransitGateway`` plus ``connections`` (each with the API fields of a
``TransitGatewayConnectionCust`` and its ordered ``prefix_filters``) and internal ``_``-prefixed fields (the owner
``_account``, lifecycle deadlines, a Direct Link connection's ``_vc_id``).  Lifecycles run lazily on the simulator's
clock, as the Direct Link ones do: a gateway is ``pending``, then ``available`` after the provision delay; a
connection ``pending``, then ``attached`` after the VC delay; deletes pass through ``deleting``.

What the service does to Direct Link (the reason it is simulated, not mocked):

* a ``directlink`` connection names a Direct Link gateway by its CRN; the gateway must exist, be provisioned, be in
  ``connection_mode: transit`` and not be attached to a transit gateway already, and it must be reachable (below).
  The connection makes the gateway's ``transit`` virtual connection (named like the connection, ``network_id`` the
  transit gateway's CRN), which attaches at the connection's own deadline and is deleted with it;
* a local transit gateway (``global: false``) reaches the Direct Link locations of its region only (the
  ``local_connection_locations`` of ``GET /locations/{name}``), and a local Direct Link gateway the transit gateways
  of its own region only; a global pair reaches anywhere;
* a connection follows its virtual connection: when the Direct Link gateway is deleted or lost in a disaster, or the
  virtual connection deleted from the Direct Link side, the connection is ``detaching`` while the virtual connection
  is ``deleting`` and ``detached`` once it is gone.  That is what the service shows when the network side of a
  connection goes away: the connection stays, ``detached``, until the gateway owner deletes it (the documentation's
  "if the network owner deletes the connection, the gateway owner sees the connection status as Detached");
* a network of another account makes the connection a request: ``pending`` with ``request_status: pending`` until
  the network's owner approves it (then ``pending``, ``attached``, ``request_status: approved``, and only then the
  virtual connection) or rejects it (``detached``, ``rejected``); unanswered for 72 hours it ``expired``.  The
  network's owner sees the transit gateway and its connections (view only), answers with the connection actions
  and may delete the connection, which detaches it.

``request_status`` is ``approved`` on a connection within one account: the SDK's models require the field, and a
connection nobody has to approve is approved.  Only the ``directlink``, ``vpc`` and ``classic`` network types are
served (the others answer 400 ``network_type_not_supported``); VPC and classic connections are checked for their
fields, their network's account and duplicates, not for a network that exists.  Redundancy groups, GRE tunnels and
route reports are not simulated.  All methods are called with the server's lock held.
"""

import ipaddress
import re
import uuid

from dlsim.catalog import transit_locations
from dlsim.errors import TransitError, bad_request
from dlsim.state import (
    APPROVAL_WINDOW,
    DEFAULT_RESOURCE_GROUP,
    NAME_RE,
    RESOURCE_GROUP_RE,
    Account,
    account_of_crn,
    insert_position,
    now_iso,
    run_timers,
)

# The network types of the SDK's NetworkTypeEnum, and those the simulator serves.
NETWORK_TYPES = ('classic', 'directlink', 'gre_tunnel', 'power_virtual_server', 'redundant_gre', 'unbound_gre_tunnel',
                 'vpc', 'vpn_gateway')
SERVED_NETWORK_TYPES = ('classic', 'directlink', 'vpc')
# Fields of a connection template that belong to the network types the simulator does not serve.
OTHER_TYPE_FIELDS = ('base_connection_id', 'base_network_type', 'cidr', 'local_gateway_ip', 'local_tunnel_ip',
                     'remote_bgp_asn', 'remote_gateway_ip', 'remote_tunnel_ip', 'tunnels', 'zone')
CONNECTION_FIELDS = ('name', 'network_account_id', 'network_id', 'network_type', 'prefix_filters',
                     'prefix_filters_default') + OTHER_TYPE_FIELDS
GATEWAY_FIELDS = ('global', 'gre_enhanced_route_propagation', 'location', 'name', 'redundancy_group',
                  'redundancy_group_id', 'resource_group')
GATEWAY_PATCH_FIELDS = ('global', 'gre_enhanced_route_propagation', 'name', 'redundancy_group')
FILTER_FIELDS = ('action', 'before', 'ge', 'le', 'prefix')
ACTIONS = ('approve', 'reject')
FILTER_ACTIONS = ('permit', 'deny')
GATEWAY_NAME_MAX = 60  # the SDK: "name (string, 1-60 chars)"
CONNECTION_NAME_MAX = 63
ACCOUNT_RE = re.compile(r'^[0-9a-f]{32}$')
DIRECTLINK_CRN_RE = re.compile(r'^crn:v1:[^:]+:[^:]+:directlink:[^:]*:a/[0-9a-f]{32}::(connect|dedicated):[0-9a-f-]{36}$')
VPC_CRN_RE = re.compile(r'^crn:v1:[^:]+:[^:]+:is:[^:]+:a/[0-9a-f]{32}::vpc:[-0-9a-z]+$')
CLASSIC_NAME = 'Classic'
RESOURCE_GROUP_HREF = 'https://resource-controller.cloud.ibm.com/v2/resource_groups/{id}'
# The service's quotas (IBM Cloud Transit Gateway service limits), answered 409 quota_exceeded.
GATEWAYS_PER_ACCOUNT = 10
GATEWAYS_PER_REGION = 5
CONNECTIONS_PER_GATEWAY = {'vpc': 10, 'classic': 5, 'directlink': 5}
FILTERS_PER_CONNECTION = 10
PENDING_REQUESTS_PER_GATEWAY = 10
# Direct Link virtual connection states that hold a gateway's one transit attachment (not deleting, nor detached by
# a lost transit gateway).
ATTACHED_VC_STATUSES = ('pending', 'attached')


def _expire(connection):
    """A cross-account request nobody answered in APPROVAL_WINDOW seconds: expired, never attached."""
    connection['request_status'] = 'expired'
    return 'detached'


GATEWAY_TIMERS = (('_ready_at', 'pending', 'available'),)
CONNECTION_TIMERS = (('_ready_at', 'pending', 'attached'), ('_expire_at', 'pending', _expire))


# ---------------------------------------------------------------------------------------------- request checks
def _invalid(field, message, code='invalid_field_value'):
    return TransitError(400, code, message, field)


def _object(body):
    if not isinstance(body, dict):
        raise TransitError(400, 'invalid_body', 'Invalid request body: expected a JSON object.')
    return body


def _known_fields(body, allowed, what):
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise _invalid(unknown[0], f"Unknown field(s) for {what}: {', '.join(unknown)}.", 'invalid_field')


def _typed(body, field, kind, default=None, required=False):
    """``body[field]`` when it has the JSON type ``kind``; absent or null, ``default`` (400 ``missing_field`` when
    ``required``)."""
    value = body.get(field)
    if value is None:
        if required:
            raise _invalid(field, f'The `{field}` field is required.', 'missing_field')
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = {bool: 'a boolean', str: 'a string', int: 'an integer', list: 'an array', dict: 'an object'}[kind]
        raise _invalid(field, f'The `{field}` field must be {expected}.')
    return value


def _choice(body, field, allowed, default=None, required=False):
    """``body[field]`` when it is one of ``allowed`` (see _typed for absent values)."""
    value = _typed(body, field, str, default, required)
    if value is not None and value not in allowed:
        raise _invalid(field, f"Invalid value '{value}' for `{field}`: expected one of {', '.join(allowed)}.")
    return value


def _name(value, field, longest):
    if not isinstance(value, str) or len(value) > longest or not NAME_RE.match(value):
        raise _invalid(field, f"Invalid {field} {value!r}: 1-{longest} characters, letters, digits, '-' and '_', "
                       'starting with a letter and not ending with - or _.')
    return value


def _prefix_filter(item, current=None):
    """A prefix filter's fields, checked as the service does: an IPv4 ``prefix``; ``ge`` and ``le`` 0 (unused) or
    from the prefix length to 32, ``ge`` at most ``le`` when both are set (``current``: the filter a PATCH changes)."""
    merged = dict(current or {})
    merged.update({key: value for key, value in _object(item).items() if key != 'before' and value is not None})
    action = _choice(merged, 'action', FILTER_ACTIONS, required=True)
    prefix = _typed(merged, 'prefix', str, required=True)
    try:
        network = ipaddress.IPv4Network(prefix)
    except ValueError as exc:
        raise _invalid('prefix', f"Invalid prefix '{prefix}': expected an IPv4 network (a.b.c.d/n).") from exc
    bounds = {bound: _typed(merged, bound, int, 0) for bound in ('ge', 'le')}
    for bound, value in bounds.items():
        if value and not network.prefixlen <= value <= 32:
            raise _invalid(bound, f'Invalid `{bound}` {value} for prefix {prefix}: 0, or from {network.prefixlen} to 32.')
    if bounds['ge'] and bounds['le'] and bounds['ge'] > bounds['le']:
        raise _invalid('ge', f"Invalid `ge` {bounds['ge']}: it cannot be more than `le` ({bounds['le']}).")
    return {'action': action, 'prefix': prefix, **bounds}


def _quota(count, limit, what):
    """409 ``quota_exceeded`` when a change would make ``count`` resources of a quota of ``limit``."""
    if count > limit:
        raise TransitError(409, 'quota_exceeded', f'Quota exceeded: at most {limit} {what}.')


class TransitGateways:
    """The simulated Transit Gateway service of every account, beside the Direct Link service ``account`` (the
    state.Account whose document, clock and delays it shares)."""

    def __init__(self, account):
        self.account = account
        self.doc = account.doc
        self.doc.setdefault('transit_gateways', [])
        catalog = account.catalog()
        catalog.setdefault('transit_locations', transit_locations(catalog))

    # ----------------------------------------------------------------- lifecycles
    def tick(self):
        """Advance every transit gateway and connection lifecycle to now, and let each Direct Link connection follow
        its virtual connection."""
        now = self.account.now()
        remaining = []
        for gateway in self.doc['transit_gateways']:
            if gateway.get('_delete_at') is not None and now >= gateway['_delete_at']:
                continue
            self._run(gateway, GATEWAY_TIMERS, now)
            connections = []
            for connection in gateway['connections']:
                if connection.get('_delete_at') is not None and now >= connection['_delete_at']:
                    continue
                self._run(connection, CONNECTION_TIMERS, now)
                self._follow_network(connection, now)
                connections.append(connection)
            if len(connections) != len(gateway['connections']):
                gateway['connections'] = connections
            remaining.append(gateway)
        if len(remaining) != len(self.doc['transit_gateways']):
            self.doc['transit_gateways'] = remaining

    @staticmethod
    def _run(record, timers, now):
        status = record['status']
        run_timers(record, timers, now)
        if record['status'] != status:
            record['updated_at'] = now_iso(now)

    def _transit_vc(self, connection):
        """The Direct Link gateway and ``transit`` virtual connection of a connection (None for either that is gone)."""
        gateway = self.account.gateway_by_crn(connection.get('network_id'))
        vcs = gateway['virtual_connections'] if gateway else []
        return gateway, next((vc for vc in vcs if vc['id'] == connection.get('_vc_id')), None)

    def _follow_network(self, connection, now):
        """A Direct Link connection whose virtual connection is being deleted is ``detaching``; gone (with its
        gateway, or deleted from the Direct Link side), the connection is ``detached``."""
        if connection.get('_vc_id') is None or connection['status'] not in ('pending', 'attached', 'detaching'):
            return
        _gateway, vc = self._transit_vc(connection)
        status = 'detached' if vc is None else 'detaching' if vc['status'] == 'deleting' else connection['status']
        if status != connection['status']:
            connection.pop('_ready_at', None)
            connection.update(status=status, updated_at=now_iso(now))
            if status == 'detached' and connection.get('network_account_id'):
                connection['request_status'] = 'detached'
        if status == 'detached':
            connection.pop('_vc_id')

    # ----------------------------------------------------------------- lookups
    def locations(self):
        """The Transit Gateway locations (regions) of the catalog."""
        return self.account.catalog()['transit_locations']

    def location(self, name):
        """A region by name (404 when unknown)."""
        for region in self.locations():
            if region['name'] == name:
                return region
        raise TransitError(404, 'location_not_found', f'Location not found: {name}.')

    def _region(self, name):
        """The region a create names (400 when it is not one)."""
        try:
            return self.location(name)
        except TransitError as exc:
            known = ', '.join(region['name'] for region in self.locations())
            raise _invalid('location', f"Invalid location '{name}': expected a Transit Gateway location ({known}).") from exc

    @staticmethod
    def _can_see(account, gateway):
        """The owner sees a transit gateway, and so does the owner of a network one of its connections reaches."""
        return gateway['_account'] == account or any(c.get('network_account_id') == account for c in gateway['connections'])

    def visible(self, account):
        """The transit gateways an account sees."""
        return [gateway for gateway in self.doc['transit_gateways'] if self._can_see(account, gateway)]

    def gateway(self, account, gateway_id, own=True):
        """A transit gateway (404 when unknown or not visible; 403 when ``own`` and the caller only sees it)."""
        gateway = next((g for g in self.doc['transit_gateways'] if g['id'] == gateway_id), None)
        if gateway is None or not self._can_see(account, gateway):
            raise TransitError(404, 'transit_gateway_not_found', 'Transit gateway not found.')
        if own and gateway['_account'] != account:
            raise TransitError(403, 'not_authorized', 'Only the account that owns the transit gateway can change it; '
                               'the owner of a network connected to it has view-only access.')
        return gateway

    def connection(self, account, gateway_id, connection_id, own=False):
        """A transit gateway and one of its connections (404 when unknown)."""
        gateway = self.gateway(account, gateway_id, own=own)
        for connection in gateway['connections']:
            if connection['id'] == connection_id:
                return gateway, connection
        raise TransitError(404, 'connection_not_found', 'Transit gateway connection not found.')

    def connections(self, account):
        """Every connection associated with an account, with its transit gateway: those of its transit gateways and
        those of other accounts' transit gateways to its networks."""
        return [(gateway, connection) for gateway in self.doc['transit_gateways'] for connection in gateway['connections']
                if account in (gateway['_account'], connection.get('network_account_id'))]

    def prefix_filter(self, account, gateway_id, connection_id, filter_id, own=False):
        """A connection and one of its prefix filters (404 when unknown)."""
        _gateway, connection = self.connection(account, gateway_id, connection_id, own=own)
        for item in connection['prefix_filters']:
            if item['id'] == filter_id:
                return connection, item
        raise TransitError(404, 'prefix_filter_not_found', 'Prefix filter not found.')

    # ----------------------------------------------------------------- rendering
    @staticmethod
    def render_gateway(gateway):
        """The API representation of a transit gateway."""
        view = {key: value for key, value in gateway.items() if not key.startswith('_') and key != 'connections'}
        view['connection_count'] = len(gateway['connections'])
        view['connection_needs_attention'] = any(c['request_status'] == 'pending' for c in gateway['connections'])
        return view

    @staticmethod
    def render_connection(connection, gateway=None):
        """The API representation of a connection, its prefix filters in order (each naming the next with
        ``before``); with ``gateway``, the ``TransitConnection`` of ``GET /connections`` (a ``transit_gateway``
        reference added)."""
        view = {key: value for key, value in connection.items() if not key.startswith('_')}
        view['prefix_filters'] = Account.render_filters(connection['prefix_filters'])
        if gateway is not None:
            view['transit_gateway'] = {'crn': gateway['crn'], 'id': gateway['id'], 'name': gateway['name']}
        return view

    @staticmethod
    def render_filter(connection, filter_id):
        """One prefix filter as the API shows it (with ``before``)."""
        return next(item for item in Account.render_filters(connection['prefix_filters']) if item['id'] == filter_id)

    @staticmethod
    def render_location(region, basic=False):
        """A ``TSLocation`` (``basic``: a ``TSLocationBasic``, as the list shows it)."""
        if basic:
            return {key: region[key] for key in ('billing_location', 'name', 'type')}
        return {key: value for key, value in region.items() if not key.startswith('_')}

    # ----------------------------------------------------------------- transit gateways
    def _name_taken(self, account, name, exclude=None):
        return any(g['_account'] == account and g['name'] == name and g is not exclude for g in self.doc['transit_gateways'])

    def create_gateway(self, account, body):
        """POST /transit_gateways: ``pending``, ``available`` after the provision delay."""
        _known_fields(_object(body), GATEWAY_FIELDS, 'a transit gateway')
        self._refuse_redundancy_groups(body)
        name = _name(_typed(body, 'name', str, required=True), 'name', GATEWAY_NAME_MAX)
        region = self._region(_typed(body, 'location', str, required=True))
        routing = _typed(body, 'global', bool, False)
        propagation = _typed(body, 'gre_enhanced_route_propagation', bool, False)
        group = _typed(body, 'resource_group', dict, {'id': DEFAULT_RESOURCE_GROUP})
        if not RESOURCE_GROUP_RE.match(str(group.get('id', ''))):
            raise _invalid('resource_group', 'Invalid resource_group id: expected 32 hexadecimal characters.')
        if self._name_taken(account, name):
            raise TransitError(409, 'transit_gateway_name_exists', 'A transit gateway with the same name already exists.',
                               'name')
        owned = [g for g in self.doc['transit_gateways'] if g['_account'] == account and g['status'] != 'deleting']
        _quota(len(owned) + 1, GATEWAYS_PER_ACCOUNT, 'transit gateways per account')
        _quota(sum(g['location'] == region['name'] for g in owned) + 1, GATEWAYS_PER_REGION, 'transit gateways per region')
        now_epoch = self.account.now()
        now = now_iso(now_epoch)
        gateway_id = str(uuid.uuid4())
        gateway = {
            'id': gateway_id, 'crn': f"crn:v1:bluemix:public:transit:{region['name']}:a/{account}::gateway:{gateway_id}",
            'name': name, 'location': region['name'], 'global': routing, 'gre_enhanced_route_propagation': propagation,
            'status': 'pending', 'created_at': now, 'updated_at': now,
            'resource_group': {'href': RESOURCE_GROUP_HREF.format(id=group['id']), 'id': group['id']},
            'connections': [], '_account': account, '_ready_at': now_epoch + self.account.provision_delay,
        }
        self.doc['transit_gateways'].append(gateway)
        return gateway

    @staticmethod
    def _refuse_redundancy_groups(body):
        for field in ('redundancy_group', 'redundancy_group_id'):
            if body.get(field) is not None:
                raise _invalid(field, 'dlsim does not simulate redundancy groups of transit gateways.', 'not_supported')

    def update_gateway(self, account, gateway_id, patch):
        """PATCH /transit_gateways/{id}: ``name``, ``global``, ``gre_enhanced_route_propagation``.  Making a gateway
        local needs every Direct Link connection to be local to its region (409 ``connections_not_local``)."""
        gateway = self.gateway(account, gateway_id)
        _known_fields(_object(patch), GATEWAY_PATCH_FIELDS, 'a transit gateway update')
        self._refuse_redundancy_groups(patch)
        if gateway['status'] == 'deleting':
            raise TransitError(409, 'transit_gateway_not_available', 'The transit gateway is being deleted.')
        changes = {}
        if patch.get('name') is not None:
            changes['name'] = _name(patch['name'], 'name', GATEWAY_NAME_MAX)
            if self._name_taken(account, changes['name'], exclude=gateway):
                raise TransitError(409, 'transit_gateway_name_exists', 'A transit gateway with the same name already '
                                   'exists.', 'name')
        for field in ('global', 'gre_enhanced_route_propagation'):
            if patch.get(field) is not None:
                changes[field] = _typed(patch, field, bool)
        if changes.get('global') is False:
            local = dict(gateway, **{'global': False})
            far = [connection['name'] for connection in gateway['connections']
                   if connection['status'] not in ('deleting', 'detached')
                   and (network := self._transit_vc(connection)[0]) is not None and self._unreachable(local, network)]
            if far:
                raise TransitError(409, 'connections_not_local', 'The transit gateway cannot be made local: its '
                                   f"connection(s) {', '.join(far)} reach Direct Link gateways outside {gateway['location']}.",
                                   'global')
        if changes:
            gateway.update(changes, updated_at=now_iso(self.account.now()))
        return gateway

    def delete_gateway(self, account, gateway_id):
        """DELETE /transit_gateways/{id}: only without connections (409 otherwise), through ``deleting``."""
        gateway = self.gateway(account, gateway_id)
        if gateway['connections']:
            raise TransitError(409, 'transit_gateway_has_connections', 'The transit gateway has connections: delete them '
                               'before deleting the gateway.')
        if gateway['status'] != 'deleting':
            now = self.account.now()
            gateway.pop('_ready_at', None)
            gateway.update(status='deleting', updated_at=now_iso(now), _delete_at=now + self.account.delete_delay)

    # ----------------------------------------------------------------- connections
    def create_connection(self, account, gateway_id, body):
        """POST /transit_gateways/{id}/connections (see the module docstring for what a ``directlink`` one does)."""
        gateway = self.gateway(account, gateway_id)
        _known_fields(_object(body), CONNECTION_FIELDS, 'a transit gateway connection')
        network_type = _choice(body, 'network_type', NETWORK_TYPES, required=True)
        if network_type not in SERVED_NETWORK_TYPES:
            raise _invalid('network_type', f"dlsim does not simulate {network_type} connections: it serves "
                           f"{', '.join(SERVED_NETWORK_TYPES)}.", 'network_type_not_supported')
        for field in OTHER_TYPE_FIELDS:
            if body.get(field) is not None:
                raise _invalid(field, f'The `{field}` field must be unspecified for network type {network_type}.',
                               'invalid_field')
        if gateway['status'] != 'available':
            raise TransitError(409, 'transit_gateway_not_available', 'Connections can only be added to an available '
                               f"transit gateway (its status is {gateway['status']}).")
        name = _typed(body, 'name', str, required=network_type == 'directlink')
        network_id, network_account, network = self._network(account, gateway, network_type, body)
        name = _name(name or self._default_name(network_type, network_id, network), 'name', CONNECTION_NAME_MAX)
        self._check_unique_name(gateway, name)
        filters = _typed(body, 'prefix_filters', list, [])
        _quota(len(filters), FILTERS_PER_CONNECTION, 'prefix filters per connection')
        now_epoch = self.account.now()
        now = now_iso(now_epoch)
        connection = {'id': str(uuid.uuid4()), 'name': name, 'network_type': network_type, 'created_at': now,
                      'updated_at': now, 'status': 'pending', 'request_status': 'approved',
                      'prefix_filters_default': _choice(body, 'prefix_filters_default', FILTER_ACTIONS, 'permit'),
                      'prefix_filters': [dict(_prefix_filter(item), id=str(uuid.uuid4()), created_at=now, updated_at=now)
                                         for item in filters]}
        if network_id:
            connection['network_id'] = network_id
        if network_account != account:
            pending = sum(c['request_status'] == 'pending' for c in gateway['connections'])
            _quota(pending + 1, PENDING_REQUESTS_PER_GATEWAY, 'pending connection requests per transit gateway')
            connection.update(network_account_id=network_account, request_status='pending',
                              _expire_at=now_epoch + APPROVAL_WINDOW)
        else:
            self._attach(gateway, connection, network, now_epoch)
        gateway['connections'].append(connection)
        return connection

    @staticmethod
    def _default_name(network_type, network_id, network):
        """The name of a connection created or renamed with an empty one: the network's, as the SDK documents it
        (the Direct Link gateway's; ``Classic``; a VPC's, which the simulator derives from its id: it knows no VPC
        names)."""
        if network is not None:
            return network['name']
        return CLASSIC_NAME if network_type == 'classic' else f"vpc-{str(network_id).rsplit(':', 1)[-1][:8]}"

    @staticmethod
    def _check_unique_name(gateway, name, exclude=None):
        if any(other['name'] == name and other is not exclude for other in gateway['connections']):
            raise TransitError(409, 'connection_name_exists', 'A connection with the same name already exists on the '
                               'transit gateway.', 'name')

    def _attach(self, gateway, connection, network, now_epoch):
        """An approved connection attaches after the VC delay; a Direct Link one makes its virtual connection."""
        ready_at = now_epoch + self.account.vc_delay
        connection['_ready_at'] = ready_at
        if network is not None:
            vc = self.account.attach_transit_vc(network, connection['name'], gateway['crn'], gateway['_account'], ready_at)
            connection['_vc_id'] = vc['id']

    def _network(self, account, gateway, network_type, body):
        """The network a connection template names, checked: (network_id, owning account, Direct Link gateway or
        None)."""
        network_id = _typed(body, 'network_id', str)
        claimed = _typed(body, 'network_account_id', str)
        if claimed is not None and not ACCOUNT_RE.match(claimed):
            raise _invalid('network_account_id', 'Invalid network_account_id: expected an account id (32 hexadecimal '
                           'characters).')
        if network_type == 'classic':
            if network_id is not None:
                raise _invalid('network_id', 'The `network_id` field must be unspecified for network type classic.',
                               'invalid_field')
            if any(c['network_type'] == 'classic' and c.get('network_account_id', account) == (claimed or account)
                   for c in gateway['connections']):
                raise TransitError(409, 'network_already_connected', "The account's classic infrastructure is already "
                                   'connected to this transit gateway.', 'network_type')
            self._connection_quota(gateway, network_type)
            return None, claimed or account, None
        pattern = DIRECTLINK_CRN_RE if network_type == 'directlink' else VPC_CRN_RE
        if not pattern.match(_typed(body, 'network_id', str, required=True)):
            kind = 'a Direct Link gateway' if network_type == 'directlink' else 'a VPC'
            raise _invalid('network_id', f"Invalid network_id '{network_id}': expected the CRN of {kind}.")
        owner = account_of_crn(network_id)
        if claimed is not None and claimed != owner:
            raise _invalid('network_account_id', f'network_account_id {claimed} is not the account of network {network_id}.')
        if any(c.get('network_id') == network_id for c in gateway['connections'] if c['status'] != 'detached'):
            raise TransitError(409, 'network_already_connected', 'The network is already connected to this transit '
                               'gateway.', 'network_id')
        self._connection_quota(gateway, network_type)
        return network_id, owner, self._direct_link(gateway, network_id) if network_type == 'directlink' else None

    @staticmethod
    def _connection_quota(gateway, network_type):
        count = sum(c['network_type'] == network_type and c['status'] != 'deleting' for c in gateway['connections'])
        _quota(count + 1, CONNECTIONS_PER_GATEWAY[network_type], f'{network_type} connections per transit gateway')

    def _direct_link(self, gateway, network_id, request=None):
        """The Direct Link gateway a connection may attach: it exists, is provisioned, in transit mode, not attached to
        a transit gateway already (``request``: the connection request being approved, which does not count) and
        reachable from the transit gateway."""
        network = self.account.gateway_by_crn(network_id)
        if network is None:
            raise _invalid('network_id', f'Direct Link gateway {network_id} was not found.', 'network_not_found')
        if network.get('connection_mode') != 'transit':
            raise TransitError(409, 'directlink_not_transit_mode', f"Direct Link gateway {network['name']} is in "
                               f"connection_mode {network.get('connection_mode')}: only a gateway in connection_mode transit "
                               'can be connected to a transit gateway.', 'network_id')
        if network['operational_status'] != 'provisioned':
            raise TransitError(409, 'network_not_ready', f"Direct Link gateway {network['name']} is not provisioned (its "
                               f"operational_status is {network['operational_status']}).", 'network_id')
        requested = any(c is not request and c.get('network_id') == network_id and c['request_status'] == 'pending'
                        for g in self.doc['transit_gateways'] for c in g['connections'])
        if requested or any(vc['type'] == 'transit' and vc['status'] in ATTACHED_VC_STATUSES
                            for vc in network['virtual_connections']):
            raise TransitError(409, 'network_already_connected', f"Direct Link gateway {network['name']} is already "
                               'connected to a transit gateway (or requested by one).', 'network_id')
        problem = self._unreachable(gateway, network)
        if problem:
            raise _invalid('network_id', problem, 'network_location_not_local')
        return network

    def _unreachable(self, gateway, network):
        """Why a transit gateway cannot reach a Direct Link gateway (None when it can): a location outside the transit
        gateway's region needs both to route globally."""
        region = next((r for r in self.locations() if r['name'] == gateway['location']), {})
        local = [item['name'] for item in region.get('local_connection_locations', [])]
        where = network['location_name']
        if where in local:
            return None
        if not gateway['global']:
            return (f"Transit gateway {gateway['name']} has local routing: it reaches the Direct Link locations of "
                    f"{gateway['location']} ({', '.join(local[1:]) or 'none'}), not {where}. Use a global transit gateway.")
        if not network['global']:
            return (f"Direct Link gateway {network['name']} has local routing (global: false): {where} is not local to "
                    f"{gateway['location']}.")
        return None

    def update_connection(self, account, gateway_id, connection_id, patch):
        """PATCH a connection: ``name`` (empty: the network's name, as the SDK documents), ``prefix_filters_default``;
        a Direct Link connection's virtual connection is renamed with it."""
        gateway, connection = self.connection(account, gateway_id, connection_id, own=True)
        _known_fields(_object(patch), ('name', 'prefix_filters_default'), 'a connection update')
        if connection['status'] == 'deleting':
            raise TransitError(409, 'connection_not_available', 'The connection is being deleted.')
        changes = {}
        if 'prefix_filters_default' in patch and patch['prefix_filters_default'] is not None:
            changes['prefix_filters_default'] = _choice(patch, 'prefix_filters_default', FILTER_ACTIONS)
        network, vc = self._transit_vc(connection)
        if 'name' in patch:
            default = self._default_name(connection['network_type'], connection.get('network_id'), network)
            name = _typed(patch, 'name', str) or default
            changes['name'] = _name(name, 'name', CONNECTION_NAME_MAX)
            self._check_unique_name(gateway, name, exclude=connection)
        if changes:
            connection.update(changes, updated_at=now_iso(self.account.now()))
            if vc is not None:
                vc['name'] = connection['name']
        return connection

    def delete_connection(self, account, gateway_id, connection_id):
        """DELETE a connection.  The gateway owner's delete passes through ``deleting`` (the virtual connection with
        it); the network owner's detaches it: the virtual connection is deleted, the connection stays ``detached``."""
        gateway, connection = self.connection(account, gateway_id, connection_id)
        if connection['status'] == 'deleting':
            return
        now = self.account.now()
        if gateway['_account'] != account:
            if connection['status'] in ('detaching', 'detached'):
                return
            connection.pop('_expire_at', None)
            connection.update(request_status='detached', updated_at=now_iso(now))
            if connection.get('_vc_id') is None:
                connection['status'] = 'detached'
            self._delete_vc(connection, now + self.account.delete_delay)
            return
        delete_at = now + self.account.delete_delay
        for key in ('_ready_at', '_expire_at'):
            connection.pop(key, None)
        connection.update(status='deleting', updated_at=now_iso(now), _delete_at=delete_at)
        self._delete_vc(connection, delete_at)

    def _delete_vc(self, connection, delete_at):
        network, vc = self._transit_vc(connection)
        if vc is not None:
            self.account.detach_transit_vc(network, vc['id'], delete_at)

    def connection_action(self, account, gateway_id, connection_id, body):
        """POST …/connections/{id}/actions: the network's owner approves or rejects a request to its network."""
        gateway, connection = self.connection(account, gateway_id, connection_id)
        action = _choice(_object(body), 'action', ACTIONS, required=True)
        if connection.get('network_account_id') != account:
            raise TransitError(403, 'not_authorized', 'Only the account that owns the network (network_account_id) can '
                               'approve or reject a connection request.')
        if connection['request_status'] != 'pending':
            raise TransitError(409, 'connection_request_not_pending', f"The connection request is "
                               f"{connection['request_status']}: only a pending request can be approved or rejected.")
        now = self.account.now()
        if action == 'approve':
            network = None
            if connection['network_type'] == 'directlink':
                network = self._direct_link(gateway, connection['network_id'], request=connection)
            self._attach(gateway, connection, network, now)
        else:
            connection['status'] = 'detached'
        connection.pop('_expire_at', None)
        connection.update(request_status='approved' if action == 'approve' else 'rejected', updated_at=now_iso(now))

    # ----------------------------------------------------------------- prefix filters
    def create_filter(self, account, gateway_id, connection_id, body):
        """POST a prefix filter: appended, or inserted just before the filter ``before`` names."""
        _gateway, connection = self.connection(account, gateway_id, connection_id, own=True)
        _known_fields(_object(body), FILTER_FIELDS, 'a prefix filter')
        filters = connection['prefix_filters']
        _quota(len(filters) + 1, FILTERS_PER_CONNECTION, 'prefix filters per connection')
        position = self._position(filters, body)
        now = now_iso(self.account.now())
        item = dict(_prefix_filter(body), id=str(uuid.uuid4()), created_at=now, updated_at=now)
        filters.insert(position, item)
        connection['updated_at'] = now
        return connection, item

    @staticmethod
    def _position(filters, body):
        before = _typed(body, 'before', str)
        position = insert_position(filters, before)
        if position is None:
            raise _invalid('before', f"Invalid `before`: the connection has no prefix filter {before}.")
        return position

    def update_filter(self, account, gateway_id, connection_id, filter_id, patch):
        """PATCH a prefix filter; ``before`` moves it (before another filter, or last when null)."""
        connection, item = self.prefix_filter(account, gateway_id, connection_id, filter_id, own=True)
        _known_fields(_object(patch), FILTER_FIELDS, 'a prefix filter update')
        checked = _prefix_filter(patch, current=item)
        filters = connection['prefix_filters']
        if 'before' in patch:
            if patch['before'] == filter_id:
                raise _invalid('before', 'A prefix filter cannot be placed before itself.')
            others = [other for other in filters if other is not item]
            others.insert(self._position(others, patch), item)
            filters[:] = others
        now = now_iso(self.account.now())
        item.update(checked, updated_at=now)
        connection['updated_at'] = now
        return connection, item

    def delete_filter(self, account, gateway_id, connection_id, filter_id):
        """DELETE a prefix filter (the one before it now names the one after it)."""
        connection, item = self.prefix_filter(account, gateway_id, connection_id, filter_id, own=True)
        connection['prefix_filters'].remove(item)
        connection['updated_at'] = now_iso(self.account.now())

    # ----------------------------------------------------------------- simulator controls
    def disaster(self, regions, mode):
        """Lose the transit gateways of ``regions`` (``/_sim/disaster`` ``transit_regions``, mode ``lost`` only): they
        are gone with their connections, each Direct Link virtual connection to them is detached by the network
        (``detached_by_network_pending``, then ``detached_by_network``), and the regions take no new transit gateways
        (they leave ``GET /locations``)."""
        if mode != 'lost':
            raise bad_request("transit_regions go with mode 'lost': transit gateways are lost, never down.", 'invalid_field')
        known = [region['name'] for region in self.locations()]
        if not isinstance(regions, list) or not all(isinstance(name, str) and name in known for name in regions):
            raise bad_request(f"transit_regions must be a list of regions of GET /locations ({', '.join(known)}).",
                              'invalid_field')
        lost = [gateway for gateway in self.doc['transit_gateways'] if gateway['location'] in regions]
        self.doc['transit_gateways'] = [gateway for gateway in self.doc['transit_gateways'] if gateway['location'] not in regions]
        for gateway in lost:
            self.account.detach_network(gateway['crn'])
        self.account.catalog()['transit_locations'] = [region for region in self.locations() if region['name'] not in regions]
        return {'transit_regions': sorted(regions), 'transit_gateways': sorted(gateway['name'] for gateway in lost)}
