"""Errors in IBM Cloud's API shape."""

import uuid

MORE_INFO = 'https://cloud.ibm.com/docs/dl?topic=dl-troubleshoot'
TRANSIT_MORE_INFO = 'https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-helpful-tips'
MAX_MESSAGE_CHARS = 1000  # a message quoting a request value never echoes more of it than this


class ApiError(Exception):
    """An error the API answers with: HTTP status, IBM error code and message."""

    def __init__(self, status, code, message, headers=None):
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS - 3] + '...'
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def body(self, trace):
        """The JSON body IBM Cloud APIs return for errors."""
        return {
            'errors': [{'code': self.code, 'message': self.message, 'more_info': MORE_INFO}],
            'trace': trace,
            'status_code': self.status,
        }


class TransitError(ApiError):
    """An error of the Transit Gateway API: the same container, its ``more_info`` pointing at the Transit Gateway
    docs and, when one field of the request is at fault, a ``target`` naming it (``{"name": field, "type": "field"}``),
    as the Transit Gateway service answers."""

    def __init__(self, status, code, message, field=None):
        super().__init__(status, code, message)
        self.field = field

    def body(self, trace):
        body = super().body(trace)
        error = body['errors'][0]
        error['more_info'] = TRANSIT_MORE_INFO
        if self.field:
            error['target'] = {'name': self.field, 'type': 'field'}
        return body


def new_trace():
    """A transaction id, sent as X-Global-Transaction-ID and as the error body's trace."""
    return str(uuid.uuid4())


def bad_request(message, code='bad_request'):
    """400 with the given message."""
    return ApiError(400, code, message)


def not_found(message, code='not_found'):
    """404 with the given message."""
    return ApiError(404, code, message)


def conflict(message, code='conflict'):
    """409 with the given message."""
    return ApiError(409, code, message)
