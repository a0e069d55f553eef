"""Command line: ``dlsim serve`` runs the simulator, ``dlsim generate`` writes a scale seed."""

import argparse
import json
import signal
import sys
import threading

from dlsim import seeds, server
from dlsim.iam import DEFAULT_ACCOUNT


def _serve(options):
    api_keys = seeds.default_api_keys()
    for item in options.api_key or []:
        key, _sep, account = item.partition(':')
        api_keys[key] = account or DEFAULT_ACCOUNT
    simulator = server.build(seed=options.seed, api_keys=api_keys, token_ttl=options.token_ttl,
                             provision_delay=options.provision_delay, vc_delay=options.vc_delay,
                             state_file=options.state_file)
    simulator.faults.latency_ms = options.latency_ms
    if options.fault_rate:
        simulator.faults.rate = options.fault_rate
    httpd = server.make_server(options.host, options.port, simulator)
    stopping = threading.Event()

    def stop(_signum, _frame):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host, port = httpd.server_address[:2]
    print(f'dlsim listening on http://{host}:{port}', flush=True)
    try:
        httpd.serve_forever(poll_interval=0.1)
    finally:
        with simulator.lock:
            simulator.persist()
        httpd.server_close()
    return 0


def _generate(options):
    json.dump(seeds.generate(options.gateways, options.vcs), sys.stdout)
    sys.stdout.write('\n')
    return 0


def parser():
    """The argument parser."""
    root = argparse.ArgumentParser(prog='dlsim', description='IBM Cloud Direct Link v1 + IAM simulator')
    commands = root.add_subparsers(dest='command', required=True)
    serve = commands.add_parser('serve', help='run the simulator')
    serve.add_argument('--host', default='127.0.0.1')
    serve.add_argument('--port', type=int, default=8765, help='0 picks a free port')
    serve.add_argument('--seed', default='demo', help='demo, empty, gen:NxM, or a JSON state file')
    serve.add_argument('--latency-ms', type=int, default=0, help='delay added to every API request')
    serve.add_argument('--provision-delay', type=float, default=3.0, help='seconds until a connect gateway is provisioned')
    serve.add_argument('--vc-delay', type=float, default=1.0, help='seconds until a virtual connection is attached')
    serve.add_argument('--fault-rate', type=float, default=0.0, help='share of API requests answered 429/500/502/503')
    serve.add_argument('--token-ttl', type=int, default=3600, help='IAM token lifetime in seconds')
    serve.add_argument('--state-file', help='load the state from this file and save every change to it')
    serve.add_argument('--api-key', action='append', help='accept this API key (KEY or KEY:ACCOUNT_ID); repeatable')
    serve.set_defaults(run=_serve)
    generate = commands.add_parser('generate', help='print a seed of N gateways x M virtual connections')
    generate.add_argument('--gateways', type=int, required=True)
    generate.add_argument('--vcs', type=int, default=5)
    generate.set_defaults(run=_generate)
    return root


def main(argv=None):
    """Entry point of the ``dlsim`` command."""
    options = parser().parse_args(argv)
    return options.run(options)
