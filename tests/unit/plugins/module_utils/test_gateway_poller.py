"""GatewayListPoller: threads awaiting gateways share one list request per round; a gateway missing from a round is
read by id before it counts as gone; failures and timeouts are those of a single gateway's wait."""

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Optional

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_poller import GatewayListPoller


def gateway(number, status='create_pending'):
    """An API-shaped connect gateway."""
    return {'id': f'id-{number}', 'name': f'gw-{number}', 'type': 'connect', 'operational_status': status}


@dataclasses.dataclass
class Service:
    """Lists gateways that are create_pending until round ``ready_at``, then provisioned (or ``final``)."""

    numbers: list
    ready_at: int
    final: str = 'provisioned'
    listed: bool = True
    by_id: Optional[dict] = None
    lists: int = dataclasses.field(init=False, default=0)
    gets: int = dataclasses.field(init=False, default=0)
    # called (once) inside the first list request
    before_first_list: Optional[Callable[[], None]] = dataclasses.field(init=False, default=None)

    def list_gateways(self):
        self.lists += 1
        if self.lists == 1 and self.before_first_list:
            self.before_first_list()
        status = self.final if self.lists >= self.ready_at else 'create_pending'
        return [gateway(number, status) for number in self.numbers] if self.listed else []

    def get_gateway(self, gateway_id):
        self.gets += 1
        return self.by_id


def poller_for(service, clock=time.monotonic, observe=None):
    """A poller whose rounds are due at once (no waiting between rounds in these tests)."""
    return GatewayListPoller(service.list_gateways, service.get_gateway, observe=observe, clock=clock, first_interval=0)


def test_a_waiter_polls_the_list_until_its_gateway_is_provisioned_telling_the_progress_each_status():
    service = Service([1], ready_at=3)
    seen = []
    found = poller_for(service, observe=lambda g: seen.append(g['operational_status'])).wait(gateway(1), timeout=60)
    assert found['operational_status'] == 'provisioned' and service.lists == 3 and service.gets == 0
    assert seen == ['create_pending', 'create_pending', 'provisioned']


def test_a_gateway_already_done_is_returned_without_a_request():
    service = Service([1], ready_at=1)
    assert poller_for(service).wait(gateway(1, 'provisioned'), timeout=60) == gateway(1, 'provisioned')
    assert service.lists == service.gets == 0


def test_a_rejected_gateway_fails_at_once_naming_it():
    service = Service([1], ready_at=2, final='create_rejected')
    with pytest.raises(DirectLinkError, match="Gateway 'gw-1' is create_rejected"):
        poller_for(service).wait(gateway(1), timeout=60)
    assert service.lists == 2


def test_a_gateway_missing_from_the_list_is_read_by_id_before_it_counts_as_gone():
    adopted = Service([], ready_at=1, by_id=gateway(1, 'provisioned'))
    assert poller_for(adopted).wait(gateway(1), timeout=60)['operational_status'] == 'provisioned'
    gone = Service([], ready_at=1, by_id=None)
    with pytest.raises(DirectLinkError, match=r"Gateway 'gw-1' \(id-1\) disappeared"):
        poller_for(gone).wait(gateway(1), timeout=60)
    assert (adopted.lists, adopted.gets, gone.lists, gone.gets) == (1, 1, 1, 1)


@dataclasses.dataclass
class SlowService(Service):
    """Each list request takes 100 s of a fake clock."""

    now: float = dataclasses.field(init=False, default=0.0)

    def clock(self):
        return self.now

    def list_gateways(self):
        self.now += 100
        return super().list_gateways()


def test_the_wait_times_out_naming_the_last_status():
    service = SlowService([1], ready_at=10)
    with pytest.raises(DirectLinkError, match="Timed out after 150s waiting for gateway 'gw-1'; last seen: "
                                              'operational_status create_pending'):
        poller_for(service, clock=service.clock).wait(gateway(1), timeout=150)
    assert service.lists == 2


def test_threads_waiting_together_share_every_round():
    numbers = list(range(20))
    service = Service(numbers, ready_at=3)
    poller = poller_for(service)

    def everyone_waits():
        """The first round is held until every thread waits: it answers the thread that runs it, the next serve all."""
        deadline = time.monotonic() + 30
        while poller.waiting < len(numbers):
            assert time.monotonic() < deadline, 'the threads did not all start waiting'
            threading.Event().wait(0.01)

    service.before_first_list = everyone_waits
    results = {}

    def await_gateway(number):
        results[number] = poller.wait(gateway(number), timeout=60)

    threads = [threading.Thread(target=await_gateway, args=(number,)) for number in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == numbers and all(g['operational_status'] == 'provisioned' for g in results.values())
    assert service.lists == 3 and service.gets == 0 and poller.waiting == 0
