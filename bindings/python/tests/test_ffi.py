"""The prototype table is keyproj.h: every kp_* function, with as many parameters,
and a checked status wherever the header returns a kp_status."""
import re
import unittest

from support import SOURCE, keyproj

HEADER = SOURCE / "capi" / "keyproj.h"


def header_functions():
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(encoding="utf-8"), flags=re.S)
    found = {}
    for m in re.finditer(r"KP_API\s+([\w\s\*]+?)\s*\b(kp_\w+)\s*\(([^)]*)\)\s*;", text):
        ret, name, params = m.group(1).strip(), m.group(2), m.group(3).strip()
        count = 0 if params in ("", "void") else params.count(",") + 1
        found[name] = (ret, count)
    return found


class PrototypeTable(unittest.TestCase):
    def test_every_header_function_is_bound_as_declared(self):
        declared = header_functions()
        self.assertGreater(len(declared), 50)
        table = {name: (restype, argtypes) for name, restype, argtypes in keyproj._ffi.PROTOTYPES}
        self.assertEqual(sorted(table), sorted(declared), "keyproj.h and _ffi.PROTOTYPES list different functions")
        for name, (ret, count) in declared.items():
            restype, argtypes = table[name]
            self.assertEqual(len(argtypes), count, name)
            self.assertEqual(restype is keyproj._ffi.STATUS, ret == "kp_status", name)
            fn = getattr(keyproj._ffi.lib, name)
            self.assertEqual(fn.errcheck is keyproj._ffi._checked, ret == "kp_status", name)

    def test_enumerations_match_the_header(self):
        text = HEADER.read_text(encoding="utf-8")
        defines = dict(re.findall(r"#define (KP_\w+) (-?\d+)\b", text))
        ffi = keyproj._ffi
        for i, unit in enumerate(ffi.UNITS):
            self.assertEqual(int(defines[f"KP_UNIT_{unit.upper()}"]), i)
        for name, code in ffi.FORMATS.items():
            full = {"md": "MARKDOWN"}.get(name, name.upper())
            self.assertEqual(int(defines[f"KP_FORMAT_{full}"]), code, name)
        for name, code in ffi.ENCODINGS.items():
            full = {"utf-8": "UTF8", "gbk": "GB18030", "gb2312": "GB18030"}.get(name, name.upper())
            self.assertEqual(int(defines[f"KP_ENCODING_{full}"]), code, name)
        self.assertEqual(int(defines["KP_MONEY_WAN"]), ffi.MONEY_UNITS["wan"])
        self.assertEqual(int(defines["KP_MONEY_YI"]), ffi.MONEY_UNITS["yi"])
        for name, code in ffi.THRESHOLDS.items():
            self.assertEqual(int(defines[f"KP_THRESHOLD_{name.upper()}"]), code, name)
        self.assertEqual(int(defines["KP_LOAD_OPTIONS_VERSION"]), ffi.LOAD_OPTIONS_VERSION)
        self.assertEqual(int(defines["KP_RENDER_OPTIONS_VERSION"]), ffi.RENDER_OPTIONS_VERSION)
        self.assertEqual(int(defines["KP_ABI_VERSION"]), keyproj.ABI_VERSION)
        for name, code in ffi.TABLES.items():
            self.assertEqual(int(defines[f"KP_TABLE_{name.upper()}"]), code, name)
        for name, code in ffi.COLUMN_TYPES.items():
            self.assertEqual(int(defines[f"KP_COLUMN_{name.upper()}"]), code, name)
        self.assertEqual(int(defines["KP_COLUMN_VERSION"]), ffi.COLUMN_VERSION)

    def test_column_struct_matches_the_header(self):
        text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(encoding="utf-8"), flags=re.S)
        body = re.search(r"typedef struct kp_column \{(.*?)\} kp_column;", text, flags=re.S).group(1)
        fields = re.findall(r"(\w+)\s*;", body)
        self.assertEqual([f for f, _ in keyproj._ffi.kp_column._fields_], fields)


if __name__ == "__main__":
    unittest.main()
