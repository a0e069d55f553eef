"""Offline stand-in for the get-pip.py script that ansible-test downloads.

ansible-test bootstraps pip into its sanity virtual environments by running a cached ``get-pip.py`` with pip's
install arguments (plus get-pip's own ``--no-setuptools``/``--no-wheel``, which only mean "do not add
them" and are dropped here).  The download host is not reachable from every machine, so ``tools/sanity.sh`` places this
file in ansible-test's cache instead.  It bootstraps pip with :mod:`ensurepip`, then installs the requested
packages with that pip.  ensurepip points ``PIP_CONFIG_FILE`` at ``/dev/null`` and drops every other ``PIP_*``
variable; the original environment is restored for the install so the machine's pip configuration (index,
proxy certificate authority) still applies.
"""

import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = ('--no-setuptools', '--no-wheel')


def main():
    """Bootstrap pip, then install the packages named on the command line."""
    environment = dict(os.environ)
    ensurepip.bootstrap(upgrade=True)
    environment.pop('PIP_CONFIG_FILE', None)
    arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY_OPTIONS]
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', *arguments], env=environment)


if __name__ == '__main__':
    main()
