"""Token reuse with API-key fallback, and the credential checks."""

import base64
import json

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import auth
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError


def jwt_with(exp):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()
    return f"{part({'alg': 'RS256'})}.{part({'iat': exp - 3600, 'exp': exp})}.c2ln"


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
