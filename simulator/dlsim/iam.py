"""The IAM token service: API keys in, signed JWT access tokens out."""

import base64
import hashlib
import hmac
import json
import secrets
import time

DEFAULT_API_KEY = 'dlsim-api-key'
DEFAULT_ACCOUNT = '4111d05f36894e3cb9b46a43556d9000'


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _unb64(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


class TokenError(Exception):
    """A bearer token that is missing, malformed, forged or expired."""


class TokenService:
    """Issues and checks access tokens for a set of known API keys (key → account id)."""

    def __init__(self, api_keys, ttl=3600, signing_key=None):
        self.api_keys = dict(api_keys)
        self.ttl = ttl
        self._secret = signing_key or secrets.token_bytes(32)

    def issue(self, api_key, now=None):
        """Return the IAM token response for ``api_key``, or None when the key is unknown."""
        account = self.api_keys.get(api_key)
        if account is None:
            return None
        now = int(now if now is not None else time.time())
        iam_id = 'iam-ServiceId-' + hashlib.sha1(api_key.encode()).hexdigest()[:32]
        payload = {
            'iam_id': iam_id, 'id': iam_id, 'sub': iam_id, 'sub_type': 'ServiceId',
            'account': {'bss': account, 'valid': True}, 'iat': now, 'exp': now + self.ttl,
            'iss': 'https://iam.cloud.ibm.com/identity', 'grant_type': 'urn:ibm:params:oauth:grant-type:apikey',
            'scope': 'ibm openid', 'client_id': 'default', 'jti': secrets.token_hex(16),
        }
        header = {'kid': 'dlsim-1', 'alg': 'RS256', 'typ': 'JWT'}
        signing_input = _b64(json.dumps(header).encode()) + '.' + _b64(json.dumps(payload).encode())
        signature = hmac.new(self._secret, signing_input.encode(), hashlib.sha256).digest()
        return {
            'access_token': signing_input + '.' + _b64(signature),
            'refresh_token': secrets.token_urlsafe(48),
            'token_type': 'Bearer',
            'expires_in': self.ttl,
            'expiration': now + self.ttl,
            'scope': 'ibm openid',
        }

    def verify(self, authorization, now=None):
        """Return the account id of a valid ``Authorization: Bearer`` header value, else raise TokenError."""
        if not authorization or not authorization.startswith('Bearer '):
            raise TokenError('Missing bearer token.')
        token = authorization[len('Bearer '):].strip()
        parts = token.split('.')
        if len(parts) != 3:
            raise TokenError('Malformed bearer token.')
        expected = hmac.new(self._secret, (parts[0] + '.' + parts[1]).encode(), hashlib.sha256).digest()
        try:
            valid = hmac.compare_digest(expected, _unb64(parts[2]))
            payload = json.loads(_unb64(parts[1]))
        except (ValueError, TypeError) as exc:
            raise TokenError('Malformed bearer token.') from exc
        if not valid:
            raise TokenError('The bearer token was not issued by this IAM service.')
        if payload.get('exp', 0) <= (now if now is not None else time.time()):
            raise TokenError('The bearer token has expired.')
        return payload['account']['bss']
