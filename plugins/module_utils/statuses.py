# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle statuses the waiters and the progress lines sort gateways and virtual connections by."""

# A dedicated gateway's steps between its creation and its provisioning: the LOA, the cross-connect order and the
# completion notice, all taken by people (IBM, the customer, the carrier).
LOA_STAGE = frozenset(('awaiting_loa', 'loa_created', 'loa_accepted', 'loa_rejected', 'awaiting_completion_notice',
                       'completion_notice_received', 'completion_notice_approved', 'completion_notice_rejected'))
GATEWAY_FAILED = frozenset(('create_rejected', 'failed'))
# Attached, or waiting for the approval of the network's owner (another account): nothing more to wait for.
VC_SETTLED = frozenset(('attached', 'approval_pending'))
VC_FAILED = frozenset(('rejected', 'expired', 'detached_by_network'))
# Being set up: waited out before a virtual connection is deleted.
VC_SETTLING = frozenset(('pending', 'attaching'))
