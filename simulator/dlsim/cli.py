"""Command line: ``dlsim serve`` runs the simulator, ``dlsim generate`` writes a scale seed."""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

from dlsim import seeds, server
from dlsim.iam import DEFAULT_ACCOUNT


def _serve(options):
    api_keys = seeds.default_api_keys()
    if options.api_key:  # the keys given replace the default ones
        api_keys = {}
        for item in options.api_key:
            key, _sep, account = item.partition(':')
            api_keys[key] = account or DEFAULT_ACCOUNT
    simulator = server.build(seed=options.seed, api_keys=api_keys, token_ttl=options.token_ttl,
                             provision_delay=options.provision_delay, vc_delay=options.vc_delay,
                             state_file=options.state_file, latency_ms=options.latency_ms, fault_rate=options.fault_rate,
                             rate_limit=options.rate_limit, rate_burst=options.rate_burst)
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


def _start(options):
    """Start ``dlsim serve`` in the background; record its PID and URL in the run directory."""
    os.makedirs(options.run_dir, exist_ok=True)
    log_path = os.path.join(options.run_dir, 'dlsim.log')
    serve_args = [arg for arg in options.serve_args if arg != '--']
    command = [sys.executable, '-m', 'dlsim', 'serve', '--port', '0', *serve_args]
    with open(log_path, 'w', encoding='utf-8') as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # pylint: disable=consider-using-with
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        with open(log_path, encoding='utf-8') as log:
            line = log.readline()
        if line.startswith('dlsim listening on '):
            url = line.split()[-1]
            for name, value in (('dlsim.pid', str(process.pid)), ('dlsim.url', url)):
                with open(os.path.join(options.run_dir, name), 'w', encoding='utf-8') as stream:
                    stream.write(value + '\n')
            print(url, flush=True)
            return 0
        time.sleep(0.05)
    if process.poll() is None:
        process.kill()
    sys.stderr.write(f'dlsim did not start; see {log_path}\n')
    return 1


def _stop(options):
    """Stop the simulator whose PID ``start`` recorded (SIGTERM, SIGKILL after a deadline)."""
    pid_path = os.path.join(options.run_dir, 'dlsim.pid')
    if not os.path.exists(pid_path):
        return 0
    with open(pid_path, encoding='utf-8') as stream:
        pid = int(stream.read().strip())
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            continue
        break
    os.remove(pid_path)
    return 0


def _generate(options):
    json.dump(seeds.generate(options.gateways, options.vcs), sys.stdout)
    sys.stdout.write('\n')
    return 0


def positive_float(text):
    """An argparse type: a number above zero."""
    value = float(text)
    if not value > 0:  # pylint: disable=unnecessary-negation  # NaN is not above 0 either
        raise argparse.ArgumentTypeError(f'expected a number above 0, got {text}')
    return value


def positive_int(text):
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f'expected an integer of at least 1, got {text}')
    return value


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
    serve.add_argument('--rate-limit', type=positive_float, metavar='RPS',
                       help="API requests per second per account (a token bucket; 429 with Retry-After when empty)")
    serve.add_argument('--rate-burst', type=positive_int, metavar='N', help='the bucket size (default: RPS rounded up)')
    serve.add_argument('--token-ttl', type=int, default=3600, help='IAM token lifetime in seconds')
    serve.add_argument('--state-file', help='load the state from this file and save every change to it')
    serve.add_argument('--api-key', action='append', help='accept this API key (KEY or KEY:ACCOUNT_ID; repeatable) instead of the default keys')
    serve.set_defaults(run=_serve)
    start = commands.add_parser('start', help='run "dlsim serve" in the background, recording its PID and URL')
    start.add_argument('--run-dir', required=True, help='where dlsim.pid, dlsim.url and dlsim.log are written')
    start.add_argument('serve_args', nargs=argparse.REMAINDER, help='options for "dlsim serve" (after --)')
    start.set_defaults(run=_start)
    stop = commands.add_parser('stop', help='stop the simulator started with "dlsim start"')
    stop.add_argument('--run-dir', required=True)
    stop.set_defaults(run=_stop)
    generate = commands.add_parser('generate', help='print a seed of N gateways x M virtual connections')
    generate.add_argument('--gateways', type=int, required=True)
    generate.add_argument('--vcs', type=int, default=5)
    generate.set_defaults(run=_generate)
    return root


def main(argv=None):
    """Entry point of the ``dlsim`` command."""
    options = parser().parse_args(argv)
    return options.run(options)
