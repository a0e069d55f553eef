# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials and endpoints: the common argument spec and the SDK client built from it.

A play can exchange the API key for one IAM token (module ``iam_token``) and hand that token to every task;
``ReusedTokenAuthenticator`` sends it while it has more than ``iam_token_min_ttl`` seconds left and falls back
to the API key afterwards, so long plays do not fail on expiry and short ones cost a single IAM request.
"""

import os
import time
import urllib.parse

from ansible.module_utils.basic import env_fallback

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError

DEFAULT_ENDPOINT = 'https://directlink.cloud.ibm.com/v1'
ENDPOINT_VARIABLE = 'IBMCLOUD_DL_API_ENDPOINT'
TRANSIT_ENDPOINT_VARIABLE = 'IBMCLOUD_TG_API_ENDPOINT'
DIRECT_LINK_HOST_LABEL = 'directlink'
TRANSIT_HOST_LABEL = 'transit'
DEFAULT_IAM_ENDPOINT = 'https://iam.cloud.ibm.com'
DEFAULT_API_VERSION = '2024-11-01'
HTTP_POOL_SIZE = 64

try:
    import jwt
    from ibm_cloud_networking_services import DirectLinkV1, TransitGatewayApisV1
    from ibm_cloud_sdk_core.authenticators import Authenticator, IAMAuthenticator
    from ibm_cloud_sdk_core.http_adapter import SSLHTTPAdapter
    from ibm_cloud_sdk_core.token_managers.iam_token_manager import IAMTokenManager
except ImportError:  # the module reports the missing SDK with missing_required_lib
    Authenticator = IAMTokenManager = object


def auth_argument_spec():
    """The options every module takes (documented in the ``cloud_dr.ibm_direct_link.auth`` doc fragment)."""
    return dict(
        api_key=dict(type='str', no_log=True, aliases=['ibmcloud_api_key'],
                     fallback=(env_fallback, ['IC_API_KEY', 'IBMCLOUD_API_KEY'])),
        iam_token=dict(type='str', no_log=True),
        iam_token_min_ttl=dict(type='int', default=300, no_log=False),
        endpoint=dict(type='str', default=DEFAULT_ENDPOINT, fallback=(env_fallback, [ENDPOINT_VARIABLE])),
        transit_endpoint=dict(type='str'),  # its environment variable goes with the Direct Link one: transit_endpoint()
        iam_endpoint=dict(type='str', default=DEFAULT_IAM_ENDPOINT, fallback=(env_fallback, ['IBMCLOUD_IAM_API_ENDPOINT'])),
        api_version=dict(type='str', default=DEFAULT_API_VERSION, fallback=(env_fallback, ['IBMCLOUD_DL_API_VERSION'])),
        timeout=dict(type='int', default=60),
        retries=dict(type='int', default=10),
        retry_delay=dict(type='float', default=1.0),
        retry_max_delay=dict(type='float', default=30.0),
    )


def token_claims(token):
    """The claims of a JWT, read without verifying its signature (only IAM can verify it)."""
    try:
        return jwt.decode(token, algorithms=['RS256'], options={'verify_signature': False, 'verify_aud': False})
    except Exception as exc:  # pylint: disable=broad-except
        raise DirectLinkError(f'iam_token is not a valid IAM access token ({type(exc).__name__}).') from None


class ReusedTokenAuthenticator(Authenticator):
    """Sends a token obtained earlier in the play; uses the API key once the token is about to expire."""

    def __init__(self, token, min_ttl, fallback=None, clock=time.time):  # pylint: disable=super-init-not-called
        self.token = token
        self.expires_at = token_claims(token).get('exp', 0)
        self.min_ttl = min_ttl
        self.fallback = fallback
        self.clock = clock

    def authentication_type(self):
        """The SDK's name for bearer-token authentication."""
        return 'bearerToken'

    def validate(self):
        """Nothing to validate beyond what the constructor checked."""

    def current_token(self):
        """The reused token while it is fresh enough, else one from the API key."""
        if self.expires_at - self.clock() > self.min_ttl:
            return self.token
        if self.fallback is None:
            raise DirectLinkError(f'iam_token expires in less than {self.min_ttl}s and no api_key is set to get a new one.')
        return self.fallback.token_manager.get_token()

    def authenticate(self, req):
        """Add the Authorization header to an outgoing request."""
        req['headers']['Authorization'] = f'Bearer {self.current_token()}'

    def discard(self):
        """Stop using the reused token (the service refused it); False when there is no API key to replace it."""
        if self.fallback is None:
            return False
        self.expires_at = 0
        return renew_token(self.fallback)


def renew_token(authenticator):
    """Make ``authenticator`` fetch a new access token for its next request; False when it cannot."""
    if isinstance(authenticator, ReusedTokenAuthenticator):
        return authenticator.discard()
    token_manager = getattr(authenticator, 'token_manager', None)
    if token_manager is None:
        return False
    token_manager.expire_time = token_manager.refresh_time = 0
    return True


class PromptRetryIAMTokenManager(IAMTokenManager):
    """The SDK's IAM token manager, except that a failed token request does not hold back the next one.

    The SDK paces token requests: ``paced_request_token`` records ``request_time`` before asking IAM and clears it
    only on success, and for 60 seconds after that time every caller waits (sleeping 0.5 s at a time) for the
    request it believes is still in flight.  After a failed request nothing is in flight, so a retry of ours would
    wait the full 60 seconds; clearing ``request_time`` on failure lets the retry (or a waiting thread) ask IAM
    again at once, after our own backoff.
    """

    def paced_request_token(self):
        """Request a token as the SDK does; on failure, leave no request marked as in flight."""
        try:
            super().paced_request_token()
        except Exception:  # pylint: disable=broad-except
            with self.lock:
                self.request_time = 0
            raise


def iam_authenticator(params):
    """An IAMAuthenticator for the API key in ``params`` (None when there is no key), retrying IAM without pacing."""
    if not params.get('api_key'):
        return None
    authenticator = IAMAuthenticator(params['api_key'], url=params['iam_endpoint'])
    authenticator.token_manager = PromptRetryIAMTokenManager(params['api_key'], url=params['iam_endpoint'])
    return authenticator


def build_authenticator(params):
    """The authenticator the options ask for: a reused token (with API-key fallback) or the API key."""
    fallback = iam_authenticator(params)
    if params.get('iam_token'):
        return ReusedTokenAuthenticator(params['iam_token'], params['iam_token_min_ttl'], fallback)
    if fallback is None:
        raise DirectLinkError('No credentials: set api_key (or the environment variable IC_API_KEY or IBMCLOUD_API_KEY) '
                              'or iam_token.')
    return fallback


def transit_endpoint(params, environ=None):
    """The Transit Gateway API endpoint: ``transit_endpoint`` when set; else IBMCLOUD_TG_API_ENDPOINT, when the Direct
    Link endpoint is the environment's too (a task that points ``endpoint`` elsewhere, such as a rehearsal at its
    private simulator, never sends its token to the environment's Transit Gateway endpoint); else the Direct Link
    endpoint with the ``directlink`` label of its host replaced by ``transit`` (IBM's public and private endpoints are
    named alike): an endpoint whose host has no such label (a proxy, the simulator) serves both APIs."""
    environ = os.environ if environ is None else environ
    if params.get('transit_endpoint'):
        return params['transit_endpoint']
    if environ.get(TRANSIT_ENDPOINT_VARIABLE) and params['endpoint'] == environ.get(ENDPOINT_VARIABLE, DEFAULT_ENDPOINT):
        return environ[TRANSIT_ENDPOINT_VARIABLE]
    parts = urllib.parse.urlsplit(params['endpoint'])
    labels = [TRANSIT_HOST_LABEL if label == DIRECT_LINK_HOST_LABEL else label for label in parts.netloc.split('.')]
    return urllib.parse.urlunsplit(parts._replace(netloc='.'.join(labels)))


def build_sdk_client(params, authenticator=None):
    """A DirectLinkV1 client for the endpoint, version and timeout in ``params``, safe to share between threads."""
    client = DirectLinkV1(version=params['api_version'], authenticator=authenticator or build_authenticator(params))
    return _configured(client, params['endpoint'], params['timeout'])


def build_transit_client(params, authenticator):
    """A TransitGatewayApisV1 client sharing ``authenticator`` (one IAM token for both APIs) with the Direct Link one."""
    client = TransitGatewayApisV1(version=params['api_version'], authenticator=authenticator)
    return _configured(client, transit_endpoint(params), params['timeout'])


def _configured(client, url, timeout):
    client.set_service_url(url)
    client.set_http_config({'timeout': timeout})
    # The SDK's adapter keeps 10 connections per host; worker threads need as many as there are workers.
    adapter = SSLHTTPAdapter(pool_connections=4, pool_maxsize=HTTP_POOL_SIZE)
    client.http_client.mount('http://', adapter)
    client.http_client.mount('https://', adapter)
    resolve_environment_once(client.http_client, url)
    return client


def resolve_environment_once(session, url):
    """Apply the environment's proxy and CA bundle settings for ``url`` to ``session``, once.

    ``requests`` otherwise re-reads them from the whole environment on every request (a fifth to a third of a
    request's CPU in a module); the service URL is fixed for the client's life, so the result cannot differ. The
    session then ignores ``.netrc``, which could only replace the IAM Authorization header.
    """
    settings = session.merge_environment_settings(url, {}, None, None, None)
    session.trust_env = False
    session.proxies.update(settings['proxies'])
    session.verify = settings['verify']
