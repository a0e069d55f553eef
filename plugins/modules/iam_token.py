#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The iam_token module: its documentation, examples and return values are in iam_token.yml beside this file."""


from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.auth import iam_authenticator, token_claims
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError, from_api_exception, from_request_exception
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.retry import RetryPolicy

try:
    from ibm_cloud_sdk_core import ApiException
    from requests.exceptions import RequestException
except ImportError:  # reported by DirectLinkModule
    ApiException = RequestException = ()


def request_token(module):
    """Exchange the API key for a token, retrying through short IAM outages."""
    authenticator = iam_authenticator(module.params)
    if authenticator is None:
        raise DirectLinkError('No API key: set api_key (or the environment variable IC_API_KEY or IBMCLOUD_API_KEY).')
    policy = RetryPolicy(module.params['retries'], module.params['retry_delay'], module.params['retry_max_delay'])
    try:
        token = policy.run(authenticator.token_manager.get_token)
    except ApiException as exc:
        raise from_api_exception(exc, 'token request') from None
    except RequestException as exc:
        raise from_request_exception(exc, 'token request') from None
    claims = token_claims(token)
    return {'changed': False, 'iam_token': token, 'expiration': claims.get('exp'),
            'account_id': (claims.get('account') or {}).get('bss'), 'endpoint': module.params['endpoint']}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec={}).run(request_token)


if __name__ == '__main__':
    main()
