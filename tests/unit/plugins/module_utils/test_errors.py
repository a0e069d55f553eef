"""Mapping SDK and HTTP failures to one-line errors with status, IBM code and transaction id; 404 defaults."""

import pytest
import requests
import responses
from ibm_cloud_networking_services import DirectLinkV1
from ibm_cloud_sdk_core.authenticators import BearerTokenAuthenticator, IAMAuthenticator

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.retry import RetryPolicy

ENDPOINT = 'https://dl.example.test/v1'


def connection(authenticator=None):
    sdk = DirectLinkV1(version='2024-11-01', authenticator=authenticator or BearerTokenAuthenticator('token'))
    sdk.set_service_url(ENDPOINT)
    return api.Connection(sdk, RetryPolicy(retries=2, delay=0, max_delay=0, sleep=lambda _s: None))


@responses.activate
def test_api_error_carries_status_code_message_and_transaction_id():
    responses.add(responses.GET, ENDPOINT + '/gateways', status=403, headers={'X-Global-Transaction-ID': 'txn-1'},
                  json={'errors': [{'code': 'forbidden', 'message': 'Not   allowed\nhere'}], 'trace': 'txn-1'})
    with pytest.raises(DirectLinkError) as caught:
        api.list_gateways(connection())
    error = caught.value
    assert error.message == 'Direct Link list_gateways failed (403 forbidden): Not allowed here [X-Global-Transaction-ID txn-1]'
    assert error.details() == {'status_code': 403, 'error_code': 'forbidden', 'error_message': 'Not allowed here',
                               'trace_id': 'txn-1', 'operation': 'list_gateways'}


@responses.activate
def test_not_found_becomes_the_natural_default():
    responses.add(responses.GET, ENDPOINT + '/gateways/abc', status=404, json={'errors': [{'code': 'not_found', 'message': 'x'}]})
    responses.add(responses.GET, ENDPOINT + '/gateways/abc/virtual_connections', status=404, json={})
    assert api.get_gateway(connection(), 'abc') is None
    assert api.list_virtual_connections(connection(), 'abc') == []


@responses.activate
def test_wrong_api_key_is_one_line_naming_iam_without_the_key():
    responses.add(responses.POST, 'https://iam.example.test/identity/token', status=400,
                  json={'errorCode': 'BXNIM0415E', 'errorMessage': 'Provided API key could not be found.'})
    with pytest.raises(DirectLinkError) as caught:
        api.list_gateways(connection(IAMAuthenticator('secret-key-value', url='https://iam.example.test')))
    message = caught.value.message
    assert message == ('IAM rejected the API key (400 BXNIM0415E: Provided API key could not be found.) '
                       'at https://iam.example.test/identity/token')
    assert 'secret-key-value' not in message and '\n' not in message


@responses.activate
def test_connection_errors_name_the_service_and_operation():
    responses.add(responses.GET, ENDPOINT + '/gateways', body=requests.exceptions.ConnectionError('refused'))
    with pytest.raises(DirectLinkError) as caught:
        api.list_gateways(connection())
    assert caught.value.message == f'Direct Link list_gateways got no response (ConnectionError) from {ENDPOINT}/gateways'


@responses.activate
def test_server_errors_are_retried_then_reported():
    for status in (503, 503, 503):
        responses.add(responses.GET, ENDPOINT + '/gateways', status=status, json={'errors': [{'code': 'busy', 'message': 'busy'}]})
    with pytest.raises(DirectLinkError) as caught:
        api.list_gateways(connection())
    assert caught.value.status_code == 503 and len(responses.calls) == 3
