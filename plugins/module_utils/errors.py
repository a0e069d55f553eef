# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One error type for every failure a module reports, built from SDK and HTTP exceptions."""

import dataclasses
from typing import Optional

IAM_TOKEN_PATH = '/identity/token'


@dataclasses.dataclass(eq=False, repr=False)  # compared and shown as an exception: by identity, by its message
class DirectLinkError(Exception):
    """A failed Direct Link or IAM call, or a problem found before any call.

    ``message`` is one line, fit for ``fail_json(msg=...)``; the other attributes are returned beside it.
    """

    message: str
    status_code: Optional[int] = None
    error_code: Optional[str] = None
    error_message: Optional[str] = None
    trace_id: Optional[str] = None
    operation: Optional[str] = None

    def __post_init__(self):
        super().__init__(self.message)

    def details(self):
        """The attributes returned beside ``msg`` (only those that are known)."""
        values = {'status_code': self.status_code, 'error_code': self.error_code, 'error_message': self.error_message,
                  'trace_id': self.trace_id, 'operation': self.operation}
        return {key: value for key, value in values.items() if value is not None}


def response_url(exc):
    """The URL a failed request went to, for an SDK ``ApiException`` or a ``requests`` exception."""
    response = getattr(exc, 'http_response', None)
    request = getattr(response, 'request', None) or getattr(exc, 'request', None)
    return getattr(request, 'url', None) or getattr(response, 'url', None) or ''


def is_iam_failure(exc):
    """Whether an exception came from the IAM token request rather than from Direct Link itself."""
    return IAM_TOKEN_PATH in response_url(exc)


def _error_code(exc):
    response = getattr(exc, 'http_response', None)
    if response is None:
        return None
    try:
        body = response.json()
    except Exception:  # pylint: disable=broad-except
        return None
    if isinstance(body, dict):
        errors = body.get('errors')
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return errors[0].get('code')
        return body.get('errorCode')
    return None


def from_api_exception(exc, operation, service='Direct Link'):
    """A DirectLinkError for an ``ibm_cloud_sdk_core.ApiException`` of ``service`` (the API that was called)."""
    status = getattr(exc, 'status_code', None)
    code = _error_code(exc)
    text = ' '.join(str(getattr(exc, 'message', '') or exc).split())
    trace = getattr(exc, 'global_transaction_id', None)
    if is_iam_failure(exc):
        url = response_url(exc).split('?')[0]
        if status == 400 and code == 'BXNIM0415E':
            message = f'IAM rejected the API key ({status} {code}: {text}) at {url}'
        else:
            message = f'IAM token request failed ({status}{" " + code if code else ""}: {text}) at {url}'
    else:
        message = f'{service} {operation} failed ({status}{" " + code if code else ""}): {text}'
        if trace:
            message += f' [X-Global-Transaction-ID {trace}]'
    return DirectLinkError(message, status_code=status, error_code=code, error_message=text, trace_id=trace,
                           operation=operation)


def from_request_exception(exc, operation, service='Direct Link'):
    """A DirectLinkError for a connection error or timeout (no HTTP response) of ``service`` or of IAM."""
    service = 'IAM' if is_iam_failure(exc) else service
    url = response_url(exc).split('?')[0]
    kind = type(exc).__name__
    return DirectLinkError(f'{service} {operation} got no response ({kind}) from {url or "the endpoint"}',
                           error_message=' '.join(str(exc).split()), operation=operation)
