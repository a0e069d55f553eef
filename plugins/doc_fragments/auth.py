# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication, endpoint and retry options shared by every module of the collection."""


class ModuleDocFragment:  # pylint: disable=too-few-public-methods
    """The common options of every Direct Link module."""

    DOCUMENTATION = r"""
options:
  api_key:
    description:
      - IBM Cloud API key, exchanged for an IAM token.
      - If not set, the environment variable E(IC_API_KEY), then E(IBMCLOUD_API_KEY), is used.
      - Never logged, never returned, never written to a file by this collection.
      - One of O(api_key) and O(iam_token) is required.
    type: str
    aliases: [ibmcloud_api_key]
  iam_token:
    description:
      - An IAM access token obtained once per play with M(cloud_dr.ibm_direct_link.iam_token) and passed to every
        task, typically through C(module_defaults) on the action group C(group/cloud_dr.ibm_direct_link.direct_link).
      - Used while it has more than O(iam_token_min_ttl) seconds left; after that the O(api_key) is used instead.
    type: str
  iam_token_min_ttl:
    description:
      - Seconds of validity an O(iam_token) must have left to be used.
    type: int
    default: 300
  endpoint:
    description:
      - The Direct Link API endpoint.
      - If not set, the environment variable E(IBMCLOUD_DL_API_ENDPOINT) is used.
    type: str
    default: https://directlink.cloud.ibm.com/v1
  transit_endpoint:
    description:
      - The Transit Gateway API endpoint, for the Transit Gateway connections of transit-mode gateways.
      - If not set, the environment variable E(IBMCLOUD_TG_API_ENDPOINT) is used when O(endpoint) is the
        environment's Direct Link endpoint too (E(IBMCLOUD_DL_API_ENDPOINT), or the default without it), so that a
        task that points O(endpoint) elsewhere never sends its token to the environment's Transit Gateway endpoint.
      - Otherwise the endpoint is derived from O(endpoint) by replacing the C(directlink) label of its host with
        C(transit) (C(https://directlink.cloud.ibm.com/v1) gives C(https://transit.cloud.ibm.com/v1), the private
        endpoint its private counterpart). An O(endpoint) whose host has no C(directlink) label (a proxy, the
        simulator) is taken to serve both APIs.
      - The Transit Gateway API is called with the same token and O(api_version).
    type: str
  iam_endpoint:
    description:
      - The IAM endpoint that issues tokens.
      - If not set, the environment variable E(IBMCLOUD_IAM_API_ENDPOINT) is used.
    type: str
    default: https://iam.cloud.ibm.com
  api_version:
    description:
      - The Direct Link API version date (C(YYYY-MM-DD)), sent with every request.
      - If not set, the environment variable E(IBMCLOUD_DL_API_VERSION) is used.
    type: str
    default: "2024-11-01"
  timeout:
    description:
      - Seconds to wait for each HTTP response.
    type: int
    default: 60
  retries:
    description:
      - How many times a request is retried after a rate limit (429), a server error (500, 502, 503, 504) or a
        connection error, with jittered exponential backoff. A C(Retry-After) header is honoured.
      - Requests that create a resource are retried only when the API certainly did not process them (429, or an
        IAM failure before the request was sent); state modules look the resource up before creating it again.
    type: int
    default: 10
  retry_delay:
    description:
      - Base delay in seconds of the exponential backoff.
    type: float
    default: 1.0
  retry_max_delay:
    description:
      - Upper bound in seconds of a single backoff delay, C(Retry-After) included.
    type: float
    default: 30.0
requirements:
  - python >= 3.10
  - ibm-cloud-sdk-core
  - ibm-cloud-networking-services
"""
