#!/usr/bin/env python3
"""Checks keyproj's layering: no file includes a header of a layer above its own.

usage: check_layers.py SOURCE_DIR LAYERS_TXT

LAYERS_TXT is written by src/CMakeLists.txt (one line per layer: its name, the
layers it depends on and the public headers it owns). A layer's files are
src/<layer>/* and its headers; a file may include headers of its own layer and of
the layers it depends on, directly or through them. Also an error: a header under
include/keyproj that no layer owns, and a layer that names a header that does not
exist. Prints every violation as file:line: reason and exits 1 if there is any.
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include\s+"([^"]+)"', re.M)


def read_layers(path):
    layers = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if not line.startswith('layer '):
            continue
        _, name, deps, headers = line.split(' ')
        deps = [d for d in deps.removeprefix('deps=').split(',') if d]
        headers = [h for h in headers.removeprefix('headers=').split(',') if h]
        layers[name] = (deps, headers)
    return layers


def closure(layers, name):
    seen, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        todo.extend(layers[n][0])
    return seen


def main():
    root = pathlib.Path(sys.argv[1])
    layers = read_layers(sys.argv[2])
    problems = []
    owner = {}  # include path as written -> layer
    for name, (_, headers) in layers.items():
        for h in headers:
            owner[f'keyproj/{h}'] = name
            if not (root / 'include/keyproj' / h).is_file():
                problems.append(f'src/CMakeLists.txt: layer {name} names include/keyproj/{h}, which does not exist')
    for h in sorted((root / 'include/keyproj').rglob('*.h')):
        rel = h.relative_to(root / 'include').as_posix()
        if rel not in owner:
            problems.append(f'include/{rel}: belongs to no layer; name it in a keyproj_layer() of src/CMakeLists.txt')
    # A private header src/<layer>/x.h is written "<layer>/x.h".
    for name in layers:
        for f in (root / 'src' / name).glob('*') if (root / 'src' / name).is_dir() else []:
            owner[f'{name}/{f.name}'] = name

    files = []
    for name, (_, headers) in layers.items():
        src = root / 'src' / name
        if src.is_dir():
            files += [(name, f) for f in sorted(src.iterdir()) if f.suffix in ('.cc', '.h')]
        files += [(name, root / 'include/keyproj' / h) for h in headers]
    checked = 0
    for name, f in files:
        if not f.is_file():
            continue
        allowed = closure(layers, name)
        text = f.read_text(encoding='utf-8')
        for m in INCLUDE.finditer(text):
            inc = m.group(1)
            line = text.count('\n', 0, m.start()) + 1
            where = f'{f.relative_to(root).as_posix()}:{line}'
            if inc not in owner:
                if inc.startswith('keyproj/') or inc.split('/')[0] in layers:
                    problems.append(f'{where}: includes "{inc}", which no layer owns')
                continue
            checked += 1
            if owner[inc] not in allowed:
                problems.append(f'{where}: layer {name} includes "{inc}" of layer {owner[inc]}, '
                                f'which it does not depend on ({name} may use: {", ".join(sorted(allowed))})')
    for p in problems:
        print(p)
    print(f'layering: {len(files)} files, {checked} includes checked, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
