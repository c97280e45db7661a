"""The layering checker fails on a violation and passes on a clean tree."""
import pathlib
import subprocess
import sys
import tempfile
import unittest

CHECKER = pathlib.Path(__file__).with_name('check_layers.py')
LAYERS = 'layer base deps= headers=a.h\nlayer engine deps=base headers=b.h\n'


def run(files):
    with tempfile.TemporaryDirectory() as d:
        root = pathlib.Path(d)
        for path, text in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
        (root / 'layers.txt').write_text(LAYERS)
        return subprocess.run([sys.executable, CHECKER, root, root / 'layers.txt'],
                              capture_output=True, text=True)


class CheckLayersTest(unittest.TestCase):
    def test_clean_tree_passes(self):
        r = run({'include/keyproj/a.h': '', 'include/keyproj/b.h': '#include "keyproj/a.h"\n',
                 'src/engine/x.cc': '#include "keyproj/b.h"\n#include "engine/y.h"\n', 'src/engine/y.h': ''})
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_lower_layer_including_higher_fails(self):
        r = run({'include/keyproj/a.h': '', 'include/keyproj/b.h': '',
                 'src/base/x.cc': '\n#include "keyproj/b.h"\n'})
        self.assertEqual(r.returncode, 1)
        self.assertIn('src/base/x.cc:2: layer base includes "keyproj/b.h" of layer engine', r.stdout)

    def test_private_header_of_higher_layer_fails(self):
        r = run({'include/keyproj/a.h': '', 'include/keyproj/b.h': '',
                 'src/engine/y.h': '', 'src/base/x.cc': '#include "engine/y.h"\n'})
        self.assertEqual(r.returncode, 1)
        self.assertIn('includes "engine/y.h" of layer engine', r.stdout)

    def test_unowned_public_header_fails(self):
        r = run({'include/keyproj/a.h': '', 'include/keyproj/b.h': '', 'include/keyproj/c.h': ''})
        self.assertEqual(r.returncode, 1)
        self.assertIn('include/keyproj/c.h: belongs to no layer', r.stdout)


if __name__ == '__main__':
    unittest.main()
