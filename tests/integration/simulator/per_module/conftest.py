"""One demo simulator per test module here: these tests each create the resources they change or look at, under
names of their own, so they share a simulator instead of starting one each (the suites' time stays small)."""

import pytest

from dlsim.process import Simulator


@pytest.fixture(scope='module')
def sim():
    """The module's simulator, stopped by its PID after the module's last test."""
    with Simulator(seed='demo', provision_delay=0.2, vc_delay=0.2) as simulator:
        yield simulator


@pytest.fixture(scope='module')
def dl(sim):
    """The demo account's client (it owns the gateways)."""
    return sim.client()
