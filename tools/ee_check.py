"""Check the execution environment definition without building an image (no container runtime is needed).

``ansible-builder create`` renders the build context of ``execution-environment.yml`` into a temporary directory;
this script then checks what a build would use:

* the Containerfile exists and has the galaxy, introspection and bindep steps;
* ``_build/requirements.txt`` and ``_build/bindep.txt`` hold every line of the collection's own
  ``meta/ee-requirements.txt`` and ``meta/ee-bindep.txt`` (the files ``meta/execution-environment.yml`` names);
* ``_build/requirements.yml`` installs this collection, from its source copied into the context;
* replaying the galaxy stage (``ansible-galaxy collection install -r requirements.yml``, offline) installs
  cloud_dr.ibm_direct_link at this version, without test suites or development files (the simulator the rehearse
  playbook runs does ship), and with the same top-level
  content as the tarball ``ansible-galaxy collection build`` makes (nothing forgotten in additional_build_files);
* replaying the builder stage's introspection on that installation finds the collection's dependencies.

Usage: ``.venv/bin/python tools/ee_check.py [--keep DIR]``. Exits 1 listing every problem found.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EE_FILE = os.path.join(ROOT, 'execution-environment.yml')
COLLECTION_EE_FILE = os.path.join(ROOT, 'meta', 'execution-environment.yml')
NAMESPACE, NAME = 'cloud_dr', 'ibm_direct_link'
CONTAINERFILE_STEPS = (
    'FROM $EE_BASE_IMAGE AS base',
    'COPY _build /build',
    'ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml',
    '/output/scripts/introspect.py introspect --user-pip=requirements.txt',
    '--user-bindep=bindep.txt',
    'RUN /output/scripts/install-from-bindep',
)
# Never part of an installed collection (galaxy.yml build_ignore).
NOT_SHIPPED = ('tests', '.venv', 'tools', 'extensions', 'Makefile', 'requirements-test.txt', 'requirements-awx.txt',
               'bench-results', 'demo-output')
# Written by ansible-galaxy itself into every built or installed collection.
GENERATED = {'MANIFEST.json', 'FILES.json'}


def tool(name):
    """A console script of the running interpreter's environment (or from PATH)."""
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else (shutil.which(name) or name)


def read_yaml(path):
    """A YAML document."""
    with open(path, encoding='utf-8') as stream:
        return yaml.safe_load(stream)


def read_lines(path):
    """The non-empty lines of a requirements file, comments removed."""
    with open(path, encoding='utf-8') as stream:
        lines = [line.split('#', 1)[0].strip() for line in stream]
    return [line for line in lines if line]


def run(command, cwd, problems, env=None):
    """Run a command; record a problem (with its output) when it fails. Returns the completed process."""
    process = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        problems.append(f"{' '.join(command[:3])} failed ({process.returncode}): {(process.stderr or process.stdout).strip()}")
    return process


def check_definition(problems):
    """The root definition uses the collection's own dependency files."""
    root = read_yaml(EE_FILE)
    collection = read_yaml(COLLECTION_EE_FILE)
    if root.get('version') != 3:
        problems.append(f"execution-environment.yml: version is {root.get('version')!r}, expected 3")
    for kind in ('python', 'system'):
        ours = root.get('dependencies', {}).get(kind)
        theirs = collection.get('dependencies', {}).get(kind)
        if ours != theirs:
            problems.append(f'execution-environment.yml: dependencies.{kind} is {ours!r}, '
                            f'meta/execution-environment.yml has {theirs!r}')
    return collection['dependencies']


def check_context(context, dependencies, problems):
    """The rendered Containerfile and requirement files."""
    build = os.path.join(context, '_build')
    containerfile = os.path.join(context, 'Containerfile')
    if not os.path.isfile(containerfile):
        problems.append('Containerfile: not rendered')
    else:
        with open(containerfile, encoding='utf-8') as stream:
            text = stream.read()
        problems += [f'Containerfile: no step with {step!r}' for step in CONTAINERFILE_STEPS if step not in text]
    for kind, rendered in (('python', 'requirements.txt'), ('system', 'bindep.txt')):
        path = os.path.join(build, rendered)
        if not os.path.isfile(path):
            problems.append(f'_build/{rendered}: not rendered')
            continue
        have = read_lines(path)
        for line in read_lines(os.path.join(ROOT, dependencies[kind])):
            if line not in have:
                problems.append(f'_build/{rendered}: {line!r} (from {dependencies[kind]}) is missing')
    galaxy = os.path.join(build, 'requirements.yml')
    if not os.path.isfile(galaxy):
        problems.append('_build/requirements.yml: not rendered')
        return
    collections = (read_yaml(galaxy) or {}).get('collections') or []
    sources = [entry for entry in collections if isinstance(entry, dict) and entry.get('type') == 'dir']
    if len(sources) != 1:
        problems.append(f'_build/requirements.yml: expected this collection as one dir entry, got {collections!r}')
        return
    source = os.path.join(build, sources[0]['name'])
    manifest = os.path.join(source, 'galaxy.yml')
    if not os.path.isfile(manifest):
        problems.append(f"_build/requirements.yml: {sources[0]['name']} is not a collection source (no galaxy.yml)")
        return
    info = read_yaml(manifest)
    if (info.get('namespace'), info.get('name')) != (NAMESPACE, NAME):
        problems.append(f"_build/{sources[0]['name']}/galaxy.yml: {info.get('namespace')}.{info.get('name')}, "
                        f'expected {NAMESPACE}.{NAME}')


def replay_galaxy_stage(context, problems):
    """Install the collection as the galaxy stage would (offline); return the collections directory."""
    build = os.path.join(context, '_build')
    collections = os.path.join(context, 'replay', 'collections')
    environment = {key: value for key, value in os.environ.items()
                   if key not in ('ANSIBLE_CONFIG', 'ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS')}
    environment['ANSIBLE_GALAXY_DISABLE_GPG_VERIFY'] = '1'
    run([tool('ansible-galaxy'), 'collection', 'install', '--offline', '-r', 'requirements.yml',
         '--collections-path', collections], build, problems, environment)
    installed = os.path.join(collections, 'ansible_collections', NAMESPACE, NAME)
    manifest = os.path.join(installed, 'MANIFEST.json')
    if not os.path.isfile(manifest):
        problems.append('galaxy stage: the collection was not installed')
        return collections
    with open(manifest, encoding='utf-8') as stream:
        info = json.load(stream)['collection_info']
    version = read_yaml(os.path.join(ROOT, 'galaxy.yml'))['version']
    if (info['namespace'], info['name'], info['version']) != (NAMESPACE, NAME, version):
        problems.append(f"galaxy stage: installed {info['namespace']}.{info['name']} {info['version']}, "
                        f'expected {NAMESPACE}.{NAME} {version}')
    for name in ('meta/execution-environment.yml', 'meta/runtime.yml', 'playbooks/recover.yml',
                 'roles/recover/meta/argument_specs.yml', 'plugins/module_utils/auth.py', 'playbooks/rehearse.yml',
                 'simulator/dlsim/server.py'):
        if not os.path.isfile(os.path.join(installed, name)):
            problems.append(f'galaxy stage: the installed collection has no {name}')
    problems += [f'galaxy stage: the installed collection contains {name}' for name in NOT_SHIPPED
                 if os.path.exists(os.path.join(installed, name))]
    shipped = tarball_entries(context, problems)
    if shipped is not None:
        have = set(os.listdir(installed)) - GENERATED
        problems += [f'galaxy stage: {name} is in the galaxy tarball but not copied by additional_build_files'
                     for name in sorted(shipped - have)]
        problems += [f'galaxy stage: {name} is installed but not in the galaxy tarball' for name in sorted(have - shipped)]
    return collections


def tarball_entries(context, problems):
    """The top-level entries of the tarball ``ansible-galaxy collection build`` makes (None when it fails)."""
    output = os.path.join(context, 'replay', 'build')
    run([tool('ansible-galaxy'), 'collection', 'build', '--output-path', output, ROOT], ROOT, problems)
    tarballs = [name for name in os.listdir(output) if name.endswith('.tar.gz')] if os.path.isdir(output) else []
    if len(tarballs) != 1:
        problems.append(f'ansible-galaxy collection build: expected one tarball, got {tarballs}')
        return None
    with tarfile.open(os.path.join(output, tarballs[0])) as tarball:
        return {name.split('/', 1)[0] for name in tarball.getnames()} - GENERATED


def replay_introspection(context, collections, problems):
    """Run the builder stage's introspection on the installed collection; return its pip and bindep lines."""
    build = os.path.join(context, '_build')
    pip_out, bindep_out = os.path.join(context, 'replay', 'requirements.txt'), os.path.join(context, 'replay', 'bindep.txt')
    run([sys.executable, os.path.join('scripts', 'introspect.py'), 'introspect', '--user-pip=requirements.txt',
         '--user-bindep=bindep.txt', f'--write-pip={pip_out}', f'--write-bindep={bindep_out}', collections],
        build, problems)
    found = {}
    for kind, path in (('python', pip_out), ('system', bindep_out)):
        found[kind] = []
        if os.path.isfile(path):
            with open(path, encoding='utf-8') as stream:
                found[kind] = [line.strip() for line in stream if line.strip()]
        marker = f'# from collection {NAMESPACE}.{NAME}'
        if not any(line.endswith(marker) for line in found[kind]):
            problems.append(f'introspection: no {kind} requirement found in the installed collection')
    return found


def check(context):
    """Render the context into ``context`` and check it; return (problems, summary lines)."""
    problems = []
    dependencies = check_definition(problems)
    run([tool('ansible-builder'), 'create', '--file', EE_FILE, '--context', context,
         '--output-filename', 'Containerfile'], ROOT, problems)
    check_context(context, dependencies, problems)
    collections = replay_galaxy_stage(context, problems)
    found = replay_introspection(context, collections, problems)
    summary = [f'{kind}: {line}' for kind, lines in found.items() for line in lines]
    return problems, summary


def main(argv=None):
    """Check in a temporary directory (or in --keep DIR, left in place); exit 1 on any problem."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--keep', metavar='DIR', help='render into DIR and keep it')
    args = parser.parse_args(argv)
    if args.keep:
        problems, summary = check(os.path.abspath(args.keep))
        summary.insert(0, f'context: {os.path.abspath(args.keep)}')
    else:
        with tempfile.TemporaryDirectory(prefix='ee-check-') as directory:
            problems, summary = check(os.path.join(directory, 'context'))
    for line in summary:
        print(line)
    for problem in problems:
        print(f'PROBLEM: {problem}', file=sys.stderr)
    print('ee_check: ' + ('OK' if not problems else f'{len(problems)} problem(s)'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
