"""The HTTP server: IAM token endpoint, Direct Link v1 and the Transit Gateway API under /v1, health check and
/_sim/ controls.

Requests are served concurrently (one thread each); one lock guards the state.  Injected latency is slept
outside the lock, so a slow API still serves many requests at once, like the real one.
"""

import dataclasses
import datetime
import hashlib
import json
import math
import os
import random
import re
import socket
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections import Counter, deque
from http import HTTPStatus
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from dlsim import api, seeds, transit_api
from dlsim.errors import ApiError, bad_request, new_trace
from dlsim.iam import TokenError, TokenService
from dlsim.state import UUID_RE, Account
from dlsim.transit import TransitGateways

VERSION_RE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
FIRST_VERSION = datetime.date(2019, 12, 13)
MUTATING = {'POST', 'PUT', 'PATCH', 'DELETE'}
MUTATION_LOG = 10000  # the mutating requests /_sim/stats lists, in the order they were served (the latest ones)
MAX_BODY_BYTES = 1024 * 1024  # API and IAM request bodies; a larger one is refused (413) before it is read
MAX_CONTROL_BODY_BYTES = 512 * 1024 * 1024  # /_sim/seed may carry a whole state document
MAX_JSON_DEPTH = 64
# After an error that leaves a request body unread: how long, and how much of it, is read and dropped before closing.
LINGER_SECONDS = 2.0
LINGER_BYTES = 64 * 1024 * 1024
MAX_CHUNK_LINE = 1024  # a chunk-size line or a trailer line, in bytes
MAX_TRAILER_LINES = 100
DIGITS_RE = re.compile(r'^[0-9]+$')
CHUNK_SIZE_RE = re.compile(rb'^[0-9a-fA-F]+$')
JSON_CONTENT_TYPES = ('application/json', 'application/merge-patch+json')
BODY_CONTENT_TYPES = {'create_gateway_completion_notice': ('multipart/form-data',)}  # by operation; default JSON
ID_PARAMS = ('gateway_id', 'id', 'cak_id')
API_ROUTES = api.ROUTES + transit_api.ROUTES  # one server, one /v1: Direct Link and Transit Gateway
ID_RESOURCES = {'gateways': 'Gateway', 'virtual_connections': 'Virtual Connection', 'export_route_filters': 'Route Filter',
                'import_route_filters': 'Route Filter', 'route_reports': 'Route Report', 'caks': 'MACsec CAK',
                'ports': 'Port'}


@dataclasses.dataclass
class Request:
    """What a handler needs from an HTTP request."""

    method: str
    path: str
    query: dict
    headers: HTTPMessage
    body: bytes
    base_url: str

    def json(self):
        """The request body as JSON (400 when it is not, or when it nests deeper than MAX_JSON_DEPTH)."""
        if not self.body:
            return None
        try:
            document = json.loads(self.body)
        except RecursionError as exc:
            raise bad_request(f'The request body nests deeper than {MAX_JSON_DEPTH} levels.', 'invalid_body') from exc
        except ValueError as exc:
            raise bad_request(f'The request body is not valid JSON: {exc}.', 'invalid_body') from exc
        if nests_deeper(document, MAX_JSON_DEPTH):
            raise bad_request(f'The request body nests deeper than {MAX_JSON_DEPTH} levels.', 'invalid_body')
        return document

    def content_type(self):
        """The media type of the body, lower case and without parameters ('' when none was sent)."""
        return (self.headers.get('Content-Type') or '').split(';', 1)[0].strip().lower()


def nests_deeper(document, limit):
    """Whether arrays and objects in a JSON document nest deeper than ``limit`` (without recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return False


class Faults:
    """Injected faults: latency, error responses, lost responses and IAM outages."""

    def __init__(self, latency_ms=0, rate=0.0):
        self.base_latency_ms = latency_ms  # from the command line; what an empty configuration returns to
        self.base_rate = rate
        self.latency_ms = latency_ms
        self.rate = rate
        self.statuses = [429, 500, 502, 503]
        self.retry_after = 1
        self.lost_response_rate = 0.0
        self.lost_response_methods = ['POST']
        self.iam_outage_until = 0.0
        self.iam_failures = 0
        self.paths = None
        self.random = random.Random(0)

    def configure(self, settings):
        """Replace the fault settings; those left out return to the command line's (an empty dict clears)."""
        known = {'latency_ms', 'rate', 'statuses', 'retry_after', 'lost_response_rate', 'lost_response_methods',
                 'iam_outage_seconds', 'iam_failures', 'paths', 'seed'}
        unknown = set(settings) - known
        if unknown:
            raise bad_request(f"Unknown fault setting(s): {', '.join(sorted(unknown))}.")
        self.rate = float(settings.get('rate', self.base_rate))
        self.statuses = list(settings.get('statuses', [429, 500, 502, 503]))
        self.retry_after = settings.get('retry_after', 1)
        self.lost_response_rate = float(settings.get('lost_response_rate', 0.0))
        self.lost_response_methods = list(settings.get('lost_response_methods', ['POST']))
        self.iam_outage_until = time.time() + float(settings.get('iam_outage_seconds', 0))
        self.iam_failures = int(settings.get('iam_failures', 0))
        self.paths = settings.get('paths')
        self.latency_ms = int(settings.get('latency_ms', self.base_latency_ms))
        if 'seed' in settings:
            self.random.seed(settings['seed'])

    def applies(self, template):
        """Whether error and lost-response faults apply to a path template."""
        return self.paths is None or template in self.paths

    def describe(self):
        """The current settings."""
        return {'latency_ms': self.latency_ms, 'rate': self.rate, 'statuses': self.statuses,
                'retry_after': self.retry_after, 'lost_response_rate': self.lost_response_rate,
                'lost_response_methods': self.lost_response_methods,
                'iam_outage_seconds': max(0.0, round(self.iam_outage_until - time.time(), 3)),
                'iam_failures': self.iam_failures, 'paths': self.paths}


class RateLimit:
    """The API gateway's rate limit: a token bucket per account (``rps`` tokens a second, at most ``burst``).

    An API request (Direct Link or Transit Gateway) takes a token from its account's bucket, or is answered 429 with
    ``Retry-After``: the seconds until a token is there, rounded up, at least 1.  IAM token requests are not limited.
    Off when ``rps`` is None.  ``clock`` is injectable for tests.
    """

    def __init__(self, rps=None, burst=None, clock=time.monotonic):
        self.clock = clock
        self.rps = self.burst = None
        self.buckets = {}
        self.set(rps, burst)

    def set(self, rps, burst=None):
        """Set the limit (``rps`` None: none); every bucket starts full.  ``burst`` defaults to ``rps`` (at least 1)."""
        if rps is not None and (isinstance(rps, bool) or not isinstance(rps, (int, float)) or rps <= 0):
            raise bad_request(f'Invalid rate limit rps {rps!r}: expected a positive number or null.')
        if burst is not None and (isinstance(burst, bool) or not isinstance(burst, int) or burst < 1):
            raise bad_request(f'Invalid rate limit burst {burst!r}: expected a positive integer.')
        self.rps = float(rps) if rps is not None else None
        self.burst = (burst or max(1, math.ceil(rps))) if rps is not None else None
        self.buckets = {}

    def configure(self, settings):
        """POST /_sim/rate_limit: ``{"rps": R, "burst": B}`` sets the limit, ``{}`` clears it."""
        if not isinstance(settings, dict) or set(settings) - {'rps', 'burst'}:
            raise bad_request('Rate limit settings must be a JSON object with rps and burst.')
        self.set(settings.get('rps'), settings.get('burst'))

    def take(self, account):
        """Take a token from ``account``'s bucket: None when one was there, else the Retry-After in seconds."""
        if self.rps is None:
            return None
        now = self.clock()
        tokens, since = self.buckets.get(account, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * self.rps)
        if tokens >= 1.0:
            self.buckets[account] = (tokens - 1.0, now)
            return None
        self.buckets[account] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.rps))

    def describe(self):
        """The current limit."""
        return {'rps': self.rps, 'burst': self.burst}


class Stats:
    """Request counters, by method and path template, and the most API requests served at once."""

    def __init__(self):
        self.in_flight = 0
        self.reset()

    def enter(self):
        """An API request starts being served."""
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def leave(self):
        """An API request has been served."""
        self.in_flight -= 1

    def reset(self):
        """Zero every counter."""
        self.requests = Counter()
        self.by_method = Counter()
        self.mutating = 0
        self.mutations = deque(maxlen=MUTATION_LOG)
        self.iam_tokens = 0
        self.faults_injected = 0
        self.rate_limited = 0
        self.lost_responses = 0
        self.total = 0
        self.by_status = Counter()
        self.peak_in_flight = self.in_flight

    def snapshot(self):
        """The counters as a JSON document."""
        return {'requests': dict(sorted(self.requests.items())), 'by_method': dict(sorted(self.by_method.items())),
                'mutating': self.mutating, 'mutations': list(self.mutations), 'iam_tokens': self.iam_tokens,
                'faults_injected': self.faults_injected, 'rate_limited': self.rate_limited, 'lost_responses': self.lost_responses, 'total': self.total,
                'peak_in_flight': self.peak_in_flight,
                'by_status': {str(status): count for status, count in sorted(self.by_status.items())}}


class Simulator:
    """Everything the request handler shares: state (the Direct Link service ``state`` and the Transit Gateway
    service ``transit`` over one document), tokens, faults, stats, persistence."""

    def __init__(self, doc, tokens, faults, provision_delay=3.0, vc_delay=1.0, state_file=None,  # pylint: disable=too-many-arguments
                 rate_limit=None):
        self.lock = threading.RLock()
        self.state = Account(doc, provision_delay=provision_delay, vc_delay=vc_delay)
        self.transit = TransitGateways(self.state)
        self.tokens = tokens
        self.faults = faults
        self.rate_limit = rate_limit or RateLimit()
        self.stats = Stats()
        self.state_file = state_file

    def persist(self):
        """Write the state file atomically (when one is configured)."""
        if not self.state_file:
            return
        directory = os.path.dirname(os.path.abspath(self.state_file))
        handle, temporary = tempfile.mkstemp(dir=directory, prefix='.dlsim-state-')
        with os.fdopen(handle, 'w') as stream:
            json.dump(self.state.doc, stream)
        os.replace(temporary, self.state_file)

    def replace_state(self, doc):
        """Load a new state document (seed or reset), keeping delays and planned create failures."""
        failing_creates = self.state.failing_creates
        self.state = Account(doc, provision_delay=self.state.provision_delay, vc_delay=self.state.vc_delay)
        self.state.failing_creates = failing_creates
        self.transit = TransitGateways(self.state)
        self.persist()

    def tick(self):
        """Advance every lifecycle to now: the Direct Link ones, then the Transit Gateway ones (which follow what
        happened to the Direct Link gateways they connect)."""
        self.state.tick()
        self.transit.tick()

    def disaster(self, settings):
        """POST /_sim/disaster: a Direct Link location fails (``location``, ``mode`` ``down`` or ``lost``); with
        ``transit_regions`` (a list of Transit Gateway regions, mode ``lost``) the transit gateways of those regions
        are lost too.  The answer adds ``transit_regions`` and the lost ``transit_gateways`` when they were asked for."""
        if not isinstance(settings, dict):
            raise bad_request('Disaster settings must be a JSON object.')
        mode = settings.get('mode', 'lost')
        lost_transit = self.transit.disaster(settings['transit_regions'], mode) if 'transit_regions' in settings else {}
        result = dict(self.state.disaster(settings.get('location'), mode), **lost_transit)
        self.tick()  # the connections to the lost gateways are detached at once
        return result

    def configure_faults(self, settings):
        """POST /_sim/faults: transport faults, plus ``fail_creates`` (a plan or a list of plans, see
        Account.fail_next_creates).  Settings left out are cleared."""
        if not isinstance(settings, dict):
            raise bad_request('Fault settings must be a JSON object.')
        settings = dict(settings)
        plans = settings.pop('fail_creates', [])
        self.faults.configure(settings)
        self.state.fail_next_creates(plans if isinstance(plans, list) else [plans])

    def describe_faults(self):
        """The current fault settings."""
        return dict(self.faults.describe(), fail_creates=self.state.failing_creates)


class Handler(BaseHTTPRequestHandler):
    """One HTTP request."""

    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stalls
    server_version = 'dlsim/0.1'
    sim = None  # set by make_server
    answering_api = False  # whether the answer being sent is an API request's (counted by status)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Keep the terminal quiet; the stats endpoint tells what happened."""

    def send_error(self, code, message=None, explain=None):
        """What http.server answers by itself (a method it has no do_ for, a malformed request line, headers too
        large): in IBM's error shape instead of an HTML page, and the connection closed."""
        if code == HTTPStatus.NOT_IMPLEMENTED:  # http.server's answer to a method without a do_ method
            error = ApiError(405, 'method_not_allowed', f'Method {self.command} is not allowed.')
        else:
            error = ApiError(code, re.sub(r'\W+', '_', HTTPStatus(code).phrase.lower()), message or HTTPStatus(code).phrase)
        self._send_closing(error, new_trace())

    # ------------------------------------------------------------------ plumbing
    def _request(self, method):
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        body = self._read_body(MAX_CONTROL_BODY_BYTES if parsed.path.startswith('/_sim/') else MAX_BODY_BYTES)
        host = self.headers.get('Host') or f'{self.server.server_address[0]}:{self.server.server_address[1]}'
        return Request(method, parsed.path.rstrip('/') or '/', query, self.headers, body, f'http://{host}')

    def _read_body(self, limit):
        """The request body, sent with Content-Length or chunked; 413 before reading one over ``limit`` bytes,
        400 for a malformed length or chunk."""
        encoding = (self.headers.get('Transfer-Encoding') or '').strip().lower()
        lengths = set(self.headers.get_all('Content-Length') or [])
        if encoding:
            if encoding != 'chunked':
                raise ApiError(501, 'not_implemented', 'Only the chunked Transfer-Encoding is supported.')
            if lengths:
                raise bad_request('A request cannot carry both Content-Length and Transfer-Encoding.', 'invalid_request')
            return self._read_chunks(limit)
        if not lengths:
            return b''
        if len(lengths) > 1 or not DIGITS_RE.match(next(iter(lengths)).strip()):
            raise bad_request('Invalid Content-Length header: expected one non-negative integer.', 'invalid_request')
        length = int(next(iter(lengths)))
        if length > limit:
            raise body_too_large(limit)
        body = self.rfile.read(length)
        if len(body) < length:
            raise bad_request('The request body is shorter than its Content-Length.', 'invalid_request')
        return body

    def _read_chunks(self, limit):
        """A chunked request body (RFC 9112 section 7.1), its trailer section discarded."""
        chunks, size = [], 0
        while True:
            line = self.rfile.readline(MAX_CHUNK_LINE + 1)
            size_text = line.split(b';', 1)[0].strip()
            if len(line) > MAX_CHUNK_LINE or not CHUNK_SIZE_RE.match(size_text):
                raise bad_request('Invalid chunked request body: malformed chunk size.', 'invalid_request')
            chunk_size = int(size_text, 16)
            if chunk_size == 0:
                break
            size += chunk_size
            if size > limit:
                raise body_too_large(limit)
            chunk = self.rfile.read(chunk_size)
            if len(chunk) < chunk_size or self.rfile.readline(MAX_CHUNK_LINE + 1).strip():
                raise bad_request('Invalid chunked request body: a chunk is shorter than its size.', 'invalid_request')
            chunks.append(chunk)
        for _line in range(MAX_TRAILER_LINES):
            if not self.rfile.readline(MAX_CHUNK_LINE + 1).strip():
                return b''.join(chunks)
        raise bad_request('Invalid chunked request body: too many trailer lines.', 'invalid_request')

    def _send(self, status, body=None, headers=None, trace=None):
        """Answer; ``body`` is None, an encode()d pair, or a JSON document that nobody else can be changing."""
        payload, content_type = body if isinstance(body, tuple) else encode(body)
        if self.answering_api:
            with self.sim.lock:
                self.sim.stats.by_status[status] += 1
        self.send_response(status)
        self.send_header('X-Global-Transaction-ID', trace or new_trace())
        if content_type:
            self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        if payload and getattr(self, 'command', None) != 'HEAD':
            self.wfile.write(payload)

    def _send_error(self, error, trace):
        self._send(error.status, error.body(trace), error.headers, trace)

    def _send_closing(self, error, trace):
        """Answer an error and close the connection: what is left of the request was never read.

        The close lingers, as web servers' does: the answer goes out, the write side is shut, and whatever the client
        is still sending is read and dropped (at most LINGER_BYTES, for at most LINGER_SECONDS). Closing at once with
        unread data would reset the connection, and the client could lose the answer it has not read yet.
        """
        self.close_connection = True
        self._send(error.status, error.body(trace), dict(error.headers, Connection='close'), trace)
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(LINGER_SECONDS)
            deadline, dropped = time.monotonic() + LINGER_SECONDS, 0
            while dropped < LINGER_BYTES and time.monotonic() < deadline:
                data = self.connection.recv(64 * 1024)
                if not data:
                    break
                dropped += len(data)
        except OSError:  # the client is gone, or the linger timed out
            pass

    def _drop_connection(self):
        """Close the socket without answering: the client sees a lost response."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _dispatch(self):
        """Serve the request's method (``self.command``): every do_* method is this one.  HEAD and OPTIONS are
        dispatched too, though no operation has them: HEAD gets a 405 with headers only, OPTIONS a 405 with an Allow
        header."""
        trace = new_trace()
        self.answering_api = False
        try:
            request = self._request(self.command)
        except ApiError as error:
            self._send_closing(error, trace)
            return
        try:
            self._route(request, trace)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client went away; nobody to answer
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # A simulator bug must still give the client an answer in IBM's shape (and the log a traceback).
            traceback.print_exc()
            self._send_error(ApiError(500, 'internal_error', f'dlsim internal error: {type(exc).__name__}: {exc}'), trace)

    # http.server calls do_<method>; every method goes through the same dispatch
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    def _route(self, request, trace):
        try:
            if request.path == '/healthz':
                self._send(200, {'status': 'ok'}, trace=trace)
            elif request.path.startswith('/_sim/'):
                self._control(request, trace)
            elif request.path == '/identity/token':
                self._iam(request, trace)
            elif request.path.startswith('/v1/') or request.path == '/v1':
                self._api(request, trace)
            else:
                self._send_error(ApiError(404, 'not_found', f'No resource at {request.path}.'), trace)
        except ApiError as error:
            self._send_error(error, trace)

    # ------------------------------------------------------------------ IAM
    def _iam(self, request, trace):
        sim = self.sim
        self._sleep_latency()
        with sim.lock:
            sim.stats.requests[f'{request.method} /identity/token'] += 1
            sim.stats.by_method[request.method] += 1
            sim.stats.total += 1
            outage = time.time() < sim.faults.iam_outage_until or sim.faults.iam_failures > 0
            if outage:
                sim.faults.iam_failures = max(0, sim.faults.iam_failures - 1)
                sim.stats.faults_injected += 1
        if request.method != 'POST':
            raise ApiError(405, 'method_not_allowed', 'Use POST to request a token.')
        if outage:
            self._send(503, {'errorCode': 'BXNIM0001E', 'errorMessage': 'IAM is temporarily unavailable.',
                             'context': {'requestId': trace}}, {'Retry-After': 1}, trace)
            return
        form = dict(urllib.parse.parse_qsl(request.body.decode('utf-8', 'replace')))
        if form.get('grant_type') != 'urn:ibm:params:oauth:grant-type:apikey':
            self._send(400, {'errorCode': 'BXNIM0109E', 'errorMessage': 'Property missing or empty: grant_type or '
                             'unsupported grant type.', 'context': {'requestId': trace}}, trace=trace)
            return
        with sim.lock:
            issued = sim.tokens.issue(form.get('apikey', ''))
            if issued:
                sim.stats.iam_tokens += 1
        if issued is None:
            self._send(400, {'errorCode': 'BXNIM0415E', 'errorMessage': 'Provided API key could not be found.',
                             'context': {'requestId': trace}}, trace=trace)
            return
        self._send(200, issued, trace=trace)

    # ------------------------------------------------------------------ Direct Link and Transit Gateway
    def _sleep_latency(self):
        latency = self.sim.faults.latency_ms
        if latency:
            time.sleep(latency / 1000.0)

    def _api(self, request, trace):
        self.answering_api = True
        with self.sim.lock:
            self.sim.stats.enter()
        try:
            self._serve_api(request, trace)
        finally:
            with self.sim.lock:
                self.sim.stats.leave()

    def _serve_api(self, request, trace):
        """An API request, Direct Link or Transit Gateway: both go through the same latency, faults, version check,
        IAM, rate limit and stats."""
        sim = self.sim
        try:
            template, operation, handler, params = self._match(request)
        except ApiError:
            template, operation, handler, params = request.path, None, None, {}
        self._sleep_latency()
        with sim.lock:
            sim.stats.requests[f'{request.method} {template}'] += 1
            sim.stats.by_method[request.method] += 1
            sim.stats.total += 1
            faults = sim.faults
            if handler is not None and faults.applies(template) and faults.rate and faults.random.random() < faults.rate:
                status = faults.random.choice(faults.statuses)
                sim.stats.faults_injected += 1
                injected = ApiError(status, 'too_many_requests' if status == 429 else 'service_unavailable',
                                    'Too many requests.' if status == 429 else 'The service is temporarily unavailable.',
                                    {'Retry-After': faults.retry_after} if status == 429 else {})
            else:
                injected = None
            lose = (handler is not None and request.method in faults.lost_response_methods and faults.applies(template)
                    and faults.lost_response_rate and faults.random.random() < faults.lost_response_rate)
        if injected is not None:
            self._send_error(injected, trace)
            return
        if handler is None:
            self._match(request)  # raises the 404/405
        self._check_version(request)
        try:
            account = sim.tokens.verify(request.headers.get('Authorization'))
        except TokenError as exc:
            raise ApiError(401, 'not_authorized', f'Unauthorized: {exc}') from exc
        self._check_rate_limit(account)
        self._check_content_type(request, operation)
        if template not in transit_api.TEMPLATES:  # the Transit Gateway API answers an unknown id of any form 404
            self._check_ids(template, params)
        with sim.lock:
            sim.tick()
            if request.method in MUTATING:
                sim.stats.mutating += 1
            status, body, headers = handler(sim, request, account, **params)
            body = encode(body)  # inside the lock: the body may share objects with the state
            if request.method in MUTATING:
                sim.stats.mutations.append(f'{request.method} {request.path}')
                sim.persist()
            if lose:
                sim.stats.lost_responses += 1
        if lose:
            self._drop_connection()
            return
        self._send(status, body, headers, trace)

    @staticmethod
    def _match(request):
        return api.match(request.method, request.path, API_ROUTES, service='Direct Link or Transit Gateway')

    def _check_rate_limit(self, account):
        """429 with Retry-After when the account's bucket is empty."""
        with self.sim.lock:
            retry_after = self.sim.rate_limit.take(account)
            if retry_after is not None:
                self.sim.stats.rate_limited += 1
        if retry_after is not None:
            raise ApiError(429, 'rate_limit_exceeded', 'Rate limit exceeded: too many requests for this account.',
                           {'Retry-After': retry_after})

    @staticmethod
    def _check_content_type(request, operation):
        """415 for a body of a media type the operation does not take."""
        accepted = BODY_CONTENT_TYPES.get(operation, JSON_CONTENT_TYPES)
        if request.body and request.content_type() not in accepted:
            raise ApiError(415, 'unsupported_media_type', f"Unsupported Content-Type '{request.content_type()}': "
                           f"expected {' or '.join(accepted)}.")

    @staticmethod
    def _check_ids(template, params):
        """400 ``invalid_id`` for a malformed id in the path, the same for every kind of resource."""
        segments = template.split('/')
        for name in ID_PARAMS:
            if name in params and not UUID_RE.match(params[name]):
                resource = ID_RESOURCES.get(segments[segments.index('{' + name + '}') - 1], 'Resource')
                raise bad_request(f'Invalid {resource} Id.', 'invalid_id')

    @staticmethod
    def _check_version(request):
        version = request.query.get('version')
        if not version:
            raise bad_request("The 'version' query parameter is required (a date, YYYY-MM-DD).", 'missing_version')
        try:
            date = datetime.date.fromisoformat(version) if VERSION_RE.match(version) else None
        except ValueError:
            date = None
        if date is None:
            raise bad_request(f"Invalid 'version' query parameter '{version}': expected a date YYYY-MM-DD.", 'invalid_version')
        if not FIRST_VERSION <= date <= datetime.date.today():
            raise bad_request(f"Invalid 'version' query parameter '{version}': any date from 2019-12-13 up to today.",
                              'invalid_version')

    # ------------------------------------------------------------------ controls
    def _control(self, request, trace):
        sim = self.sim
        name = request.path[len('/_sim/'):]
        body = request.json() or {}
        with sim.lock:
            sim.tick()
            if (request.method, name) == ('GET', 'stats'):
                result = sim.stats.snapshot()
            elif (request.method, name) == ('POST', 'stats/reset'):
                sim.stats.reset()
                result = sim.stats.snapshot()
            elif (request.method, name) == ('GET', 'state'):
                result = sim.state.doc
            elif (request.method, name) == ('POST', 'reset'):
                sim.replace_state(seeds.empty(sim.state.catalog()))
                result = {'gateways': 0}
            elif (request.method, name) == ('POST', 'seed'):
                sim.replace_state(seeds.load(body))
                result = {'gateways': len(sim.state.doc['gateways'])}
            elif (request.method, name) == ('GET', 'faults'):
                result = sim.describe_faults()
            elif (request.method, name) == ('POST', 'faults'):
                sim.configure_faults(body)
                result = sim.describe_faults()
            elif (request.method, name) == ('GET', 'rate_limit'):
                result = sim.rate_limit.describe()
            elif (request.method, name) == ('POST', 'rate_limit'):
                sim.rate_limit.configure(body)
                result = sim.rate_limit.describe()
            elif (request.method, name) == ('POST', 'disaster'):
                result = sim.disaster(body)
                sim.persist()
            elif (request.method, name) == ('POST', 'advance') and isinstance(body, dict) and 'seconds' in body:
                result = sim.state.advance_clock(body['seconds'])
                sim.tick()
                sim.persist()
            elif (request.method, name) == ('POST', 'advance'):
                gateway = sim.state.advance(body.get('gateway_id'), body.get('name'), body.get('to'), body.get('reasons'),
                                            body.get('reason'))
                sim.persist()
                result = {'id': gateway['id'], 'name': gateway['name'], 'operational_status': gateway['operational_status']}
            elif (request.method, name) == ('POST', 'set'):
                gateway = sim.state.observe(body)
                sim.persist()
                result = {'id': gateway['id'], 'name': gateway['name']}
            elif (request.method, name) == ('POST', 'event'):
                result = sim.state.event(body)
                sim.persist()
            else:
                raise ApiError(404, 'not_found', f'No simulator control {request.method} /_sim/{name}.')
            payload = encode(result)
        self._send(200, payload, trace=trace)


def body_too_large(limit):
    """413 for a request body over ``limit`` bytes."""
    return ApiError(413, 'request_entity_too_large', f'The request body is larger than {limit} bytes.')


def encode(body):
    """(payload bytes, content type) of a response body: JSON for documents, PDF for bytes, nothing for None."""
    if body is None:
        return b'', None
    if isinstance(body, tuple):
        return body
    if isinstance(body, bytes):
        return body, 'application/pdf'
    return json.dumps(body).encode(), 'application/json'


def make_server(host, port, simulator):
    """A threading HTTP server bound to (host, port), serving ``simulator``."""
    handler = type('BoundHandler', (Handler,), {'sim': simulator})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def build(seed='demo', api_keys=None, token_ttl=3600, provision_delay=3.0, vc_delay=1.0, state_file=None,  # pylint: disable=too-many-arguments
          latency_ms=0, fault_rate=0.0, rate_limit=None, rate_burst=None):
    """A Simulator loaded from the state file when it exists, else from ``seed``.

    With a state file, tokens are signed with a key derived from its path, so that tokens issued before a
    crash stay valid after the restart (as real IAM tokens outlive a Direct Link outage).
    """
    signing_key = None
    if state_file:
        signing_key = hashlib.sha256(b'dlsim-token-key:' + os.path.abspath(state_file).encode()).digest()
    if state_file and os.path.exists(state_file):
        with open(state_file, encoding='utf-8') as stream:
            doc = json.load(stream)
    else:
        doc = seeds.load({'seed': seed} if isinstance(seed, str) else seed)
    simulator = Simulator(doc, TokenService(api_keys or seeds.default_api_keys(), ttl=token_ttl, signing_key=signing_key),
                          Faults(latency_ms=latency_ms, rate=fault_rate),
                          provision_delay=provision_delay, vc_delay=vc_delay, state_file=state_file,
                          rate_limit=RateLimit(rate_limit, rate_burst))
    simulator.persist()
    return simulator
