# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module attributes shared by several modules."""


class ModuleDocFragment:  # pylint: disable=too-few-public-methods
    """Use as C(cloud_dr.ibm_direct_link.attributes.read_only), C(.state) or C(.report)."""

    DOCUMENTATION = r"""
options: {}
"""

    READ_ONLY = r"""
attributes:
  check_mode:
    description: Can run in check mode; it reads only, so the result is the same.
    support: full
"""

    STATE = r"""
attributes:
  check_mode:
    description: Can run in check mode and predict the change without modifying anything.
    support: full
  diff_mode:
    description: Returns what changes, before and after the change.
    support: full
"""

    REPORT = r"""
attributes:
  check_mode:
    description: Builds the report (a plan) without writing its files.
    support: full
  diff_mode:
    description: Not supported.
    support: none
"""
