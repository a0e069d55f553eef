# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request bound of the modules that make many API calls per run."""


class ModuleDocFragment:  # pylint: disable=too-few-public-methods
    """The O(max_concurrency) option."""

    DOCUMENTATION = r"""
options:
  max_concurrency:
    description:
      - At most this many Direct Link requests in flight at once within one run of the module, however many worker
        threads it uses.
    type: int
    default: 16
"""
