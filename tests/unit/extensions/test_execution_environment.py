"""The execution environment definition renders a complete build context (tools/ee_check.py, no image built)."""

import importlib.util
import os

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def ee_check():
    spec = importlib.util.spec_from_file_location('ee_check', os.path.join(ROOT, 'tools', 'ee_check.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_rendered_context_installs_the_collection_and_its_dependencies(tmp_path, capsys):
    assert ee_check().main(['--keep', str(tmp_path / 'context')]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert 'python: ibm-cloud-networking-services>=0.30,<1  # from collection cloud_dr.ibm_direct_link' in out
    assert (tmp_path / 'context' / 'Containerfile').is_file()
    installed = tmp_path / 'context' / 'replay' / 'collections' / 'ansible_collections' / 'cloud_dr' / 'ibm_direct_link'
    assert (installed / 'MANIFEST.json').is_file() and not (installed / 'tests').exists()
    assert (installed / 'simulator' / 'dlsim' / 'server.py').is_file()  # the rehearse playbook runs it


def test_the_definition_uses_the_collections_own_dependency_files():
    with open(os.path.join(ROOT, 'execution-environment.yml'), encoding='utf-8') as stream:
        definition = yaml.safe_load(stream)
    with open(os.path.join(ROOT, 'meta', 'execution-environment.yml'), encoding='utf-8') as stream:
        collection = yaml.safe_load(stream)
    assert definition['version'] == 3
    assert definition['dependencies']['python'] == collection['dependencies']['python'] == 'meta/ee-requirements.txt'
    assert definition['dependencies']['system'] == collection['dependencies']['system'] == 'meta/ee-bindep.txt'
    assert definition['dependencies']['galaxy']['collections'] == [{'name': 'collection', 'type': 'dir'}]
