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
      - The most Direct Link requests in flight at once within one run of the module, however many worker threads
        it uses. It is a ceiling, and where the run starts; the run halves the number when the API answers 429 (too many
        requests), then sends no request before the time the answer's C(Retry-After) names, paces its requests at
        the rate the API accepted, and grows back by one while requests succeed.
    type: int
    default: 32
"""
