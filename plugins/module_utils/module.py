# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``DirectLinkModule``: the AnsibleModule every module of the collection is built on."""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.api import Connection
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.auth import (
    auth_argument_spec,
    build_sdk_client,
    build_transit_client,
)
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import DEFAULT_MAX_CONCURRENCY
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.progress import Progress
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.retry import RetryPolicy

try:
    import ibm_cloud_networking_services  # noqa: F401  pylint: disable=unused-import
    import ibm_cloud_sdk_core  # noqa: F401  pylint: disable=unused-import
    SDK_IMPORT_ERROR = None
except ImportError:
    SDK_IMPORT_ERROR = traceback.format_exc()


class DirectLinkModule(AnsibleModule):
    """An AnsibleModule with the common auth options, an SDK check, a shared connection and API-aware failures.

    Every module of the collection supports check mode, so ``supports_check_mode`` defaults to true. ``concurrent``
    adds O(max_concurrency), the option the C(cloud_dr.ibm_direct_link.concurrency) fragment documents.
    """

    def __init__(self, argument_spec, concurrent=False, **kwargs):
        spec = auth_argument_spec()
        if concurrent:
            spec['max_concurrency'] = dict(type='int', default=DEFAULT_MAX_CONCURRENCY)
        spec.update(argument_spec)
        kwargs.setdefault('supports_check_mode', True)
        super().__init__(argument_spec=spec, **kwargs)
        if SDK_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib('ibm-cloud-networking-services and ibm-cloud-sdk-core'),
                           exception=SDK_IMPORT_ERROR)
        self._connection = None
        self._transit = None

    @property
    def connection(self):
        """The module's Direct Link ``Connection`` (one SDK client and retry policy), built on first use."""
        if self._connection is None:
            sdk = self._client('Direct Link', lambda: build_sdk_client(self.params))
            retry = RetryPolicy(self.params['retries'], self.params['retry_delay'], self.params['retry_max_delay'])
            progress = Progress(self.params.get('progress_file') if self.params.get('progress_interval') else None)
            self._connection = Connection(sdk, retry, max_in_flight=self.params.get('max_concurrency'), progress=progress)
        return self._connection

    @property
    def transit(self):
        """The module's Transit Gateway ``Connection``: the Direct Link one's token, retry policy and progress, its own
        request limiter (another service, with a rate limit of its own), built on first use."""
        if self._transit is None:
            direct_link = self.connection
            sdk = self._client('Transit Gateway', lambda: build_transit_client(self.params, direct_link.sdk.authenticator))
            self._transit = Connection(sdk, direct_link.retry, max_in_flight=self.params.get('max_concurrency'),
                                       progress=direct_link.progress, service='Transit Gateway')
        return self._transit

    def _client(self, service, build):
        try:
            return build()
        except DirectLinkError as error:
            self.fail_error(error)
        except ValueError as error:
            self.fail_json(msg=f'Invalid {service} client settings: {error}')
        return None  # not reached: fail_json exits

    def fail_error(self, error, **extra):
        """Fail with a DirectLinkError: its one-line message, HTTP status, IBM error code and transaction id."""
        values = error.details()
        values.update(extra)
        self.fail_json(msg=error.message, **values)

    def run(self, function):
        """Call ``function(self)`` and exit with its result dict; DirectLinkErrors become clean failures."""
        try:
            result = function(self)
        except DirectLinkError as error:
            self.fail_error(error)
        self.exit_json(**result)
