# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One small function per Direct Link SDK call, each wrapped for retries and error mapping.

Every function takes a ``Connection`` first.  Reads return plain data (``get_result()``), lists with an ETag
return ``(items, etag)``, and where "not found" is a natural answer (a gateway that is gone) the function returns
``None`` or ``[]`` instead of raising.  Any other failure raises ``DirectLinkError``.
"""

import functools

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.auth import renew_token
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY, AdaptiveLimiter
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import from_api_exception, from_request_exception, is_iam_failure
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.progress import Progress
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.retry import retry_after_seconds

try:
    from ibm_cloud_networking_services.direct_link_v1 import PortsPager
    from ibm_cloud_sdk_core import ApiException
    from requests.exceptions import RequestException
except ImportError:  # the module reports the missing SDK with missing_required_lib
    ApiException = RequestException = ()  # type: ignore[misc,assignment]  # nothing to catch without the SDK

_RAISE = object()


class Connection:
    """An SDK client plus the retry policy its calls use; safe to share between worker threads.

    Every request goes through one ``AdaptiveLimiter`` shared by all the threads that use the connection: at most
    ``max_in_flight`` requests (default DEFAULT_MAX_CONCURRENCY) on the wire at once, fewer and paced after the
    service answers 429, and none before the time its ``Retry-After`` names (threads that only wait for a lifecycle
    hold no slot). ``progress`` records what the run's waiters see (by default nowhere); ``service`` names the API
    in error messages.
    """

    def __init__(self, sdk, retry, max_in_flight=None, progress=None, service='Direct Link'):
        self.sdk = sdk
        self.service = service
        self.retry = retry
        self.limiter = AdaptiveLimiter(max_in_flight or DEFAULT_MAX_CONCURRENCY)
        self.progress = progress or Progress()

    def send(self, request):
        """Call ``request()`` within the limiter, and tell it how the service answered."""
        ticket = self.limiter.acquire()
        try:
            result = request()
        except Exception as exc:  # pylint: disable=broad-except
            if getattr(exc, 'status_code', None) == 429:
                self.limiter.throttled(ticket, retry_after_seconds(exc))
            else:
                self.limiter.failed()
            raise
        self.limiter.succeeded()
        return result

    def renew_token(self):
        """Drop the access token so that the next call fetches a fresh one; False when nothing could fetch one."""
        return renew_token(self.sdk.authenticator)


def sdk_call(not_found=_RAISE, idempotent=True):
    """Decorate ``function(sdk, ...)`` into ``function(connection, ...)`` with retries and error mapping.

    ``not_found`` is returned (a fresh copy for lists) on a Direct Link 404; ``idempotent=False`` marks creates,
    which are retried only when the service certainly did not process them.
    """
    def decorate(function):
        operation = function.__name__

        def call(connection, *args, **kwargs):
            def attempt():
                return connection.send(lambda: function(connection.sdk, *args, **kwargs))
            try:
                return connection.retry.run(attempt, idempotent=idempotent)
            except ApiException as exc:
                # A token that expired on its way to the service (401) is renewed once; the service did not act.
                if exc.status_code == 401 and not is_iam_failure(exc) and connection.renew_token():
                    return connection.retry.run(attempt, idempotent=idempotent)
                raise

        @functools.wraps(function)
        def wrapper(connection, *args, **kwargs):
            try:
                return call(connection, *args, **kwargs)
            except ApiException as exc:
                if exc.status_code == 404 and not_found is not _RAISE and not is_iam_failure(exc):
                    return list(not_found) if isinstance(not_found, list) else not_found
                raise from_api_exception(exc, operation, connection.service) from None
            except RequestException as exc:
                raise from_request_exception(exc, operation, connection.service) from None
        return wrapper
    return decorate


def _with_etag(response, key):
    return response.get_result()[key], response.get_headers().get('ETag')


# ------------------------------------------------------------------------------------------------- gateways
@sdk_call()
def list_gateways(sdk):
    """Every gateway the account sees (its own and cross-account ones)."""
    return sdk.list_gateways().get_result()['gateways']


@sdk_call(not_found=None)
def get_gateway(sdk, gateway_id):
    """One gateway, or None when it does not exist (any more)."""
    return sdk.get_gateway(gateway_id).get_result()


@sdk_call(idempotent=False)
def create_gateway(sdk, template):
    """Create a gateway from a template dict."""
    return sdk.create_gateway(template).get_result()


@sdk_call()
def update_gateway(sdk, gateway_id, patch):
    """Merge-patch a gateway (a plain dict, so that ``None`` is sent as ``null`` and clears the field)."""
    return sdk.update_gateway(gateway_id, patch).get_result()


@sdk_call(not_found=None)
def delete_gateway(sdk, gateway_id):
    """Delete a gateway (asynchronous: it passes through ``delete_pending``)."""
    sdk.delete_gateway(gateway_id)


@sdk_call(not_found=[])
def get_gateway_status(sdk, gateway_id):
    """The BGP, BFD and link status entries of a gateway."""
    return sdk.get_gateway_status(gateway_id).get_result()['status']


# ------------------------------------------------------------------------------------- route filters, prepends
@sdk_call(not_found=([], None))
def list_route_filters(sdk, gateway_id, kind):
    """The ordered ``export`` or ``import`` route filters of a gateway, and their ETag."""
    return _with_etag(getattr(sdk, f'list_gateway_{kind}_route_filters')(gateway_id), f'{kind}_route_filters')


@sdk_call()
def replace_route_filters(sdk, gateway_id, kind, etag, filters):
    """Replace the whole ordered list of ``export`` or ``import`` route filters (If-Match: ``etag``)."""
    method = getattr(sdk, f'replace_gateway_{kind}_route_filters')
    return method(gateway_id, etag, **{f'{kind}_route_filters': filters}).get_result()[f'{kind}_route_filters']


@sdk_call(not_found=([], None))
def list_as_prepends(sdk, gateway_id):
    """The AS prepends of a gateway and their ETag."""
    return _with_etag(sdk.list_gateway_as_prepends(gateway_id), 'as_prepends')


@sdk_call()
def replace_as_prepends(sdk, gateway_id, etag, prepends):
    """Replace the AS prepends of a gateway (If-Match: ``etag``)."""
    return sdk.replace_gateway_as_prepends(gateway_id, etag, as_prepends=prepends).get_result()['as_prepends']


# ------------------------------------------------------------------------------------------------------ MACsec
@sdk_call(not_found=None)
def get_macsec(sdk, gateway_id):
    """The MACsec configuration of a gateway, or None."""
    return sdk.get_gateway_macsec(gateway_id).get_result()


@sdk_call(not_found=[])
def list_macsec_caks(sdk, gateway_id):
    """The MACsec CAKs of a gateway."""
    return sdk.list_gateway_macsec_caks(gateway_id).get_result()['caks']


# ------------------------------------------------------------------------------------------ virtual connections
@sdk_call(not_found=[])
def list_virtual_connections(sdk, gateway_id):
    """The virtual connections of a gateway ([] when the gateway is gone)."""
    return sdk.list_gateway_virtual_connections(gateway_id).get_result()['virtual_connections']


@sdk_call(not_found=None)
def get_virtual_connection(sdk, gateway_id, vc_id):
    """One virtual connection, or None."""
    return sdk.get_gateway_virtual_connection(gateway_id, vc_id).get_result()


@sdk_call(idempotent=False)
def create_virtual_connection(sdk, gateway_id, name, vc_type, network_id=None):
    """Create a virtual connection."""
    return sdk.create_gateway_virtual_connection(gateway_id, name, vc_type, network_id=network_id).get_result()


@sdk_call()
def update_virtual_connection(sdk, gateway_id, vc_id, patch):
    """Merge-patch a virtual connection: its name (the gateway's owner), or its status (the network's owner approves
    with ``attached`` or rejects with ``rejected``)."""
    return sdk.update_gateway_virtual_connection(gateway_id, vc_id, patch).get_result()


@sdk_call(not_found=None)
def delete_virtual_connection(sdk, gateway_id, vc_id):
    """Delete a virtual connection (asynchronous: it passes through ``deleting``)."""
    sdk.delete_gateway_virtual_connection(gateway_id, vc_id)


# ------------------------------------------------------------------------------------------------ catalog
@sdk_call()
def list_locations(sdk, offering_type):
    """The locations offered for ``connect`` or ``dedicated`` gateways."""
    return sdk.list_offering_type_locations(offering_type).get_result()['locations']


@sdk_call(not_found=[])
def list_cross_connect_routers(sdk, offering_type, location_name):
    """The cross-connect routers of a dedicated location."""
    return sdk.list_offering_type_location_cross_connect_routers(offering_type, location_name).get_result().get(
        'cross_connect_routers', [])


@sdk_call()
def list_speeds(sdk, offering_type):
    """The speeds offered for ``connect`` or ``dedicated`` gateways."""
    return sdk.list_offering_type_speeds(offering_type).get_result()['speeds']


@sdk_call()
def list_ports(sdk, location_name=None):
    """Every provider port (all pages), optionally at one location."""
    return PortsPager(client=sdk, limit=100, location_name=location_name).get_all()


@sdk_call(not_found=None)
def get_port(sdk, port_id):
    """One provider port, or None."""
    return sdk.get_port(port_id).get_result()
