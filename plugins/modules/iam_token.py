#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: iam_token
short_description: Exchange an IBM Cloud API key for one IAM access token to share across a play
version_added: 0.1.0
description:
  - Requests one IAM access token with the API key. Pass it to every Direct Link task through O(iam_token), for
    example with C(module_defaults) on the action group C(group/cloud_dr.ibm_direct_link.direct_link), so that a
    play costs one IAM request instead of one per task.
  - "Register the result with C(no_log: true): the token grants access to the account until it expires."
  - Modules that receive a token with less than O(iam_token_min_ttl) seconds left use their O(api_key) instead.
author:
  - Cloud DR maintainers (@cloud-dr)
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.attributes.read_only
notes:
  - Changes nothing; in check mode a token is requested too, so that the rest of a check run can read the account.
"""

EXAMPLES = r"""
- name: Run every Direct Link task of the play with one IAM token
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/cloud_dr.ibm_direct_link.direct_link:
      iam_token: "{{ direct_link_token.iam_token | default(omit) }}"
  tasks:
    - name: Get a token (the API key comes from IC_API_KEY)
      cloud_dr.ibm_direct_link.iam_token:
      register: direct_link_token
      no_log: true

    - name: Gather facts with that token
      cloud_dr.ibm_direct_link.gateway_info:
"""

RETURN = r"""
iam_token:
  description: The IAM access token (a JWT). Keep it out of logs.
  returned: success
  type: str
expiration:
  description: When the token expires (seconds since the epoch).
  returned: success
  type: int
account_id:
  description: The IBM Cloud account the token belongs to.
  returned: success
  type: str
endpoint:
  description: The Direct Link endpoint the token is for (O(endpoint), resolved from the environment or the default).
  returned: success
  type: str
  sample: https://directlink.cloud.ibm.com/v1
"""

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
