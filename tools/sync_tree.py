"""Mirror the files git would ship (tracked plus untracked-but-not-ignored) into a destination directory.

Usage: ``git ls-files -z --cached --others --exclude-standard | python3 tools/sync_tree.py DEST``, run from the
repository root.  Files are copied only when they changed, and files that are no longer wanted are removed, so
repeated runs are cheap.  ``tests/output`` inside DEST (ansible-test's results) is left alone.
"""

import os
import shutil
import sys


def main(dest):
    """Bring DEST in line with the file list read from standard input."""
    wanted = {path for path in sys.stdin.read().split('\0') if path and os.path.isfile(path)}
    for dirpath, _dirs, files in os.walk(dest, topdown=False):
        for name in files:
            relative = os.path.relpath(os.path.join(dirpath, name), dest)
            if relative not in wanted and not relative.startswith(os.path.join('tests', 'output')):
                os.remove(os.path.join(dirpath, name))
        if dirpath != dest and not os.listdir(dirpath):
            os.rmdir(dirpath)
    for relative in sorted(wanted):
        target = os.path.join(dest, relative)
        source_stat = os.stat(relative)
        if os.path.exists(target):
            target_stat = os.stat(target)
            if target_stat.st_size == source_stat.st_size and target_stat.st_mtime >= source_stat.st_mtime:
                continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(relative, target)


if __name__ == '__main__':
    main(sys.argv[1])
