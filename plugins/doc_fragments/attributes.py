# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module attributes shared by several modules."""


class ModuleDocFragment:  # pylint: disable=too-few-public-methods
    """Use as C(cloud_dr.ibm_direct_link.attributes.read_only)."""

    DOCUMENTATION = r"""
options: {}
"""

    READ_ONLY = r"""
attributes:
  check_mode:
    description: Can run in check mode; it reads only, so the result is the same.
    support: full
"""
