"""Calls through the SDK that the integration suites share: polling with a deadline, expected failures, lookups."""

import time

import pytest
from ibm_cloud_sdk_core import ApiException


def wait_for(fetch, predicate, timeout=10.0):
    """Poll ``fetch`` until ``predicate`` holds for its result; fail after the deadline."""
    deadline = time.monotonic() + timeout
    value = fetch()
    while not predicate(value):
        if time.monotonic() > deadline:
            raise AssertionError(f'condition not met in {timeout}s; last value: {value!r}')
        time.sleep(0.05)
        value = fetch()
    return value


def api_error(call):
    """Run an SDK call expected to fail; return (status, message)."""
    with pytest.raises(ApiException) as caught:
        call()
    return caught.value.status_code, caught.value.message


def error_body(call):
    """Run an SDK call expected to fail; return (status, the JSON error body the API answered)."""
    with pytest.raises(ApiException) as caught:
        call()
    return caught.value.status_code, caught.value.http_response.json()


def status_of(call):
    """The HTTP status of an SDK call, successful or not (for polling until a resource is gone)."""
    try:
        return call().get_status_code()
    except ApiException as exc:
        return exc.status_code


def gateway_id(dl, name):
    """The id of the account's gateway called ``name``."""
    return next(gateway['id'] for gateway in dl.list_gateways().get_result()['gateways'] if gateway['name'] == name)
