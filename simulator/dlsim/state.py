"""The simulated account: gateways, their sub-resources and lifecycles, validated like the real service.

Everything lives in one JSON-serialisable document (``self.doc``): ``catalog`` (see catalog.py), ``gateways``
(a list of gateway records), ``route_reports`` and ``transit_gateways`` (the Transit Gateway service's records,
kept by transit.py, which makes the ``transit`` virtual connections of transit-mode gateways through the methods
of this class).  A gateway record holds the API fields of the gateway plus its sub-resources under keys the API
never returns for a gateway (``virtual_connections``, ``export_route_filters``, ``import_route_filters``,
``macsec_config``, ``macsec_caks``) and internal fields prefixed with ``_`` (owner account, lifecycle deadlines).
Lifecycles are evaluated lazily from deadlines on the simulator's clock (wall-clock time plus ``clock_offset``, see
advance_clock) whenever the state is read, so no background thread is needed and a state file survives restarts.
All methods are called with the server's lock held.
"""

import datetime
import hashlib
import ipaddress
import json
import re
import time
import uuid

from dlsim.errors import ApiError, bad_request, conflict, not_found
from dlsim.iam import DEFAULT_ACCOUNT

UUID_RE = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
NAME_RE = re.compile(r'^([a-zA-Z]|[a-zA-Z][-_a-zA-Z0-9]*[a-zA-Z0-9])$')
CAK_NAME_RE = re.compile(r'^([a-fA-F0-9]{2}){1,32}$')
RESOURCE_GROUP_RE = re.compile(r'^[0-9a-f]{32}$')
DEFAULT_RESOURCE_GROUP = '56969d6043e9465c883cb9f7363e78e8'
IBM_ASN = 13884
# The service's own list of reserved customer ASNs, independent of the collection's pre-flight copy by design.
RESERVED_ASNS = {0, 13884, 23456, 36351, 64512, 64513, 65100, 65500}
RESERVED_ASN_RANGES = ((65200, 65234), (65402, 65433), (65516, 65535), (4201065000, 4201065999))
BGP_NETWORKS = [ipaddress.ip_network(n) for n in ('10.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16')]
AUTO_BGP_NETWORK = ipaddress.ip_network('169.254.0.0/16')
DEDICATED_STEPS = ['awaiting_loa', 'loa_created', 'loa_accepted', 'awaiting_completion_notice',
                   'completion_notice_received', 'completion_notice_approved', 'provisioned']
OPERATIONAL_STATUSES = set(DEDICATED_STEPS) | {
    'configuring', 'create_pending', 'create_rejected', 'completion_notice_rejected', 'delete_pending',
    'loa_rejected', 'failed'}
CROSS_ACCOUNT_FIELDS = ('bgp_status', 'bgp_status_updated_at', 'connection_mode', 'created_at', 'crn', 'cross_account',
                        'cross_connect_router', 'global', 'id', 'link_status', 'link_status_updated_at',
                        'location_display_name', 'location_name', 'name', 'operational_status', 'port',
                        'speed_mbps', 'type')
SUB_RESOURCES = ('virtual_connections', 'export_route_filters', 'import_route_filters', 'macsec_config', 'macsec_caks')
FILTER_KINDS = ('export', 'import')
FAILURE_STATUSES = ('failed', 'create_rejected')
# GatewayStatusReason.CodeEnum of the SDK has one code; a failure planned with its own ``reasons`` keeps them as given.
DEFAULT_FAILURE_REASONS = ({'code': 'authentication_key_failed', 'message': 'authentication_key was unable to be configured '
                            'on the direct link gateway: resolve any issue with the key, then patch the gateway with the '
                            'same or a new key.'},)
MACSEC_SETTINGS = ('active', 'sak_rekey', 'security_policy', 'window_size')
SAK_REKEY_INTERVAL = (600, 86400)  # seconds, mode timer
DEFAULT_WINDOW_SIZE = 148809600
NULLABLE_PATCH_FIELDS = {'authentication_key', 'bfd_config', 'loa_reject_reason', 'patch_panel_completion_notice', 'vlan'}
APPROVAL_WINDOW = 72 * 3600  # a cross-account VC request the network owner does not decide on in 72 h expires
NETWORK_DETACH_DELAY = 60.0  # from detached_by_network_pending to detached_by_network (see network_deleted)
BGP_STATUSES = ('active', 'connect', 'established', 'idle')
MACSEC_STATUSES = ('init', 'pending', 'offline', 'secured', 'failed', 'deleting')
CAK_STATUSES = ('operational', 'rotating', 'active', 'inactive', 'failed')
CAK_FAILED_REASON = {'code': 'macsec_cak_failed', 'message': 'At least one of the connectivity association keys (CAKs) '
                     'could not be configured on the direct link.'}
DEFAULT_ON_PREM_ROUTES = ('172.16.100.0/24',)
GATEWAY_ACTIONS = ('create_gateway_approve', 'create_gateway_reject', 'delete_gateway_approve', 'delete_gateway_reject',
                   'update_attributes_approve', 'update_attributes_reject')
# What a create_gateway_approve action may choose for the gateway (the provider chose the rest).
APPROVAL_SETTINGS = ('as_prepends', 'authentication_key', 'bfd_config', 'connection_mode', 'default_export_route_filter',
                     'default_import_route_filter', 'export_route_filters', 'global', 'import_route_filters', 'metered',
                     'resource_group')
# The attribute updates a provider can ask for, each one of these sets of keys.
PROVIDER_UPDATES = ({'speed_mbps'}, {'bgp_cer_cidr', 'bgp_ibm_cidr'}, {'bgp_asn'}, {'vlan'})


def _end_rotation(cak):
    """A CAK rotation that secured the session: the previous key leaves the key chain."""
    cak.pop('active_delta', None)
    return 'active' if cak['session'] == 'primary' else 'operational'


# Timers of a virtual connection or CAK: (deadline key, status it applies to, status it leads to).
VC_TIMERS = (('_ready_at', 'pending', 'attached'), ('_expire_at', 'approval_pending', 'expired'),
             ('_detach_at', 'detached_by_network_pending', 'detached_by_network'))
CAK_TIMERS = (('_rotated_at', 'rotating', _end_rotation),)
# The keys each /_sim/event takes besides ``event``.
EVENT_KEYS = {'network_deleted': {'network_id'}, 'provider_create': {'gateway', 'account'},
              'provider_update': {'gateway_id', 'name', 'updates'}, 'provider_delete': {'gateway_id', 'name'}}


def now_iso(epoch=None):
    """An ISO-8601 UTC timestamp with milliseconds, as the API formats them."""
    moment = datetime.datetime.fromtimestamp(epoch if epoch is not None else time.time(), datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + f'{moment.microsecond // 1000:03d}Z'


def etag_of(value):
    """A strong ETag derived from the content, so it changes exactly when the content does."""
    return '"' + hashlib.sha1(json.dumps(value, sort_keys=True).encode()).hexdigest() + '"'


def account_of_crn(crn):
    """The account id in a CRN's ``a/<account>`` scope, or None."""
    parts = (crn or '').split(':')
    return parts[6][2:] if len(parts) > 6 and parts[6].startswith('a/') else None


def region_of_crn(crn):
    """The region field of a CRN, or None."""
    parts = (crn or '').split(':')
    return parts[5] if len(parts) > 5 else None


def asn_is_valid(asn):
    """Whether a customer ASN may be used (1..4294967295, minus IBM's reserved numbers)."""
    if isinstance(asn, bool) or not isinstance(asn, int) or not 1 <= asn <= 4294967295:
        return False
    return asn not in RESERVED_ASNS and not any(low <= asn <= high for low, high in RESERVED_ASN_RANGES)


def insert_position(items, before):
    """Where an ordered filter goes: just before the item whose id is ``before``, or last when ``before`` is None;
    None when no item has that id."""
    if before is None:
        return len(items)
    return next((index for index, item in enumerate(items) if item['id'] == before), None)


def run_timers(record, timers, now):
    """Apply the timers of a record that are due (``key``: deadline; from status ``before`` to ``after``, a status or
    a function of the record that returns one); return the deadlines still to come."""
    waiting = []
    for key, before, after in timers:
        if record.get(key) is None:
            continue
        if now < record[key]:
            waiting.append(record[key])
            continue
        record.pop(key)
        if record['status'] == before:
            record['status'] = after(record) if callable(after) else after
    return waiting


def _require(body, fields, what):
    missing = [field for field in fields if field not in body or body[field] is None]
    if missing:
        raise bad_request(f"Missing required field(s) for {what}: {', '.join(missing)}.", 'missing_field')


def _check_type(body, field, kind, what=None):
    if field in body and body[field] is not None:
        value = body[field]
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            expected = {int: 'an integer', bool: 'a boolean', str: 'a string', dict: 'an object', list: 'an array'}[kind]
            raise bad_request(f"Invalid value for '{what or field}': expected {expected}.", 'invalid_field')


def check_macsec_settings(body):
    """The MACsec settings a PUT or PATCH body carries, checked as the service does (none of them null):
    ``active`` a boolean, ``security_policy`` must_secure or should_secure, ``window_size`` an integer of 0 or more,
    ``sak_rekey`` ``{mode: timer, interval: 600-86400}`` or ``{mode: packet_number_rollover}``."""
    nulls = sorted(field for field in MACSEC_SETTINGS if field in body and body[field] is None)
    if nulls:
        raise bad_request(f"Field(s) cannot be null: {', '.join(nulls)}.", 'invalid_field')
    _check_type(body, 'active', bool)
    _check_enum(body, 'security_policy', {'must_secure', 'should_secure'})
    _check_type(body, 'window_size', int)
    if body.get('window_size', 0) < 0:
        raise bad_request("Invalid value for 'window_size': expected an integer of 0 or more.", 'invalid_field')
    if 'sak_rekey' in body:
        rekey = body['sak_rekey']
        interval = rekey.get('interval') if isinstance(rekey, dict) else None
        timer = isinstance(rekey, dict) and set(rekey) == {'mode', 'interval'} and rekey['mode'] == 'timer' and \
            isinstance(interval, int) and not isinstance(interval, bool) and SAK_REKEY_INTERVAL[0] <= interval <= SAK_REKEY_INTERVAL[1]
        if not timer and rekey != {'mode': 'packet_number_rollover'}:
            raise bad_request("Invalid sak_rekey: expected {mode: timer, interval: 600-86400 (seconds)} or "  # pylint: disable=raising-format-tuple
                              '{mode: packet_number_rollover}.', 'invalid_field')


def _check_vc_name(name):
    """A virtual connection name, on create and rename: 1-63 characters, letters, digits, '-' and '_'."""
    if not isinstance(name, str) or not NAME_RE.match(name) or len(name) > 63:
        raise bad_request(f"Invalid virtual connection name {name!r}: 1-63 characters, letters, digits, '-' and '_', "
                          'starting with a letter and not ending with - or _.', 'invalid_name')


def _control_object(value, allowed, what):
    """A /_sim/ control's JSON object, with no other keys than ``allowed``."""
    if not isinstance(value, dict) or set(value) - allowed:
        raise bad_request(f"{what} takes an object with {', '.join(sorted(allowed))}.", 'invalid_field')


def _one_of(value, allowed, what):
    """``value`` when it is one of ``allowed`` (a control's value from the API's enum)."""
    if value not in allowed:
        raise bad_request(f"Invalid {what} {value!r}: expected one of {', '.join(allowed)}.", 'invalid_field')
    return value


def _check_enum(body, field, allowed):
    if field in body and body[field] is not None and (not isinstance(body[field], str) or body[field] not in allowed):
        raise bad_request(f"Invalid value '{body[field]}' for '{field}': expected one of {', '.join(sorted(allowed))}.",
                          'invalid_field')


class Account:
    """The simulated Direct Link service state for every account it knows."""

    def __init__(self, doc, provision_delay=3.0, vc_delay=1.0, delete_delay=None):
        self.doc = doc
        self.provision_delay = provision_delay
        self.vc_delay = vc_delay
        self.delete_delay = vc_delay if delete_delay is None else delete_delay
        self.doc.setdefault('gateways', [])
        self.doc.setdefault('route_reports', {})
        self.failing_creates = []  # see fail_next_creates()
        self._next_deadline = 0.0  # the first tick() scans everything and finds the real one
        self._indexed = None
        self._indexed_count = 0
        self._by_id = self._by_name = self._by_network = {}

    # ----------------------------------------------------------------- lookups and lifecycles
    def _schedule(self, deadline):
        """Remember a lifecycle deadline, so that tick() has nothing to do before the earliest one."""
        self._next_deadline = min(self._next_deadline, deadline)
        return deadline

    def now(self):
        """The simulator's clock: wall-clock time plus what ``/_sim/advance {"seconds": N}`` added."""
        return time.time() + self.doc.get('clock_offset', 0.0)

    def advance_clock(self, seconds):
        """Move the simulator's clock forward, so that every lifecycle deadline within ``seconds`` passes."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise bad_request("seconds must be a number of seconds, 0 or more.", 'invalid_field')
        self.doc['clock_offset'] = self.doc.get('clock_offset', 0.0) + seconds
        self.tick()
        return {'seconds': seconds, 'now': now_iso(self.now())}

    def tick(self, now=None):
        """Advance every time-based lifecycle to ``now`` (a no-op before the earliest pending deadline)."""
        now = now if now is not None else self.now()
        if now < self._next_deadline:
            return
        pending = [float('inf')]
        remaining = []
        for gateway in self.doc['gateways']:
            deadline = gateway.get('_ready_at')
            if deadline is not None and now >= deadline and gateway['operational_status'] == 'create_pending':
                self._settle_create(gateway, deadline)
            if gateway.get('_delete_at') is not None and now >= gateway['_delete_at']:
                continue
            pending += [gateway[key] for key in ('_ready_at', '_delete_at') if gateway.get(key) is not None]
            vcs = []
            for vc in gateway.get('virtual_connections', []):
                if vc.get('_delete_at') is not None and now >= vc['_delete_at']:
                    continue
                pending += run_timers(vc, VC_TIMERS, now) + ([vc['_delete_at']] if vc.get('_delete_at') else [])
                vcs.append(vc)
            gateway['virtual_connections'] = vcs
            for cak in gateway.get('macsec_caks') or []:
                pending += run_timers(cak, CAK_TIMERS, now)
            remaining.append(gateway)
        if len(remaining) != len(self.doc['gateways']):
            self.doc['gateways'] = remaining
        self._next_deadline = min(pending)

    @staticmethod
    def _settle_create(gateway, deadline):
        """End ``create_pending``: provisioned, or the failure status fail_next_creates() planned for it."""
        gateway.pop('_ready_at')
        failure = gateway.pop('_fail_to', None)
        if failure:
            gateway['operational_status'] = failure['to']
            gateway['operational_status_reasons'] = failure['reasons']
            return
        gateway['operational_status'] = 'provisioned'
        gateway['bgp_status'] = 'established'
        gateway['bgp_status_updated_at'] = now_iso(deadline)
        if gateway.get('macsec_config'):
            gateway['macsec_config']['status'] = 'secured'

    def _index(self):
        """Gateways by id, by (account, name) and by BGP network, rebuilt when the gateway list was replaced or
        shrank; create_gateway() and update_gateway() keep it current themselves."""
        gateways = self.doc['gateways']
        if self._indexed is not gateways or self._indexed_count != len(gateways):
            self._by_id = {g['id']: g for g in gateways}
            self._by_name = {(g['_account'], g['name']): g for g in gateways}
            self._by_network = {self._bgp_network(g): g for g in gateways}
            self._indexed, self._indexed_count = gateways, len(gateways)
        return self

    def _add_to_index(self, gateway):
        self._index()
        self._by_id[gateway['id']] = gateway
        self._by_name[(gateway['_account'], gateway['name'])] = gateway
        self._by_network[self._bgp_network(gateway)] = gateway
        self._indexed_count += 1

    def visible(self, account):
        """Gateways the account can see: its own and other accounts' gateways shared with it."""
        return [g for g in self.doc['gateways'] if self._can_see(account, g)]

    @staticmethod
    def _can_see(account, gateway):
        """Its owner sees a gateway, and so does the owner of a network it has a virtual connection to (as a
        cross-account gateway)."""
        return gateway['_account'] == account or any(vc.get('network_account') == account for vc in gateway['virtual_connections'])

    def gateway(self, account, gateway_id, own=True):
        """The gateway record for an id (400 when malformed, 404 when unknown or not visible)."""
        if not isinstance(gateway_id, str) or not UUID_RE.match(gateway_id):
            raise bad_request('Invalid Gateway Id.', 'invalid_id')
        gateway = self._index()._by_id.get(gateway_id)
        if gateway is None or not self._can_see(account, gateway) or (own and gateway['_account'] != account):
            raise not_found('Cannot find Gateway', 'not_found')
        return gateway

    def gateway_by_crn(self, crn):
        """The gateway record a CRN names, of any account, or None (how another service finds a network)."""
        gateway = self._index()._by_id.get(str(crn or '').rsplit(':', 1)[-1])
        return gateway if gateway is not None and gateway['crn'] == crn else None

    def catalog(self):
        """The offering catalog of this simulator."""
        return self.doc['catalog']

    def location(self, offering, name):
        """A catalog location by short or display name, or None."""
        for location in self.catalog()['locations'].get(offering, []):
            if name in (location['name'], location['display_name']):
                return location
        return None

    def port(self, port_id):
        """A provider port by id (404 when unknown)."""
        for port in self.catalog()['ports']:
            if port['id'] == port_id:
                return port
        raise not_found('Cannot find Port', 'not_found')

    # ----------------------------------------------------------------- rendering
    def render_gateway(self, gateway, account):
        """The API representation of a gateway for the caller."""
        if gateway['_account'] != account:
            view = {key: gateway[key] for key in CROSS_ACCOUNT_FIELDS if key in gateway}
            view['cross_account'] = True
            return view
        view = {key: value for key, value in gateway.items() if not key.startswith('_') and key not in SUB_RESOURCES}
        if gateway.get('macsec_config'):
            config = gateway['macsec_config']
            view['macsec'] = {key: config[key] for key in ('active', 'security_policy', 'status', 'status_reasons')}
        return view

    @staticmethod
    def render_vc(vc):
        """The API representation of a virtual connection."""
        return {key: value for key, value in vc.items() if not key.startswith('_')}

    @staticmethod
    def render_filters(filters):
        """Route filters in order, each pointing at the next one with ``before``."""
        rendered = []
        for index, item in enumerate(filters):
            view = dict(item)
            if index + 1 < len(filters):
                view['before'] = filters[index + 1]['id']
            rendered.append(view)
        return rendered

    # ----------------------------------------------------------------- validation helpers
    def _validate_bgp_cidrs(self, body, exclude_id=None):
        cer, ibm = body.get('bgp_cer_cidr'), body.get('bgp_ibm_cidr')
        if cer is None and ibm is None:
            return None
        if cer is None or ibm is None:
            raise bad_request('bgp_cer_cidr and bgp_ibm_cidr must be provided together.', 'invalid_field')
        try:
            cer_if, ibm_if = ipaddress.ip_interface(cer), ipaddress.ip_interface(ibm)
        except ValueError as exc:
            raise bad_request(f'Invalid BGP CIDR: {exc}.', 'invalid_field') from exc
        if cer_if.network != ibm_if.network or cer_if.network.prefixlen not in (30, 31) or cer_if.ip == ibm_if.ip:
            raise bad_request('bgp_cer_cidr and bgp_ibm_cidr must be two different addresses of the same /30 or /31 '
                              'network.', 'invalid_field')
        if cer_if.ip in (cer_if.network.network_address, cer_if.network.broadcast_address) and cer_if.network.prefixlen == 30 \
                or ibm_if.ip in (ibm_if.network.network_address, ibm_if.network.broadcast_address) and ibm_if.network.prefixlen == 30:
            raise bad_request('BGP addresses must be host addresses of their /30 network.', 'invalid_field')
        if not any(cer_if.network.subnet_of(network) for network in BGP_NETWORKS if network.version == cer_if.version):
            raise bad_request('BGP CIDRs must be within 10.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16 or 169.254.0.0/16.',
                              'invalid_field')
        holder = self._index()._by_network.get(str(cer_if.network))
        if holder is not None and holder['id'] != exclude_id:
            raise bad_request('Please make sure localIP and remoteIP are not in use', 'bgp_cidr_in_use')
        return cer_if.network

    @staticmethod
    def _bgp_network(gateway):
        """The BGP /30 of a gateway as a string, cached on the record (parsing is the slow part at scale)."""
        if gateway.get('_bgp_cidr') != gateway.get('bgp_cer_cidr'):
            cidr = gateway.get('bgp_cer_cidr')
            gateway['_bgp_cidr'] = cidr
            gateway['_bgp_network'] = str(ipaddress.ip_interface(cidr).network) if cidr else None
        return gateway.get('_bgp_network')

    def _auto_bgp_cidrs(self):
        used = self._index()._by_network
        for network in AUTO_BGP_NETWORK.subnets(new_prefix=30):
            if str(network) not in used and network.network_address != AUTO_BGP_NETWORK.network_address:
                hosts = list(network.hosts())
                return f'{hosts[1]}/30', f'{hosts[0]}/30'
        raise ApiError(503, 'capacity', 'No BGP addresses are left to assign.')

    @staticmethod
    def _validate_filter(item, what):
        if not isinstance(item, dict):
            raise bad_request(f'Invalid {what}: expected an object.', 'invalid_field')
        _require(item, ('action', 'prefix'), what)
        _check_enum(item, 'action', {'permit', 'deny'})
        _check_type(item, 'prefix', str)
        try:
            prefix = ipaddress.ip_network(item['prefix'])
        except (ValueError, TypeError) as exc:
            raise bad_request(f"Invalid prefix '{item['prefix']}' in {what}.", 'invalid_field') from exc
        for bound in ('ge', 'le'):
            _check_type(item, bound, int)
        ge, le = item.get('ge') or 0, item.get('le') or 0
        if (ge and not prefix.prefixlen < ge <= 32) or (le and not prefix.prefixlen < le <= 32) or (ge and le and ge > le):
            raise bad_request(f'Invalid ge/le for prefix {prefix} in {what}: need prefix length < ge <= le <= 32.',
                              'invalid_field')

    def _new_filter(self, item, now):
        self._validate_filter(item, 'route filter')
        route_filter = {'action': item['action'], 'created_at': now, 'id': str(uuid.uuid4()), 'prefix': item['prefix'],
                        'updated_at': now}
        for bound in ('ge', 'le'):
            if item.get(bound):
                route_filter[bound] = item[bound]
        return route_filter

    @staticmethod
    def _validate_prepend(item):
        if not isinstance(item, dict):
            raise bad_request('Invalid AS prepend: expected an object.', 'invalid_field')
        _require(item, ('length', 'policy'), 'AS prepend')
        _check_type(item, 'length', int)
        _check_enum(item, 'policy', {'import', 'export'})
        if not 3 <= item['length'] <= 10:
            raise bad_request('AS prepend length must be between 3 and 10.', 'invalid_field')
        _check_type(item, 'specific_prefixes', list)
        _check_type(item, 'prefix', str)
        prefixes = item.get('specific_prefixes') or ([p for p in item['prefix'].split(',') if p] if item.get('prefix') else [])
        for prefix in prefixes:
            if not isinstance(prefix, str):
                raise bad_request(f"Invalid prefix {prefix!r} in AS prepend: expected a string.", 'invalid_field')
            try:
                ipaddress.ip_network(prefix)
            except ValueError as exc:
                raise bad_request(f"Invalid prefix '{prefix}' in AS prepend.", 'invalid_field') from exc
        return prefixes

    def _new_prepends(self, items, now):
        prepends = []
        for item in items:
            prefixes = self._validate_prepend(item)
            prepend = {'created_at': now, 'id': str(uuid.uuid4()), 'length': item['length'], 'policy': item['policy'],
                       'updated_at': now}
            if prefixes:
                prepend['specific_prefixes'] = prefixes
            prepends.append(prepend)
        return prepends

    @staticmethod
    def _validate_cak(item, existing=()):
        if not isinstance(item, dict):
            raise bad_request('Invalid CAK: expected an object.', 'invalid_field')
        _require(item, ('key', 'name', 'session'), 'MACsec CAK')
        _check_type(item, 'name', str, 'CAK name')
        if not isinstance(item['key'], dict) or not str(item['key'].get('crn', '')).startswith('crn:'):
            raise bad_request("Invalid CAK key: expected an object with a 'crn' (crn:v1:...).", 'invalid_field')
        if not CAK_NAME_RE.match(str(item['name'])):
            raise bad_request(f"Invalid CAK name '{item['name']}': expected 2-64 hexadecimal characters, even length.",
                              'invalid_field')
        _check_enum(item, 'session', {'primary', 'fallback'})
        for other in existing:
            if other['session'] == item['session']:
                raise conflict(f"A {item['session']} CAK already exists.", 'cak_conflict')
            if other['key']['crn'] == item['key']['crn']:
                raise conflict('CAK keys must be unique.', 'cak_conflict')

    def _new_macsec(self, body, now):
        if not isinstance(body, dict):
            raise bad_request('Invalid MACsec configuration: expected an object.', 'invalid_field')
        _require(body, ('active', 'caks', 'sak_rekey', 'security_policy'), 'MACsec')
        check_macsec_settings({key: value for key, value in body.items() if key != 'window_size' or value is not None})
        if not isinstance(body['caks'], list) or not body['caks']:
            raise bad_request('MACsec needs at least one CAK (the primary).', 'invalid_field')
        caks = []
        for item in body['caks']:
            self._validate_cak(item, caks)
            caks.append({'created_at': now, 'id': str(uuid.uuid4()), 'key': {'crn': item['key']['crn']},
                         'name': item['name'], 'session': item['session'], 'status': 'operational', 'updated_at': now})
        if not any(cak['session'] == 'primary' for cak in caks):
            raise bad_request('MACsec needs exactly one primary CAK.', 'invalid_field')
        config = {'active': body['active'], 'cipher_suite': 'gcm_aes_xpn_256', 'confidentiality_offset': 0,
                  'created_at': now, 'key_server_priority': 255, 'sak_rekey': dict(body['sak_rekey']),
                  'security_policy': body['security_policy'], 'status': 'init', 'status_reasons': [], 'updated_at': now,
                  'window_size': DEFAULT_WINDOW_SIZE if body.get('window_size') is None else body['window_size']}
        return config, caks

    def _validate_common(self, body):
        for field, kind in (('name', str), ('speed_mbps', int), ('global', bool), ('metered', bool), ('bgp_asn', int),
                            ('connection_mode', str), ('bfd_config', dict), ('authentication_key', dict),
                            ('resource_group', dict), ('vlan', int), ('as_prepends', list)):
            _check_type(body, field, kind)
        if 'name' in body and body['name'] is not None and (len(body['name']) > 63 or not NAME_RE.match(body['name'])):
            raise bad_request(f"Invalid gateway name '{body['name']}': 1-63 characters, letters, digits, '-' and '_', "
                              "starting with a letter.", 'invalid_name')
        if 'bgp_asn' in body and body['bgp_asn'] is not None and not asn_is_valid(body['bgp_asn']):
            raise bad_request('BGP AS Number is invalid.', 'invalid_bgp_asn')
        _check_enum(body, 'connection_mode', {'direct', 'transit'})
        _check_enum(body, 'default_export_route_filter', {'permit', 'deny'})
        _check_enum(body, 'default_import_route_filter', {'permit', 'deny'})
        bfd = body.get('bfd_config')
        if bfd:
            interval, multiplier = bfd.get('interval'), bfd.get('multiplier', 3)
            if interval is not None and interval != 0 and not (isinstance(interval, int) and 300 <= interval <= 255000):
                raise bad_request('BFD interval must be between 300 and 255000 milliseconds.', 'invalid_field')
            if multiplier is not None and not (isinstance(multiplier, int) and 1 <= multiplier <= 255):
                raise bad_request('BFD multiplier must be between 1 and 255.', 'invalid_field')
        key = body.get('authentication_key')
        if key and key.get('crn') and not str(key['crn']).startswith('crn:'):
            raise bad_request("Invalid authentication_key: expected an object with a 'crn' (crn:v1:...).", 'invalid_field')
        group = body.get('resource_group')
        if group is not None and not RESOURCE_GROUP_RE.match(str(group.get('id', ''))):
            raise bad_request('Invalid resource_group id: expected 32 hexadecimal characters.', 'invalid_field')
        if body.get('vlan') is not None and not 2 <= body['vlan'] <= 3967:
            raise bad_request('VLAN must be between 2 and 3967.', 'invalid_vlan')

    @staticmethod
    def _macsec_capability(router, speed, body):
        """The ``macsec_capability`` of a new dedicated gateway: the one asked for when the router offers it at that
        speed, else the first one it offers in the SDK's order (without ``macsec`` in the body: non_macsec, then
        macsec_optional; with it: macsec_optional, then macsec).  At a speed without MACsec, routers offer only
        non_macsec."""
        offered = set(router['capabilities']) if speed.get('macsec_enabled') else {'non_macsec'}
        wanted = body.get('macsec_capability')
        with_macsec = body.get('macsec') is not None
        if wanted == 'non_macsec' and with_macsec:
            raise bad_request("A gateway with macsec_capability non_macsec cannot have a 'macsec' configuration.",
                              'invalid_field')
        preference = (wanted,) if wanted else ('macsec_optional', 'macsec') if with_macsec else ('non_macsec', 'macsec_optional')
        for capability in preference:
            if capability in offered:
                return capability
        if wanted == 'non_macsec' or not (with_macsec or wanted):
            raise bad_request(f"Router {router['router_name']} has no link without MACsec at {speed['link_speed']} Mbps.",
                              'macsec_required')
        raise bad_request(f"MACsec is not available on router {router['router_name']} at {speed['link_speed']} Mbps.",
                          'macsec_unavailable')

    def _name_taken(self, account, name, exclude_id=None):
        holder = self._index()._by_name.get((account, name))
        return holder is not None and holder['id'] != exclude_id

    # ----------------------------------------------------------------- gateways
    def create_gateway(self, account, body):
        """POST /gateways."""
        if not isinstance(body, dict):
            raise bad_request('Invalid request body: expected a JSON object.', 'invalid_body')
        _require(body, ('name', 'type', 'speed_mbps', 'global', 'bgp_asn', 'metered'), 'gateway')
        _check_enum(body, 'type', {'connect', 'dedicated'})
        self._validate_common(body)
        kind = body['type']
        if kind == 'connect':
            _require(body, ('port',), 'connect gateway')
            for field in ('carrier_name', 'customer_name', 'cross_connect_router', 'vlan', 'macsec', 'macsec_capability'):
                if body.get(field) is not None:
                    raise bad_request(f"'{field}' is not allowed for connect gateways.", 'invalid_field')
            port_ref = body['port']
            if not isinstance(port_ref, dict) or not port_ref.get('id'):
                raise bad_request("Invalid port: expected an object with the port's 'id'.", 'invalid_field')
            port = self.port(port_ref['id'])
            location = self.location('connect', port['location_name'])
            if body['speed_mbps'] not in port['supported_link_speeds']:
                raise bad_request("Cannot find Location with provided 'linkSpeed' and 'OfferingType'.", 'invalid_speed')
        else:
            _require(body, ('carrier_name', 'customer_name', 'cross_connect_router', 'location_name'), 'dedicated gateway')
            if body.get('port') is not None:
                raise bad_request("'port' is not allowed for dedicated gateways.", 'invalid_field')
            location = self.location('dedicated', body['location_name'])
            speeds = {s['link_speed']: s for s in self.catalog()['speeds']['dedicated']}
            if location is None or body['speed_mbps'] not in speeds:
                raise bad_request("Cannot find Location with provided 'linkSpeed' and 'OfferingType'.", 'invalid_speed')
            routers = {r['router_name']: r for r in self.catalog()['routers'].get(location['name'], [])}
            router = routers.get(body['cross_connect_router'])
            if router is None:
                raise bad_request(f"Cannot find cross connect router '{body['cross_connect_router']}' at location "
                                  f"{location['name']}.", 'invalid_router')
            _check_enum(body, 'macsec_capability', {'non_macsec', 'macsec', 'macsec_optional'})
            capability = self._macsec_capability(router, speeds[body['speed_mbps']], body)
        if location is None or not location.get('provision_enabled', True):
            raise bad_request("Cannot find Location with provided 'linkSpeed' and 'OfferingType'.", 'invalid_location')
        if self._name_taken(account, body['name']):
            raise conflict('A gateway with the same name already exists', 'gateway_name_exists')
        now_epoch = self.now()
        now = now_iso(now_epoch)
        network = self._validate_bgp_cidrs(body)
        if network is None:
            cer, ibm = self._auto_bgp_cidrs()
        else:
            cer, ibm = body['bgp_cer_cidr'], body['bgp_ibm_cidr']
        for kind_name in FILTER_KINDS:
            for item in body.get(f'{kind_name}_route_filters') or []:
                self._validate_filter(item, f'{kind_name} route filter')
        gateway_id = str(uuid.uuid4())
        gateway = {
            'id': gateway_id, 'name': body['name'], 'type': kind, 'speed_mbps': body['speed_mbps'],
            'global': body['global'], 'metered': body['metered'], 'bgp_asn': body['bgp_asn'], 'bgp_ibm_asn': IBM_ASN,
            'bgp_cer_cidr': cer, 'bgp_ibm_cidr': ibm, 'bgp_status': 'idle', 'bgp_status_updated_at': now,
            'connection_mode': body.get('connection_mode') or 'direct', 'created_at': now,
            'crn': f"crn:v1:bluemix:public:directlink:{location['name']}:a/{account}::{kind}:{gateway_id}",
            'cross_account': False,
            'default_export_route_filter': body.get('default_export_route_filter') or 'permit',
            'default_import_route_filter': body.get('default_import_route_filter') or 'permit',
            'location_display_name': location['display_name'], 'location_name': location['name'],
            'operational_status_reasons': [],
            'resource_group': {'id': (body.get('resource_group') or {}).get('id', DEFAULT_RESOURCE_GROUP)},
            'as_prepends': self._new_prepends(body.get('as_prepends') or [], now),
            'export_route_filters': [self._new_filter(item, now) for item in body.get('export_route_filters') or []],
            'import_route_filters': [self._new_filter(item, now) for item in body.get('import_route_filters') or []],
            'virtual_connections': [], '_account': account,
        }
        for optional in ('patch_panel_completion_notice',):
            if body.get(optional):
                gateway[optional] = body[optional]
        if body.get('bfd_config'):
            gateway['bfd_config'] = {'interval': body['bfd_config']['interval'],
                                     'multiplier': body['bfd_config'].get('multiplier') or 3,
                                     'bfd_status': 'init', 'bfd_status_updated_at': now}
        if body.get('authentication_key') and body['authentication_key'].get('crn'):
            gateway['authentication_key'] = {'crn': body['authentication_key']['crn']}
        if kind == 'connect':
            gateway.update({'port': {'id': body['port']['id']}, 'provider_api_managed': False,
                            'operational_status': 'create_pending',
                            '_ready_at': self._schedule(now_epoch + self.provision_delay)})
            self.port(body['port']['id'])['direct_link_count'] += 1
        else:
            gateway.update({
                'carrier_name': body['carrier_name'], 'customer_name': body['customer_name'],
                'cross_connect_router': body['cross_connect_router'], 'link_status': 'down',
                'link_status_updated_at': now, 'operational_status': 'awaiting_loa',
                'macsec_capability': capability,
            })
            if body.get('vlan') is not None:
                gateway['vlan'] = body['vlan']
            if body.get('macsec') is not None:
                gateway['macsec_config'], gateway['macsec_caks'] = self._new_macsec(body['macsec'], now)
        failure = self._planned_failure(location['name'])
        if failure and kind == 'connect':
            gateway['_fail_to'] = failure
        elif failure:
            gateway.update({'operational_status': failure['to'], 'operational_status_reasons': failure['reasons']})
        self._add_to_index(gateway)  # before the append, which the index then accounts for
        self.doc['gateways'].append(gateway)
        return gateway

    def update_gateway(self, account, gateway_id, patch):
        """PATCH /gateways/{id} (JSON merge patch; ``null`` clears)."""
        gateway = self.gateway(account, gateway_id)
        if not isinstance(patch, dict):
            raise bad_request('Invalid request body: expected a JSON object.', 'invalid_body')
        allowed = {'authentication_key', 'bfd_config', 'bgp_asn', 'bgp_cer_cidr', 'bgp_ibm_cidr', 'connection_mode',
                   'default_export_route_filter', 'default_import_route_filter', 'global', 'loa_reject_reason',
                   'metered', 'name', 'operational_status', 'patch_panel_completion_notice', 'speed_mbps', 'vlan'}
        unknown = sorted(set(patch) - allowed)
        if unknown:
            raise bad_request(f"Field(s) cannot be updated: {', '.join(unknown)}.", 'invalid_field')
        if gateway['operational_status'] in ('create_pending', 'delete_pending', 'configuring'):
            raise bad_request(f"Gateway cannot be updated while its operational_status is {gateway['operational_status']}.",
                              'invalid_state')
        not_nullable = sorted(field for field, value in patch.items() if value is None and field not in NULLABLE_PATCH_FIELDS)
        if not_nullable:
            raise bad_request(f"Field(s) cannot be null: {', '.join(not_nullable)}.", 'invalid_field')
        self._validate_common({k: v for k, v in patch.items() if v is not None})
        if 'name' in patch and self._name_taken(account, patch['name'], exclude_id=gateway_id):
            raise conflict('A gateway with the same name already exists', 'gateway_name_exists')
        if 'speed_mbps' in patch and patch['speed_mbps'] is not None:
            if gateway['type'] == 'connect':
                offered = self.port(gateway['port']['id'])['supported_link_speeds']
            else:
                offered = [s['link_speed'] for s in self.catalog()['speeds']['dedicated']]
            if patch['speed_mbps'] not in offered:
                raise bad_request("Cannot find Location with provided 'linkSpeed' and 'OfferingType'.", 'invalid_speed')
        if 'vlan' in patch and gateway['type'] != 'dedicated':
            raise bad_request('VLAN can only be set on dedicated gateways.', 'invalid_field')
        if 'bgp_cer_cidr' in patch or 'bgp_ibm_cidr' in patch:
            self._validate_bgp_cidrs(patch, exclude_id=gateway_id)
        if 'operational_status' in patch:
            wanted = patch['operational_status']
            if wanted not in ('loa_accepted', 'loa_rejected') or gateway['operational_status'] != 'loa_created':
                raise bad_request("operational_status can only be set to loa_accepted or loa_rejected while the LOA is "
                                  "created.", 'invalid_state')
        now = now_iso()
        for field, value in patch.items():
            if field in ('authentication_key',):
                if value is None or not value.get('crn'):
                    gateway.pop('authentication_key', None)
                else:
                    gateway['authentication_key'] = {'crn': value['crn']}
            elif field == 'bfd_config':
                if value is None or value.get('interval') == 0:
                    gateway.pop('bfd_config', None)
                else:
                    current = gateway.get('bfd_config') or {'multiplier': 3, 'bfd_status': 'init', 'bfd_status_updated_at': now}
                    current.update({k: v for k, v in value.items() if k in ('interval', 'multiplier') and v is not None})
                    gateway['bfd_config'] = current
            elif field == 'loa_reject_reason':
                gateway['_loa_reject_reason'] = value
            elif value is None:
                gateway.pop(field, None)
            else:
                gateway[field] = value
        if {'name', 'bgp_cer_cidr', 'bgp_ibm_cidr'} & set(patch):
            self._indexed = None
        return gateway

    def delete_gateway(self, account, gateway_id):
        """DELETE /gateways/{id}: asynchronous, through ``delete_pending``."""
        gateway = self.gateway(account, gateway_id)
        if gateway['virtual_connections']:
            raise bad_request('Gateway has virtual connections. Delete them before deleting the gateway.',
                              'gateway_has_virtual_connections')
        if gateway['operational_status'] in ('create_pending', 'configuring'):
            raise bad_request(f"Gateway cannot be deleted while its operational_status is {gateway['operational_status']}.",
                              'invalid_state')
        if gateway['operational_status'] != 'delete_pending':
            self._start_delete(gateway)

    def _start_delete(self, gateway):
        """``delete_pending``, gone ``delete_delay`` later."""
        gateway['operational_status'] = 'delete_pending'
        gateway['_delete_at'] = self._schedule(self.now() + self.delete_delay)
        if gateway.get('port'):
            self.port(gateway['port']['id'])['direct_link_count'] -= 1

    # ----------------------------------------------------------------- provider-managed gateways
    def gateway_action(self, account, gateway_id, body):
        """POST /gateways/{id}/actions: approve or reject the change request a provider made for a provider-managed
        connect gateway; create_gateway_approve also chooses the settings the provider leaves to the customer."""
        gateway = self.gateway(account, gateway_id)
        if not isinstance(body, dict):
            raise bad_request('Invalid request body: expected a JSON object.', 'invalid_body')
        action = body.get('action')
        if action not in GATEWAY_ACTIONS:
            raise bad_request(f"Invalid action: expected one of {', '.join(GATEWAY_ACTIONS)}.", 'invalid_field')
        unknown = sorted(set(body) - set(APPROVAL_SETTINGS) - {'action', 'updates'})
        if unknown:
            raise bad_request(f"Field(s) not allowed in a gateway action: {', '.join(unknown)}.", 'invalid_field')
        change = gateway.get('change_request')
        if not gateway.get('provider_api_managed') or not change or not action.startswith(change['type'] + '_'):
            raise bad_request(f"The gateway has no pending {action.rsplit('_', 1)[0]} change request.", 'invalid_state')
        settings = {key: value for key, value in body.items() if key in APPROVAL_SETTINGS and value is not None}
        if settings and action != 'create_gateway_approve':
            raise bad_request(f"Only create_gateway_approve chooses gateway settings ({', '.join(sorted(settings))}).",
                              'invalid_field')
        if change['type'] == 'update_attributes' and body.get('updates') != change['updates']:
            raise bad_request("updates must match the gateway's pending change request.", 'invalid_field')
        if change['type'] != 'update_attributes' and body.get('updates') is not None:
            raise bad_request(f'updates apply to update_attributes actions, not {action}.', 'invalid_field')
        if action == 'create_gateway_approve':
            self._approve_create(gateway, settings)
        elif action == 'create_gateway_reject':
            gateway['operational_status'] = 'create_rejected'
        elif action == 'delete_gateway_approve':
            self._start_delete(gateway)
        elif action == 'update_attributes_approve':
            for update in change['updates']:
                gateway.update(update)
            self._indexed = None
        gateway.pop('change_request')
        return gateway

    def _approve_create(self, gateway, settings):
        """Apply the customer's settings to a provider-created gateway, which then provisions."""
        self._validate_common(settings)
        if settings.get('bfd_config'):
            _require(settings['bfd_config'], ('interval',), 'bfd_config')
        now = now_iso(self.now())
        prepends = self._new_prepends(settings.pop('as_prepends', []), now)
        filters = {f'{kind}_route_filters': [self._new_filter(item, now) for item in settings.pop(f'{kind}_route_filters', [])]
                   for kind in FILTER_KINDS}
        key = settings.pop('authentication_key', None)
        bfd = settings.pop('bfd_config', None)
        gateway.update(settings, as_prepends=prepends, **filters)
        if key and key.get('crn'):
            gateway['authentication_key'] = {'crn': key['crn']}
        if bfd:
            gateway['bfd_config'] = {'interval': bfd['interval'], 'multiplier': bfd.get('multiplier') or 3,
                                     'bfd_status': 'init', 'bfd_status_updated_at': now}
        gateway['_ready_at'] = self._schedule(self.now() + self.provision_delay)

    def provider_request(self, kind, spec):
        """A provider asks, through its portal, for a change of a provider-managed connect gateway: ``create`` (a new
        gateway in ``account``, from a connect create template), ``update`` (``updates``) or ``delete``; the gateway
        carries the ``change_request`` until the customer answers it with a gateway action."""
        if kind == 'create':
            template = spec.get('gateway')
            if not isinstance(template, dict):
                raise bad_request('provider_create takes the gateway as a connect create template (an object).', 'invalid_field')
            gateway = self.create_gateway(str(spec.get('account') or DEFAULT_ACCOUNT), dict(template, type='connect'))
            gateway.pop('_ready_at')
            gateway.update(provider_api_managed=True, change_request={'type': 'create_gateway'})
            return gateway
        gateway = self._find(spec.get('gateway_id'), spec.get('name'))
        if not gateway.get('provider_api_managed') or gateway['operational_status'] != 'provisioned' \
                or gateway.get('change_request'):
            raise bad_request('Only a provisioned provider-managed gateway without a pending change request can be '
                              'changed by its provider.', 'invalid_state')
        if kind == 'update':
            gateway['change_request'] = {'type': 'update_attributes', 'updates': self._provider_updates(gateway, spec.get('updates'))}
        else:
            gateway['change_request'] = {'type': 'delete_gateway'}
        return gateway

    def _provider_updates(self, gateway, updates):
        """The attribute updates a provider asks for, checked like the same PATCH fields."""
        if not isinstance(updates, list) or not updates:
            raise bad_request('updates must be a non-empty list.', 'invalid_field')
        for update in updates:
            if not isinstance(update, dict) or set(update) not in PROVIDER_UPDATES:
                raise bad_request('Each update is {speed_mbps}, {bgp_cer_cidr, bgp_ibm_cidr}, {bgp_asn} or {vlan}.',  # pylint: disable=raising-format-tuple
                                  'invalid_field')
            self._validate_common(update)
            if 'speed_mbps' in update and update['speed_mbps'] not in self.port(gateway['port']['id'])['supported_link_speeds']:
                raise bad_request("Cannot find Location with provided 'linkSpeed' and 'OfferingType'.", 'invalid_speed')
            if 'bgp_cer_cidr' in update:
                self._validate_bgp_cidrs(update, exclude_id=gateway['id'])
        return updates

    # ----------------------------------------------------------------- virtual connections
    def vc(self, account, gateway_id, vc_id):
        """A virtual connection of a gateway (404 when unknown, or when the caller is neither the gateway's owner nor
        the owner of the connection's network)."""
        gateway = self.gateway(account, gateway_id, own=False)
        for vc in gateway['virtual_connections']:
            if vc['id'] == vc_id and account in (gateway['_account'], vc.get('network_account')):
                return vc
        raise not_found('Cannot find Virtual Connection', 'not_found')

    def create_vc(self, account, gateway_id, body):
        """POST /gateways/{id}/virtual_connections."""
        gateway = self.gateway(account, gateway_id)
        if not isinstance(body, dict):
            raise bad_request('Invalid request body: expected a JSON object.', 'invalid_body')
        _require(body, ('name', 'type'), 'virtual connection')
        if body['type'] == 'transit' or gateway.get('connection_mode') == 'transit':
            raise bad_request('Virtual connections of a transit-mode gateway are created from the Transit Gateway '
                              '(a Direct Link connection of the transit gateway), not with this API.', 'transit_mode')
        _check_enum(body, 'type', {'classic', 'vpc'})
        _check_vc_name(body['name'])
        if body['type'] == 'vpc' and not str(body.get('network_id') or '').startswith('crn:v1:'):
            raise bad_request('network_id (the VPC CRN) is required for vpc virtual connections.', 'invalid_field')
        if body['type'] == 'classic' and body.get('network_id'):
            raise bad_request('network_id is not allowed for classic virtual connections.', 'invalid_field')
        if gateway['operational_status'] != 'provisioned':
            raise bad_request('Virtual connections can only be added to a provisioned gateway (operational_status is '
                              f"{gateway['operational_status']}).", 'invalid_state')
        for vc in gateway['virtual_connections']:
            if vc['name'] == body['name']:
                raise conflict('A virtual connection with the same name already exists', 'vc_name_exists')
            if body.get('network_id') and vc.get('network_id') == body['network_id']:
                raise conflict('The network is already connected to this gateway', 'vc_network_exists')
            if body['type'] == 'classic' and vc['type'] == 'classic':
                raise conflict('A classic virtual connection already exists on this gateway', 'vc_classic_exists')
        now_epoch = self.now()
        vc = {'created_at': now_iso(now_epoch), 'id': str(uuid.uuid4()), 'name': body['name'], 'type': body['type'],
              'status': 'pending', '_ready_at': self._schedule(now_epoch + self.vc_delay)}
        if body.get('network_id'):
            vc['network_id'] = body['network_id']
            network_account = account_of_crn(body['network_id'])
            if network_account and network_account != account:
                vc['network_account'] = network_account
                vc['status'] = 'approval_pending'
                vc.pop('_ready_at')
                vc['_expire_at'] = self._schedule(now_epoch + APPROVAL_WINDOW)
        gateway['virtual_connections'].append(vc)
        return vc

    def update_vc(self, account, gateway_id, vc_id, patch):
        """PATCH a virtual connection: rename, or (network owner only) approve/reject."""
        gateway = self.gateway(account, gateway_id, own=False)
        vc = self.vc(account, gateway_id, vc_id)
        if not isinstance(patch, dict) or set(patch) - {'name', 'status'}:
            raise bad_request('Only name and status can be updated.', 'invalid_field')
        if 'name' in patch and gateway['_account'] != account:
            raise bad_request('Only the owner of the gateway can rename its virtual connections.', 'invalid_field')
        if 'status' in patch:
            self._decide_request(gateway, vc, account, patch['status'])
        if 'name' in patch:
            _check_vc_name(patch['name'])
            if any(other['name'] == patch['name'] and other['id'] != vc_id for other in gateway['virtual_connections']):
                raise conflict('A virtual connection with the same name already exists', 'vc_name_exists')
            vc['name'] = patch['name']
        return vc

    @staticmethod
    def _decide_request(gateway, vc, account, status):
        """The network owner approves (``attached``) or rejects (``rejected``) a cross-account request while it is
        ``approval_pending``; the gateway owner cannot."""
        if gateway['_account'] == account:
            raise bad_request("gateway owner can't patch vc status.", 'invalid_field')
        if status not in ('attached', 'rejected'):
            raise bad_request(f"Invalid value '{status}' for 'status': expected attached or rejected.", 'invalid_field')
        if vc['status'] != 'approval_pending':
            raise bad_request(f"The virtual connection is {vc['status']}: only a request in approval_pending can be "
                              'approved or rejected.', 'invalid_state')
        vc['status'] = status
        vc.pop('_expire_at', None)

    def network_deleted(self, network_id):
        """The owner of a network deletes it: each virtual connection to it is ``detached_by_network_pending``,
        then ``detached_by_network`` NETWORK_DETACH_DELAY seconds later (of the simulator's clock)."""
        if not isinstance(network_id, str) or not network_id.startswith('crn:v1:'):
            raise bad_request('network_id must be the CRN of a network (crn:v1:...).', 'invalid_field')
        affected = self.detach_network(network_id)
        if not affected:
            raise not_found(f'No virtual connection to network {network_id}.', 'not_found')
        return {'event': 'network_deleted', 'virtual_connections': affected}

    def detach_network(self, network_id):
        """Detach every virtual connection to a network that is gone (see network_deleted); the ``{gateway,
        virtual_connection}`` names of those it detached."""
        deadline = self._schedule(self.now() + NETWORK_DETACH_DELAY)
        affected = []
        for gateway in self.doc['gateways']:
            for vc in gateway['virtual_connections']:
                if vc.get('network_id') == network_id and vc['status'] not in ('deleting', 'detached_by_network'):
                    for key, _before, _after in VC_TIMERS:
                        vc.pop(key, None)
                    vc.update({'status': 'detached_by_network_pending', '_detach_at': deadline})
                    affected.append({'gateway': gateway['name'], 'virtual_connection': vc['name']})
        return affected

    def delete_vc(self, account, gateway_id, vc_id):
        """DELETE a virtual connection (the gateway owner's): asynchronous, through ``deleting``."""
        self.gateway(account, gateway_id)
        vc = self.vc(account, gateway_id, vc_id)
        if vc['status'] != 'deleting':
            vc['status'] = 'deleting'
            vc.pop('_ready_at', None)
            vc['_delete_at'] = self._schedule(self.now() + self.delete_delay)

    # ----------------------------------------------------------------- transit virtual connections
    # A transit-mode gateway's virtual connections are made by the Transit Gateway service (transit.py) when one of
    # its transit gateways connects the gateway, never with this API (create_vc refuses them).
    def attach_transit_vc(self, gateway, name, network_id, network_account, ready_at):  # pylint: disable=too-many-arguments
        """A ``transit`` virtual connection to the transit gateway ``network_id``: ``pending``, ``attached`` at
        ``ready_at`` (the connection's own deadline, so both sides attach together); ``network_account`` is the
        transit gateway's account when it is not the gateway's."""
        vc = {'created_at': now_iso(self.now()), 'id': str(uuid.uuid4()), 'name': name, 'type': 'transit',
              'status': 'pending', 'network_id': network_id, '_ready_at': self._schedule(ready_at)}
        if network_account != gateway['_account']:
            vc['network_account'] = network_account
        gateway['virtual_connections'].append(vc)
        return vc

    def detach_transit_vc(self, gateway, vc_id, delete_at):
        """The transit gateway's connection is deleted: its virtual connection is ``deleting``, gone at
        ``delete_at`` (the connection's own deadline)."""
        for vc in gateway['virtual_connections']:
            if vc['id'] == vc_id and vc['status'] != 'deleting':
                for key, _before, _after in VC_TIMERS:
                    vc.pop(key, None)
                vc.update({'status': 'deleting', '_delete_at': self._schedule(delete_at)})

    # ----------------------------------------------------------------- route filters and AS prepends
    def filters(self, account, gateway_id, kind):
        """The ordered route filter list of a gateway (mutable)."""
        return self.gateway(account, gateway_id)[f'{kind}_route_filters']

    def route_filter(self, account, gateway_id, kind, filter_id):
        """One route filter (404 when unknown)."""
        for item in self.filters(account, gateway_id, kind):
            if item['id'] == filter_id:
                return item
        raise not_found('Cannot find Route Filter', 'not_found')

    @staticmethod
    def _position(filters, before):
        position = insert_position(filters, before)
        if position is None:
            raise bad_request(f"Invalid 'before': no route filter with id {before}.", 'invalid_field')
        return position

    def create_filter(self, account, gateway_id, kind, body):
        """POST a route filter, appended or inserted before another one."""
        filters = self.filters(account, gateway_id, kind)
        if not isinstance(body, dict):
            raise bad_request('Invalid request body: expected a JSON object.', 'invalid_body')
        position = self._position(filters, body.get('before'))
        route_filter = self._new_filter(body, now_iso())
        filters.insert(position, route_filter)
        return route_filter

    def update_filter(self, account, gateway_id, kind, filter_id, patch):
        """PATCH a route filter; ``before`` moves it; ge/le ``0`` clears."""
        filters = self.filters(account, gateway_id, kind)
        item = self.route_filter(account, gateway_id, kind, filter_id)
        if not isinstance(patch, dict) or set(patch) - {'action', 'before', 'ge', 'le', 'prefix'}:
            raise bad_request('Only action, before, ge, le and prefix can be updated.', 'invalid_field')
        candidate = dict(item)
        candidate.update({k: v for k, v in patch.items() if k != 'before'})
        self._validate_filter(candidate, 'route filter')
        for bound in ('ge', 'le'):
            if candidate.get(bound) in (0, None):
                candidate.pop(bound, None)
        candidate['updated_at'] = now_iso()
        item.clear()
        item.update(candidate)
        if 'before' in patch:
            filters.remove(item)
            filters.insert(self._position(filters, patch['before']), item)
        return item

    def delete_filter(self, account, gateway_id, kind, filter_id):
        """DELETE a route filter (its predecessor now points at its successor)."""
        filters = self.filters(account, gateway_id, kind)
        filters.remove(self.route_filter(account, gateway_id, kind, filter_id))

    def replace_filters(self, account, gateway_id, kind, items):
        """PUT the whole ordered list of route filters."""
        gateway = self.gateway(account, gateway_id)
        if not isinstance(items, list):
            raise bad_request(f'Invalid {kind}_route_filters: expected an array.', 'invalid_field')
        now = now_iso()
        gateway[f'{kind}_route_filters'] = [self._new_filter(item, now) for item in items]
        return gateway[f'{kind}_route_filters']

    def replace_prepends(self, account, gateway_id, items):
        """PUT the AS prepends of a gateway."""
        gateway = self.gateway(account, gateway_id)
        if not isinstance(items, list):
            raise bad_request('Invalid as_prepends: expected an array.', 'invalid_field')
        gateway['as_prepends'] = self._new_prepends(items, now_iso())
        return gateway['as_prepends']

    # ----------------------------------------------------------------- MACsec
    def macsec(self, account, gateway_id):
        """The MACsec configuration of a gateway (404 when none)."""
        gateway = self.gateway(account, gateway_id)
        if not gateway.get('macsec_config'):
            raise not_found('Cannot find MACsec configuration for the gateway', 'not_found')
        return gateway

    def set_macsec(self, account, gateway_id, body):
        """PUT /gateways/{id}/macsec: (re)configure MACsec on a MACsec-capable dedicated gateway."""
        gateway = self.gateway(account, gateway_id)
        if gateway['type'] != 'dedicated' or gateway.get('macsec_capability', 'non_macsec') == 'non_macsec':
            raise bad_request('MACsec cannot be configured on a gateway whose macsec_capability is non_macsec (its router '
                              'and speed offer no MACsec).', 'macsec_unavailable')
        gateway['macsec_config'], gateway['macsec_caks'] = self._new_macsec(body or {}, now_iso())
        if gateway['operational_status'] == 'provisioned':
            gateway['macsec_config']['status'] = 'secured'
        return gateway

    def cak(self, account, gateway_id, cak_id):
        """One CAK (404 when unknown)."""
        for item in self.macsec(account, gateway_id)['macsec_caks']:
            if item['id'] == cak_id:
                return item
        raise not_found('Cannot find MACsec CAK', 'not_found')

    def create_cak(self, account, gateway_id, body):
        """POST a CAK."""
        gateway = self.macsec(account, gateway_id)
        self._validate_cak(body, gateway['macsec_caks'])
        now = now_iso()
        item = {'created_at': now, 'id': str(uuid.uuid4()), 'key': {'crn': body['key']['crn']}, 'name': body['name'],
                'session': body['session'], 'status': 'operational', 'updated_at': now}
        gateway['macsec_caks'].append(item)
        return item

    def update_cak(self, account, gateway_id, cak_id, patch):
        """PATCH a CAK: rotate key and name together."""
        item = self.cak(account, gateway_id, cak_id)
        if not isinstance(patch, dict) or set(patch) - {'key', 'name'} or not patch:
            raise bad_request('Only key and name can be updated.', 'invalid_field')
        candidate = {'key': patch.get('key', item['key']), 'name': patch.get('name', item['name']), 'session': item['session']}
        self._validate_cak(candidate)
        previous = {'key': dict(item['key']), 'name': item['name'], 'status': item['status']}
        item.update({'key': {'crn': candidate['key']['crn']}, 'name': candidate['name'], 'updated_at': now_iso()})
        self._start_rotation(item, previous)
        return item

    def _start_rotation(self, cak, previous):
        """A patched CAK rotates: the previous key stays in the key chain (``active_delta``, kept from the first
        attempt when a rotation is retried) until the session is secured with the new key, ``vc_delay`` later."""
        cak.setdefault('active_delta', previous)
        cak['status'] = 'rotating'
        cak['_rotated_at'] = self._schedule(self.now() + self.vc_delay)

    def delete_cak(self, account, gateway_id, cak_id):
        """DELETE a CAK (the primary cannot be deleted)."""
        gateway = self.macsec(account, gateway_id)
        item = self.cak(account, gateway_id, cak_id)
        if item['session'] == 'primary':
            raise bad_request('The primary CAK cannot be deleted.', 'invalid_state')
        gateway['macsec_caks'].remove(item)

    # ----------------------------------------------------------------- simulator controls
    def disaster(self, location, mode):
        """Fail a location: ``down`` takes its gateways' links down; ``lost`` removes them and stops new orders."""
        if mode not in ('down', 'lost'):
            raise bad_request("mode must be 'down' or 'lost'.", 'invalid_field')
        affected = [g for g in self.doc['gateways'] if g['location_name'] == location]
        now = now_iso()
        if mode == 'down':
            for gateway in affected:
                gateway.update({'bgp_status': 'idle', 'bgp_status_updated_at': now})
                if gateway['type'] == 'dedicated':
                    gateway.update({'link_status': 'down', 'link_status_updated_at': now})
        else:
            self.doc['gateways'] = [g for g in self.doc['gateways'] if g['location_name'] != location]
            for offering in ('connect', 'dedicated'):
                for item in self.catalog()['locations'].get(offering, []):
                    if item['name'] == location:
                        item['provision_enabled'] = False
        return {'location': location, 'mode': mode, 'gateways': sorted(g['name'] for g in affected)}

    def fail_next_creates(self, plans):
        """Plan failures: each plan ``{"count": N, "location": optional, "to": "failed"|"create_rejected",
        "reasons": optional}`` makes the next N gateway creates (at that location, or anywhere) end in ``to``
        instead of ``provisioned`` (connect: when create_pending ends; dedicated: at once)."""
        checked = []
        for plan in plans:
            if not isinstance(plan, dict) or set(plan) - {'count', 'location', 'to', 'reasons'}:
                raise bad_request('A failing-create plan is an object with count, location, to and reasons.', 'invalid_field')
            to = plan.get('to', 'failed')
            if to not in FAILURE_STATUSES:
                raise bad_request(f"A failing create ends in one of {', '.join(FAILURE_STATUSES)}, not '{to}'.", 'invalid_field')
            checked.append({'count': int(plan.get('count', 1)), 'location': plan.get('location'), 'to': to,
                            'reasons': plan.get('reasons') or list(DEFAULT_FAILURE_REASONS)})
        self.failing_creates = checked

    def _planned_failure(self, location):
        """The failure planned for the next create at ``location``, if any (and count it as used)."""
        for plan in self.failing_creates:
            if plan['count'] > 0 and plan['location'] in (None, location):
                plan['count'] -= 1
                return {'to': plan['to'], 'reasons': plan['reasons']}
        return None

    def event(self, spec):
        """Something another party does (``POST /_sim/event``): ``network_deleted`` (the owner of ``network_id``
        deletes it) or ``provider_create`` / ``provider_update`` / ``provider_delete`` (a provider asks, see
        provider_request)."""
        kind = spec.get('event') if isinstance(spec, dict) else None
        if kind not in EVENT_KEYS:
            raise bad_request(f"event must be one of {', '.join(EVENT_KEYS)}.", 'invalid_field')
        _control_object(spec, EVENT_KEYS[kind] | {'event'}, f'POST /_sim/event {kind}')
        if kind == 'network_deleted':
            return self.network_deleted(spec.get('network_id'))
        gateway = self.provider_request(kind[len('provider_'):], spec)
        return {'event': kind, 'id': gateway['id'], 'name': gateway['name'], 'change_request': gateway['change_request']}

    def _find(self, gateway_id=None, name=None):
        """A gateway of any account, by id or name (for the controls)."""
        candidates = [g for g in self.doc['gateways'] if g['id'] == gateway_id or (name and g['name'] == name)]
        if not candidates:
            raise not_found('Cannot find Gateway', 'not_found')
        return candidates[0]

    def advance(self, gateway_id=None, name=None, to=None, reasons=None, reason=None):  # pylint: disable=too-many-arguments
        """Move a gateway's lifecycle on: the next dedicated step, or straight to ``to`` (``reasons`` for a failure,
        ``reason`` for a rejected completion notice)."""
        gateway = self._find(gateway_id, name)
        current = gateway['operational_status']
        if to is None:
            if current not in DEDICATED_STEPS or current == 'provisioned':
                raise bad_request(f'No next step after {current}.', 'invalid_state')
            to = DEDICATED_STEPS[DEDICATED_STEPS.index(current) + 1]
        if to not in OPERATIONAL_STATUSES:
            raise bad_request(f"Unknown operational_status '{to}'.", 'invalid_field')
        now = now_iso()
        gateway['operational_status'] = to
        gateway.pop('_ready_at', None)
        if to == 'provisioned':
            gateway.update({'bgp_status': 'established', 'bgp_status_updated_at': now})
            if gateway['type'] == 'dedicated':
                gateway.update({'link_status': 'up', 'link_status_updated_at': now})
            if gateway.get('macsec_config'):
                gateway['macsec_config']['status'] = 'secured'
        if to in ('failed', 'create_rejected'):
            gateway['operational_status_reasons'] = reasons or list(DEFAULT_FAILURE_REASONS)
        if to == 'loa_created':
            gateway['_loa'] = True
        if to == 'completion_notice_rejected':
            gateway['completion_notice_reject_reason'] = reason or 'The completion notice could not be verified.'
        return gateway

    def observe(self, spec):
        """What the service observes on a gateway and the API only reports (``POST /_sim/set``): ``bgp_status``,
        ``macsec`` ``{status, status_reasons?}``, ``cak`` ``{name or id, status}`` and ``on_prem_routes`` (the prefixes
        the customer's router advertises, which route reports show and check for overlaps).  Everything is checked
        before anything changes."""
        _control_object(spec, {'gateway_id', 'name', 'bgp_status', 'macsec', 'cak', 'on_prem_routes'}, 'POST /_sim/set')
        gateway = self._find(spec.get('gateway_id'), spec.get('name'))
        changes = []
        if 'bgp_status' in spec:
            status = _one_of(spec['bgp_status'], BGP_STATUSES, 'bgp_status')
            changes.append(lambda: gateway.update(bgp_status=status, bgp_status_updated_at=now_iso(self.now())))
        if 'macsec' in spec:
            changes.append(self._macsec_change(gateway, spec['macsec']))
        if 'cak' in spec:
            changes.append(self._cak_change(gateway, spec['cak']))
        if 'on_prem_routes' in spec:
            routes = spec['on_prem_routes']
            if not isinstance(routes, list) or not all(isinstance(route, str) for route in routes):
                raise bad_request('on_prem_routes must be a list of prefixes.', 'invalid_field')
            for route in routes:
                self._validate_filter({'action': 'permit', 'prefix': route}, 'on-prem route')
            changes.append(lambda: gateway.update(_on_prem_routes=list(routes)))
        for change in changes:
            change()
        return gateway

    @staticmethod
    def _macsec_config(gateway):
        if not gateway.get('macsec_config'):
            raise bad_request(f"Gateway {gateway['name']} has no MACsec configuration.", 'invalid_state')
        return gateway['macsec_config']

    def _macsec_change(self, gateway, observed):
        """The MACsec status (with ``status_reasons``; a ``failed`` one defaults to ``macsec_cak_failed``), checked."""
        config = self._macsec_config(gateway)
        _control_object(observed, {'status', 'status_reasons'}, 'macsec')
        status = _one_of(observed.get('status'), MACSEC_STATUSES, 'MACsec status')
        reasons = observed.get('status_reasons')
        if reasons is None:
            reasons = [dict(CAK_FAILED_REASON)] if status == 'failed' else []
        if not isinstance(reasons, list) or not all(isinstance(r, dict) and r.get('code') and r.get('message') for r in reasons):
            raise bad_request('status_reasons must be a list of {code, message, more_info?}.', 'invalid_field')  # pylint: disable=raising-format-tuple
        return lambda: config.update(status=status, status_reasons=reasons)

    def _cak_change(self, gateway, observed):
        """A CAK's status as the device reports it, checked: a rotation ends ``inactive`` (key mismatch) or ``failed``
        (the key store refused the key), keeping ``active_delta``; a failed CAK fails the MACsec configuration;
        ``rotating`` starts a rotation."""
        config = self._macsec_config(gateway)
        _control_object(observed, {'id', 'name', 'status'}, 'cak')
        status = _one_of(observed.get('status'), CAK_STATUSES, 'CAK status')
        found = [cak for cak in gateway['macsec_caks'] if observed.get('id') == cak['id'] or observed.get('name') == cak['name']]
        if not found:
            raise not_found('Cannot find MACsec CAK', 'not_found')
        cak = found[0]

        def apply():
            if status == 'rotating':
                self._start_rotation(cak, {'key': dict(cak['key']), 'name': cak['name'], 'status': cak['status']})
                return
            cak.pop('_rotated_at', None)
            cak['status'] = status
            if status in ('active', 'operational'):
                cak.pop('active_delta', None)
            if status == 'failed':
                config.update(status='failed', status_reasons=[dict(CAK_FAILED_REASON)])
        return apply
