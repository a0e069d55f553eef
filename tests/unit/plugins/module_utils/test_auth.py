"""Token reuse with API-key fallback, and the credential checks."""

import base64
import json
import time

import pytest
import requests
import responses
from ibm_cloud_sdk_core import ApiException
from ibm_cloud_sdk_core.token_managers import token_manager as token_manager_module

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api, auth
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.retry import RetryPolicy


def jwt_with(exp, **claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()
    return f"{part({'alg': 'RS256'})}.{part(dict(claims, iat=exp - 3600, exp=exp))}.c2ln"


class FakeFallback:
    class token_manager:  # pylint: disable=invalid-name,too-few-public-methods
        @staticmethod
        def get_token():
            return 'fresh-token'


def headers_for(authenticator):
    request = {'headers': {}}
    authenticator.authenticate(request)
    return request['headers']['Authorization']


def test_reused_token_is_sent_while_fresh():
    token = jwt_with(10_000)
    authenticator = auth.ReusedTokenAuthenticator(token, 300, FakeFallback(), clock=lambda: 9_000)
    assert headers_for(authenticator) == f'Bearer {token}'


def test_api_key_is_used_when_the_token_nears_expiry():
    authenticator = auth.ReusedTokenAuthenticator(jwt_with(10_000), 300, FakeFallback(), clock=lambda: 9_800)
    assert headers_for(authenticator) == 'Bearer fresh-token'


def test_expiring_token_without_api_key_is_a_clear_error():
    authenticator = auth.ReusedTokenAuthenticator(jwt_with(10_000), 300, None, clock=lambda: 9_800)
    with pytest.raises(DirectLinkError, match='iam_token expires in less than 300s and no api_key'):
        headers_for(authenticator)


def test_garbage_token_is_rejected_up_front():
    with pytest.raises(DirectLinkError, match='iam_token is not a valid IAM access token'):
        auth.ReusedTokenAuthenticator('not-a-jwt', 300)


def test_no_credentials_is_a_clear_error():
    params = {'api_key': None, 'iam_token': None, 'iam_endpoint': 'https://iam.example.test'}
    with pytest.raises(DirectLinkError, match='No credentials: set api_key'):
        auth.build_authenticator(params)


def client_params(**overrides):
    params = {'api_key': 'unit-test-key', 'iam_token': None, 'iam_token_min_ttl': 300,
              'endpoint': 'https://dl.example.test/v1', 'iam_endpoint': 'https://iam.example.test',
              'api_version': '2024-11-01', 'timeout': 5}
    params.update(overrides)
    return params


def iam_response(serial):
    exp = int(time.time()) + 3600
    return {'access_token': jwt_with(exp, serial=serial), 'refresh_token': 'r', 'token_type': 'Bearer',
            'expires_in': 3600, 'expiration': exp}


@responses.activate
@pytest.mark.parametrize('reused_token', [False, True], ids=['api-key', 'reused-token'])
def test_a_token_refused_as_expired_is_renewed_once(reused_token):
    serials = iter(range(1, 10))
    responses.add_callback(responses.POST, 'https://iam.example.test/identity/token',
                           callback=lambda _request: (200, {}, json.dumps(iam_response(next(serials)))))
    expired = responses.get('https://dl.example.test/v1/gateways', status=401,
                            json={'errors': [{'code': 'not_authorized', 'message': 'The bearer token has expired.'}]})
    listing = responses.get('https://dl.example.test/v1/gateways', json={'gateways': [{'name': 'gw'}]})
    overrides = {'iam_token': jwt_with(int(time.time()) + 3600)} if reused_token else {}
    connection = api.Connection(auth.build_sdk_client(client_params(**overrides)), RetryPolicy(retries=0))
    assert [g['name'] for g in api.list_gateways(connection)] == ['gw']
    assert expired.call_count == 1 and listing.call_count == 1
    sent = responses.calls[-1].request.headers['Authorization'].split(' ', 1)[1]
    assert auth.token_claims(sent)['serial'] == (1 if reused_token else 2)  # a token from the API key, fetched anew


@responses.activate
def test_a_refused_token_without_api_key_is_not_retried():
    responses.get('https://dl.example.test/v1/gateways', status=401,
                  json={'errors': [{'code': 'not_authorized', 'message': 'The bearer token has expired.'}]})
    params = client_params(api_key=None, iam_token=jwt_with(int(time.time()) + 3600))
    connection = api.Connection(auth.build_sdk_client(params), RetryPolicy(retries=0))
    with pytest.raises(DirectLinkError, match='401'):
        api.list_gateways(connection)
    assert len(responses.calls) == 1


@pytest.mark.parametrize('no_proxy, expected', [('', 'http://proxy.example.test:3128'), ('dl.example.test', None)])
def test_the_environment_proxy_is_resolved_once_for_the_endpoint(monkeypatch, no_proxy, expected):
    for name in ('HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example.test:3128')
    monkeypatch.setenv('NO_PROXY', no_proxy)
    session = auth.build_sdk_client(client_params()).http_client
    assert session.trust_env is False
    assert session.proxies.get('https') == expected


def test_the_environment_ca_bundle_is_kept(monkeypatch, tmp_path):
    bundle = tmp_path / 'corporate-ca.pem'
    bundle.write_text('-----BEGIN CERTIFICATE-----\n', encoding='utf-8')
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(bundle))
    assert auth.build_sdk_client(client_params()).http_client.verify == str(bundle)


def refuse_pacing(seconds):
    """Stands in for the SDK's ``time.sleep``: the SDK only sleeps while it believes a token request is in flight."""
    raise AssertionError(f'the token manager waited {seconds}s for a token request that had already failed')


IAM_DOWN = {'status': 503, 'json': {'errorCode': 'BXNIM0001E', 'errorMessage': 'IAM is temporarily unavailable.'}}


@responses.activate
@pytest.mark.parametrize('failure', [IAM_DOWN, {'body': requests.exceptions.ConnectionError('IAM is unreachable')}],
                         ids=['503', 'connection-error'])
def test_after_a_failed_token_request_the_retry_asks_iam_at_once(monkeypatch, failure):
    monkeypatch.setattr(token_manager_module.time, 'sleep', refuse_pacing)
    responses.post('https://iam.example.test/identity/token', **failure)
    responses.post('https://iam.example.test/identity/token', json=iam_response(1))
    backoffs = []
    authenticator = auth.iam_authenticator(client_params())
    token = RetryPolicy(retries=3, delay=1.0, sleep=backoffs.append, rand=lambda: 1.0).run(authenticator.token_manager.get_token)
    assert auth.token_claims(token)['serial'] == 1
    assert len(responses.calls) == 2
    assert backoffs == [1.0]  # our own backoff, nothing else


@responses.activate
def test_a_failed_token_request_leaves_no_request_in_flight_for_other_threads():
    responses.post('https://iam.example.test/identity/token', **IAM_DOWN)
    token_manager = auth.iam_authenticator(client_params()).token_manager
    with pytest.raises(ApiException):
        token_manager.get_token()
    assert token_manager.request_time == 0


@responses.activate
def test_an_iam_outage_that_outlasts_the_retries_fails_naming_iam_and_never_the_api_key(monkeypatch):
    monkeypatch.setattr(token_manager_module.time, 'sleep', refuse_pacing)
    iam = responses.post('https://iam.example.test/identity/token', **IAM_DOWN)
    connection = api.Connection(auth.build_sdk_client(client_params()), RetryPolicy(retries=2, sleep=lambda _seconds: None))
    with pytest.raises(DirectLinkError) as failure:
        api.list_gateways(connection)
    assert iam.call_count == 3
    assert failure.value.message.startswith('IAM token request failed (503 BXNIM0001E')
    assert 'unit-test-key' not in repr((failure.value.message, failure.value.details()))
