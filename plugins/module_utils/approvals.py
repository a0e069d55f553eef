# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Approvals with the other account's consent.

A virtual connection to a VPC of another account waits in ``approval_pending`` until that account (the network's
owner) approves it. ``approvals`` maps such an account's id to the name of an environment variable holding an API
key of that account (never the key itself: the variable is set by whoever runs the play, such as an AWX credential).
With it, the state modules approve, as that account, the pending requests of the virtual connections they manage
(the ones the desired state names, on the gateway it names) and no other request of the account.
"""

import os
import re
import threading

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.auth import build_sdk_client
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.normalize import crn_account

ACCOUNT_RE = re.compile(r'^[0-9a-f]{32}$')
VARIABLE_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
PENDING = 'approval_pending'


def argument_spec():
    """The ``approvals`` option of the state modules."""
    return {'approvals': dict(type='dict', default={}, no_log=False)}


def for_module(module):
    """The module's ``Approver`` when its ``approvals`` option names accounts (None otherwise), or its problems."""
    approvals = module.params['approvals'] or {}
    found = problems(approvals)
    if found or not approvals:
        return None, found
    return Approver(module.params, approvals, module.connection.retry), []


def problems(approvals, where='approvals', environ=None):
    """What is wrong with an ``approvals`` mapping: account ids, variable names, variables not set."""
    environ = os.environ if environ is None else environ
    if not isinstance(approvals, dict):
        return [f'{where} must be a mapping of account id to the name of an environment variable, got '
                f'{type(approvals).__name__}']
    found = []
    for account, variable in sorted(approvals.items(), key=str):
        if not isinstance(account, str) or not ACCOUNT_RE.match(account):
            found.append(f'{where}: {account!r} is not an account id (32 hexadecimal characters)')
        elif not isinstance(variable, str) or not VARIABLE_RE.match(variable):
            found.append(f'{where}[{account}] must name an environment variable that holds a key of the account (the '
                         'name, never the key itself)')
        elif not environ.get(variable):
            found.append(f'{where}[{account}]: the environment variable {variable} is not set (it must hold an API key '
                         f'of account {account})')
    return found


class Approver:
    """The Direct Link connections of the network accounts ``approvals`` gives keys for, each built on first use.

    ``params`` are the module's options (endpoints, timeouts); ``retry`` is the retry policy of its own connection.
    """

    def __init__(self, params, approvals, retry, environ=None):
        self.params = params
        self.approvals = approvals or {}
        self.retry = retry
        self.environ = os.environ if environ is None else environ
        self._lock = threading.Lock()
        self._connections = {}

    def _connection(self, account):
        with self._lock:
            if account not in self._connections:
                key = self.environ[self.approvals[account]]
                sdk = build_sdk_client(dict(self.params, api_key=key, iam_token=None))
                self._connections[account] = api.Connection(sdk, self.retry, self.params.get('max_concurrency'))
            return self._connections[account]

    def pending(self, vc_results, managed):
        """The results of the managed virtual connections (names) whose request an account of ``approvals`` can decide."""
        return [item for item in vc_results if item.get('status') == PENDING and item.get('name') in managed
                and crn_account(item.get('network_id') or '') in self.approvals]

    def approve(self, gateway_id, item):
        """Approve one pending request (a virtual connection result) as its network's account."""
        api.update_virtual_connection(self._connection(crn_account(item['network_id'])), gateway_id, item['id'],
                                      {'status': 'attached'})
