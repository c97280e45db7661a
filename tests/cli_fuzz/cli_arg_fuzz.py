#!/usr/bin/env python3
"""An argument fuzzer for the keyproj CLI (issue 11, item 3).

Runs every command (report, targets, score, indicators, summary, validate,
generate) with random and hostile flag values and checks, for each invocation:

  * it was not killed by a signal, and printed no sanitizer report
    ("ERROR: AddressSanitizer", "runtime error:", ...) and no "terminate called";
  * it ended within --timeout seconds (a timeout is a hang);
  * its exit status is 0..3, and stderr says something whenever it is not 0;
  * nothing outside its scratch folder was created, changed or removed, except
    the --out target (when --out is a symlink in scratch, the symlink's target
    outside); an existing --out file keeps its permissions.

The flags of each command are read from its --help at start, so a new flag is
fuzzed without editing this file (its metavariable -- DIR, FILE, DATE, N -- picks
the kind of values). Values are valid ones (a copy of examples/data and the
other examples in an `inputs` folder outside the scratch folders) mixed with
hostile ones: folders, a FIFO with no writer, /dev/null, /dev/zero, symlinks
(to files, to folders, dangling, loops), empty and big files, dates at and beyond
the calendar's edges, huge and negative numbers, invalid UTF-8, 128 KiB values
(Linux refuses a single argument over 128 KiB), empty strings, unknown, repeated
and value-less flags, positional junk, and ledger folders with a file made a
FIFO, a device, a folder or empty. --out is only ever a path in the scratch
folder: a new file, an existing file, a symlink to a file (or folder) in the
`outside` folder, a FIFO with a reader, a character device (root only), a
folder, a path in a missing folder, a read-only folder.

A finding prints one line `FINDING run N: what` and a reproducer (the exact
argv, shell-quoted, run in the scratch folder); the run goes on, and the exit
status is 1 when anything was found. Runs are reproducible: run N of seed S is
the same argv (but for the fixture folder's random name) in the same scratch
contents every time (`--seed S --only N` replays it; `--keep` keeps the fixture
folder the reproducer's paths point into).

CI (ctest -L fuzz -R cli.fuzz_args; tests/cli_fuzz/CMakeLists.txt): seed 1,
800 runs or 45 s (asan preset: 500 runs or 90 s), 10 s per invocation.

By hand, longer (see tests/cli_fuzz/README.md):
  python3 tests/cli_fuzz/cli_arg_fuzz.py --bin build/dev/src/keyproj \\
      --runs 100000 --time 3600 --seed $RANDOM
  python3 tests/cli_fuzz/cli_arg_fuzz.py --bin build/asan/src/keyproj --runs 5000 --time 1800

Standard library only.
"""
import argparse
import json
import os
import random
import re
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

COMMANDS = ["report", "targets", "score", "indicators", "summary", "validate", "generate"]

# Exit statuses the CLI documents (src/cli/main.cc): ok, ledger problems, usage, file/IO.
ALLOWED_EXIT = {0, 1, 2, 3}

# What a crash or a sanitizer says on stderr.
CRASH_MARKERS = [
    b"terminate called",
    b"ERROR: AddressSanitizer",
    b"ERROR: LeakSanitizer",
    b"runtime error:",
    b"AddressSanitizer:DEADLYSIGNAL",
    b"what():",
]

# Linux refuses one argument longer than MAX_ARG_STRLEN (32 pages = 128 KiB, with
# its NUL); the long values leave room for a --name= before them.
MAX_ARG = 128 * 1024 - 64

DIMENSIONS = ["category", "level", "build_type", "province", "city", "county", "department", "leader",
              "attracted", "sector", "industrial", "stage", "size_band", "tag"]

EDGE_DATES = ["0001-01-01", "1899-12-31", "1900-01-01", "1969-12-31", "1970-01-01", "2000-02-29",
              "2024-02-29", "2023-02-29", "9999-12-31", "10000-01-01", "2024-02-30", "2024-13",
              "2024-00", "2024-12-32", "0000-00-00", "-1", "", "2024-9-3", "2024/09/30", "20240930",
              "2024-09-30T00:00:00", " 2024-09-30", "2024-09-30 ", "+2024-09-30", "2024-09-31",
              "-2024-09-30", "99999999-12-31", "2024-1", "2024", "9999-12", "0001-01"]
VALID_DATES = ["2024-09-30", "2024-09", "2024-12-31", "2023-12-31", "2024-01-31", "2024-06-15",
               "2025-10-31", "2023-01"]

HUGE_NUMBERS = [str(2 ** 63), str(2 ** 63 - 1), str(-2 ** 63 - 1), str(-2 ** 63), str(2 ** 64),
                str(2 ** 64 - 1), str(2 ** 31), str(2 ** 31 - 1), str(-2 ** 31 - 1), str(2 ** 32),
                "-1", "0", "-0", "1e308", "-1e308", "1e-308", "nan", "NaN", "inf", "-inf", "Infinity",
                "0x10", "1_000", "1,000", "１２", "007", "+1", "1.", ".5", "1e3", "99999999999999999999999999",
                "0.000000000000000000001", "12345678901234567890.123456789"]
SMALL_NUMBERS = ["0", "1", "2", "3", "5", "10", "20", "31", "32", "100"]


class Value:
    """One argv element: its bytes, and how a shell writes it in a reproducer."""

    def __init__(self, data, shell=None):
        self.data = data if isinstance(data, bytes) else os.fsencode(data)
        self._shell = shell

    def shell(self):
        return self._shell if self._shell is not None else shell_quote(self.data)


def repeated(unit, count):
    """unit * count (a long value), written in a reproducer as a python3 one-liner."""
    data = unit * count
    return Value(data, "\"$(python3 -c 'import sys; sys.stdout.buffer.write(%r * %d)')\"" % (unit, count))


def shell_quote(b):
    try:
        s = b.decode("utf-8")
        if s.isprintable():
            return shlex.quote(s)
    except UnicodeDecodeError:
        pass
    out = []
    for byte in b:
        c = chr(byte)
        if c == "'" or c == "\\":
            out.append("\\" + c)
        elif 0x20 <= byte < 0x7F:
            out.append(c)
        else:
            out.append("\\x%02x" % byte)
    return "$'" + "".join(out) + "'"


# ---------------------------------------------------------------------------
# The fixture: inputs (valid and hostile) and the outside folder, made once.
# ---------------------------------------------------------------------------

class Fixture:
    def __init__(self, root, source, bin_path):
        self.root = root
        self.inputs = root / "inputs"
        self.outside = root / "outside"
        self.source = source
        self.bin = bin_path
        self.is_root = os.geteuid() == 0
        self.inputs.mkdir()
        self.outside.mkdir()
        (self.outside / "victim.txt").write_bytes(b"a file outside the scratch folder\n")
        os.chmod(self.outside / "victim.txt", 0o640)
        (self.outside / "dir").mkdir()
        (self.outside / "dir" / "keep.txt").write_bytes(b"keep\n")
        self._make_inputs()

    def _make_inputs(self):
        src = self.source
        inp = self.inputs
        shutil.copytree(src / "examples" / "data", inp / "data")
        for sub in ["targets", "templates", "scoring"]:
            shutil.copytree(src / "examples" / sub, inp / sub)
        for name in ["english", "chinese_headers", "gb18030_chinese_headers", "many_errors"]:
            if (src / "tests" / "data" / name).is_dir():
                shutil.copytree(src / "tests" / "data" / name, inp / name)
        self.ledgers = [inp / "data"] + [inp / n for n in ["english", "chinese_headers",
                                                          "gb18030_chinese_headers", "many_errors"]
                                          if (inp / n).is_dir()]
        self.targets = sorted((inp / "targets").glob("*.toml"))
        self.schemes = sorted((inp / "scoring").glob("*.toml"))
        self.templates = sorted((inp / "templates").glob("*"))
        (inp / "curve.txt").write_text("8,16,25,33,41,50,58,66,85,90,95,100\n")
        self._make_hostile_specs()

        # Hostile files and folders.
        (inp / "empty").write_bytes(b"")
        (inp / "folder").mkdir()
        os.mkfifo(inp / "fifo")  # nobody ever writes to it: a reader that waits hangs
        rnd = random.Random(12345)
        (inp / "big").write_bytes(bytes(rnd.getrandbits(8) for _ in range(1 << 16)) * 48)  # 3 MiB of junk
        (inp / "junk.toml").write_bytes(b"[[[\x00\xff\xfe = = \n" * 100)
        (inp / "bad_utf8.csv").write_bytes(b"project_code,name\n\xff\xfe\xc0\xaf,\xed\xa0\x80\n")
        (inp / "long_line.csv").write_bytes(b"project_code," + b"x" * (1 << 20) + b"\n")
        (inp / "nul.csv").write_bytes(b"\x00" * 4096)
        os.symlink(inp / "targets" / self.targets[0].name, inp / "link_file")
        os.symlink(inp / "data", inp / "link_dir")
        os.symlink(inp / "no-such-file", inp / "link_dangling")
        os.symlink(inp / "loop_b", inp / "loop_a")
        os.symlink(inp / "loop_a", inp / "loop_b")
        os.symlink(inp / "fifo", inp / "link_fifo")
        (inp / "unreadable").write_bytes(b"x")
        os.chmod(inp / "unreadable", 0)
        name = os.fsencode(inp) + b"/\xff\xfename"
        with open(name, "wb") as f:
            f.write(b"a file whose name is not UTF-8\n")
        self.bad_name = name

        # Ledger folders, each a mutated copy of examples/data.
        def ledger(name, mutate):
            d = inp / name
            shutil.copytree(inp / "data", d)
            mutate(d)
            self.hostile_ledgers.append(d)

        self.hostile_ledgers = []

        def fifo(d, f):
            (d / f).unlink()
            os.mkfifo(d / f)

        def link(d, f, target):
            (d / f).unlink()
            os.symlink(target, d / f)

        def folder(d, f):
            (d / f).unlink()
            (d / f).mkdir()

        ledger("ledger_fifo_monthly", lambda d: fifo(d, "monthly.csv"))
        ledger("ledger_fifo_regions", lambda d: fifo(d, "regions.csv"))
        ledger("ledger_zero_monthly", lambda d: link(d, "monthly.csv", "/dev/zero"))
        ledger("ledger_null_projects", lambda d: link(d, "projects.csv", "/dev/null"))
        ledger("ledger_empty_projects", lambda d: (d / "projects.csv").write_bytes(b""))
        ledger("ledger_dir_projects", lambda d: folder(d, "projects.csv"))
        ledger("ledger_dir_regions", lambda d: folder(d, "regions.csv"))
        ledger("ledger_dangling_funding", lambda d: link(d, "funding.csv", d / "nothing"))
        ledger("ledger_loop_plans", lambda d: (link(d, "plans.csv", d / "plans2.csv"),
                                               os.symlink(d / "plans.csv", d / "plans2.csv")))
        ledger("ledger_big_monthly", lambda d: link(d, "monthly.csv", inp / "big"))
        ledger("ledger_no_projects", lambda d: (d / "projects.csv").unlink())
        ledger("ledger_only_header", lambda d: (d / "monthly.csv").write_bytes(
            (d / "monthly.csv").read_bytes().split(b"\n", 1)[0] + b"\n"))
        ledger("ledger_truncated", lambda d: (d / "projects.csv").write_bytes(
            (d / "projects.csv").read_bytes()[:5000]))
        ledger("ledger_bad_utf8", lambda d: (d / "projects.csv").write_bytes(
            (d / "projects.csv").read_bytes().replace(b"\xe9", b"\xff", 50)))
        ledger("ledger_unreadable", lambda d: os.chmod(d / "monthly.csv", 0))
        ledger("ledger_edge_dates", lambda d: (d / "monthly.csv").write_bytes(
            re.sub(rb"\b2024-0[1-3]\b", b"9999-12", re.sub(rb"\b2023-0[1-6]\b", b"0001-01",
                                                          (d / "monthly.csv").read_bytes()))))

        # Valid ids for --indicators, from the catalogue itself.
        proc = subprocess.run([str(self.bin), "indicators", "--format", "json"], capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=60)
        if proc.returncode != 0:
            raise SystemExit(f"cli_arg_fuzz: `keyproj indicators --format json` failed ({proc.returncode}):\n"
                             + proc.stderr.decode("utf-8", "replace"))
        self.indicator_ids = [i["id"] for i in json.loads(proc.stdout)]

    def _make_hostile_specs(self):
        """Target sets, scoring schemes and templates that parse as far as they can."""
        d = self.inputs / "specs"
        d.mkdir()
        target = self.targets[0].read_text(encoding="utf-8")
        scheme = self.schemes[0].read_text(encoding="utf-8")
        template = self.templates[0].read_text(encoding="utf-8")
        deep = 100000
        files = {
            "t_deep_array.toml": target + "\nx = " + "[" * deep + "]" * deep + "\n",
            "t_deep_inline.toml": target + "\nx = " + "{a=" * 5000 + "1" + "}" * 5000 + "\n",
            "t_dotted_key.toml": target + "\n" + ".".join(["a"] * deep) + " = 1\n",
            "t_deep_expr.toml": target.replace('"projects[size>=1亿]"', '"' + "(" * deep + "projects" + ")" * deep + '"'),
            "t_long_expr.toml": target.replace('"projects[size>=1亿]"', '"' + " + ".join(["projects"] * 50000) + '"'),
            "t_unary_expr.toml": target.replace('"projects[size>=1亿]"', '"' + "-" * deep + 'projects"'),
            "t_huge_targets.toml": target.replace('">= 300亿元"', '">= 99999999999999999999999999亿元"')
                                          .replace('">= 95%"', '">= 1e308%"').replace('">= 1000"', '">= -1"'),
            "t_many_targets.toml": target.replace("\n[targets]\n", "".join(
                f"\n[indicators.c{i}]\nlabel = \"c{i}\"\nunit = \"count\"\nexpression = \"projects[size>={i}]\"\n"
                for i in range(3000)) + "\n[targets]\n") + "".join(f"c{i} = \">= {i}\"\n" for i in range(3000)),
            "t_self_ref.toml": target.replace('"projects[size>=1亿]"', '"projects_over_1yi + 1"'),
            "t_bad_utf8.toml": target.encode("utf-8").replace("亿元以上".encode(), b"\xff\xfe\xc0\xaf").decode(
                "latin-1"),
            "s_many_tiers.toml": scheme.replace('tiers = [">= 100%: 40", ">= 80%: 30", ">= 50%: 20"]',
                                                "tiers = [" + ", ".join(f'">= {i}%: {i}"' for i in range(20000, 0, -1))
                                                + "]"),
            "s_huge_weights.toml": scheme.replace("weight = 20", "weight = 1e308").replace("max = 25", "max = -1")
                                         .replace("span = 16", "span = 99999999999999999999999"),
            "s_zero_span.toml": scheme.replace("span = 16", "span = 0").replace("target = 10", "target = 0"),
            "s_group_by_nope.toml": scheme.replace('group_by = "department"', 'group_by = "nope"'),
            "tpl_huge.txt": "{projects}" * 100000,
            "tpl_deep_cond.txt": "?{" + "(" * deep + "projects" + ")" * deep + "}x\n" + template,
            "tpl_unclosed.txt": template + "{investment_ytd|亿元" + "[" * deep,
            "tpl_bad_utf8.txt": template.encode("utf-8")[:-7].decode("latin-1"),
        }
        for name, text in files.items():
            (d / name).write_bytes(text.encode("latin-1") if "bad_utf8" in name else text.encode("utf-8"))
        self.hostile_specs = {
            "targets": [d / n for n in files if n.startswith("t_")],
            "scheme": [d / n for n in files if n.startswith("s_")],
            "template": [d / n for n in files if n.startswith("tpl_")],
        }

    # Input paths: valid ones and hostile ones.
    def hostile_paths(self):
        inp = self.inputs
        paths = [inp / "empty", inp / "folder", inp / "fifo", inp / "big", inp / "junk.toml",
                 inp / "bad_utf8.csv", inp / "long_line.csv", inp / "nul.csv", inp / "link_file",
                 inp / "link_dir", inp / "link_dangling", inp / "loop_a", inp / "link_fifo",
                 inp / "unreadable", inp / "no-such-file", inp / "empty" / "below-a-file",
                 "/dev/null", "/dev/zero", "/", "/proc/self/status", "/nonexistent/x", ".", "..",
                 "../inputs/data", "../inputs/fifo", "relative-missing"]
        vals = [Value(str(p)) for p in paths]
        vals.append(Value(self.bad_name))
        vals.extend(Value(str(p)) for p in self.hostile_ledgers)
        return vals


# ---------------------------------------------------------------------------
# Flags from --help.
# ---------------------------------------------------------------------------

OPTION_LINE = re.compile(r"^\s+--([a-z][a-z0-9-]*)(?:[ =](\S+))?(?:\s{2,}|$)")
USAGE_FLAG = re.compile(r"--([a-z][a-z0-9-]*)(?: ([^\s\[\]]+))?")


def parse_help(bin_path, command):
    """{flag name: metavariable or None (a switch)} of `keyproj COMMAND --help`."""
    proc = subprocess.run([str(bin_path), command, "--help"], capture_output=True, stdin=subprocess.DEVNULL,
                          timeout=60)
    if proc.returncode != 0:
        raise SystemExit(f"cli_arg_fuzz: `keyproj {command} --help` exited {proc.returncode}")
    text = proc.stdout.decode("utf-8")
    flags = {"help": None}
    in_usage = False
    for line in text.splitlines():
        if line.startswith("usage:"):
            in_usage = True
        elif not line.strip():
            in_usage = False
        if in_usage:
            for name, meta in USAGE_FLAG.findall(line):
                if name not in flags or flags[name] is None:
                    flags[name] = meta or None
            continue
        m = OPTION_LINE.match(line)
        if m:
            flags[m.group(1)] = m.group(2)  # the options list is the authority on metavariables
    return flags


# ---------------------------------------------------------------------------
# Snapshots: everything outside the scratch folder that must not change.
# ---------------------------------------------------------------------------

def entry(st, path):
    kind = stat.S_IFMT(st.st_mode)
    rec = [kind, stat.S_IMODE(st.st_mode), st.st_uid]
    if stat.S_ISREG(kind):
        rec += [st.st_size, st.st_mtime_ns, st.st_ino]
    elif stat.S_ISDIR(kind):
        rec += [st.st_mtime_ns]
    elif stat.S_ISLNK(kind):
        rec += [os.readlink(path)]
    elif stat.S_ISCHR(kind) or stat.S_ISBLK(kind):
        rec += [st.st_rdev, st.st_ino]
    else:
        rec += [st.st_ino]
    return tuple(rec)


def snap_tree(top, out, skip=()):
    """Every path under top (lstat, never following a link)."""
    try:
        st = os.lstat(top)
    except OSError:
        out[top] = None
        return
    out[top] = entry(st, top)
    if stat.S_ISDIR(st.st_mode):
        try:
            names = sorted(os.listdir(top))
        except OSError as e:
            out[top + b"/"] = ("unlistable", e.errno)
            return
        for n in names:
            p = top + b"/" + n
            if p not in skip:
                snap_tree(p, out, skip)


def snap_path(p, out):
    """One path outside the fixture (a system path given as an argument): its node only."""
    try:
        st = os.lstat(p)
    except OSError:
        out[p] = None
        return
    kind = stat.S_IFMT(st.st_mode)
    rec = (kind, stat.S_IMODE(st.st_mode), st.st_rdev if stat.S_ISCHR(kind) or stat.S_ISBLK(kind) else 0,
           os.readlink(p) if stat.S_ISLNK(kind) else None, st.st_ino)
    out[p] = rec


def snapshot(fx, scratch, argv):
    out = {}
    root = os.fsencode(fx.root)
    snap_tree(root, out, skip={os.fsencode(scratch)})
    # The root folder's own mtime changes as scratch folders come and go.
    out[root] = ("root",)
    for arg in argv[1:]:
        # A path may be the whole argument, or follow --name= or curve:.
        for a in (arg, arg.partition(b"=")[2], arg.partition(b"curve:")[2]):
            if a.startswith(b"/") and not a.startswith(root + b"/") and len(a) < 4096:
                snap_path(a, out)
    return out


def diff_snapshots(before, after, allowed):
    changes = []
    for p in sorted(set(before) | set(after)):
        if any(p == a or p.startswith(a + b"/") for a in allowed):
            continue
        # The folder of an allowed target: replacing the target (a temporary beside it,
        # renamed over it) changes the folder's own mtime; its other entries still count.
        if any(p == os.path.dirname(a) for a in allowed) and before.get(p) and after.get(p) and \
                before[p][:-1] == after[p][:-1]:
            continue
        b, a = before.get(p, "absent"), after.get(p, "absent")
        if b != a:
            what = "created" if b in ("absent", None) else "removed" if a in ("absent", None) else "changed"
            changes.append(f"{what} outside scratch: {os.fsdecode(p)} ({b} -> {a})")
    return changes


# ---------------------------------------------------------------------------
# --out targets: only ever inside the scratch folder.
# ---------------------------------------------------------------------------

class FifoReader(threading.Thread):
    """Drains a FIFO (a --out target) so a writer never waits, until stopped."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)

    def run(self):
        try:
            while not self.stop.is_set():
                try:
                    if not os.read(self.fd, 1 << 16):
                        time.sleep(0.005)
                except BlockingIOError:
                    time.sleep(0.005)
        finally:
            os.close(self.fd)


class OutTarget:
    KINDS = ["new", "new_abs", "existing", "link_outside_file", "link_outside_dir", "fifo", "device",
             "folder", "folder_with_files", "missing_parent", "readonly_dir", "scratch_itself", "dot_dot_into"]

    def __init__(self, fx, scratch, kind):
        self.kind = kind
        self.allowed = []  # paths outside scratch this target may change
        self.reader = None
        self.mode = None
        s = scratch

        def make(fn, *a):  # a second --out of the same kind finds the first one's node
            try:
                fn(*a)
                return True
            except FileExistsError:
                return False

        if kind == "new":
            self.value = "out.txt"
        elif kind == "new_abs":
            self.value = str(s / "new.out")
        elif kind == "existing":
            p = s / "existing.txt"
            p.write_bytes(b"old contents\n")
            os.chmod(p, 0o640)
            self.mode = 0o640
            self.path = p
            self.value = str(p)
        elif kind == "link_outside_file":
            make(os.symlink, fx.outside / "victim.txt", s / "link")
            self.allowed.append(os.fsencode(fx.outside / "victim.txt"))
            self.value = "link"
        elif kind == "link_outside_dir":
            make(os.symlink, fx.outside / "dir", s / "dirlink")
            self.allowed.append(os.fsencode(fx.outside / "dir"))
            self.value = "dirlink"
        elif kind == "fifo":
            if make(os.mkfifo, s / "fifo"):
                self.reader = FifoReader(s / "fifo")
                self.reader.start()
            self.value = "fifo"
        elif kind == "device":
            make(os.mknod, s / "full", 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # like /dev/full
            self.value = "full"
        elif kind == "folder":
            (s / "folder").mkdir(exist_ok=True)
            self.value = "folder"
        elif kind == "folder_with_files":
            (s / "folder").mkdir(exist_ok=True)
            (s / "folder" / "projects.csv").write_bytes(b"not a ledger\n")
            self.value = str(s / "folder")
        elif kind == "missing_parent":
            self.value = "missing/sub/out.txt"
        elif kind == "readonly_dir":
            (s / "ro").mkdir(exist_ok=True)
            os.chmod(s / "ro", 0o555)
            self.value = "ro/out.txt"
        elif kind == "scratch_itself":
            self.value = "."
        elif kind == "dot_dot_into":
            self.value = f"../{s.name}/via-parent.txt"
        else:
            raise ValueError(kind)
        self.path = scratch / self.value
        self.node_before = self._node()
        self.bytes_before = self.path.read_bytes() if kind == "existing" else None

    def _node(self):
        try:
            return entry(os.lstat(self.path), self.path)[:2] + (
                (os.readlink(self.path),) if self.path.is_symlink() else ())
        except OSError:
            return None

    def finish(self):
        if self.reader is not None:
            self.reader.stop.set()
            self.reader.join(5)

    def check(self, code, command):
        """What the --out target must look like after a run that exited with code."""
        node = self._node()
        if self.kind in ("link_outside_file", "link_outside_dir", "fifo", "device") and node != self.node_before:
            return [f"--out onto a {self.kind.replace('_', ' ')} replaced the node: {self.node_before} -> {node}"]
        if self.kind == "existing":
            if node is None:
                return [f"--out onto an existing file removed it (exit {code})"]
            if code == 0 and node[:2] != self.node_before[:2]:
                return [f"--out onto an existing file changed its type or permissions: "
                        f"{self.node_before[1]:o} -> {node[1]:o}"]
            if code != 0 and command != "generate" and self.path.read_bytes() != self.bytes_before:
                return [f"--out onto an existing file changed it, yet exit {code}"]
        if self.kind in ("new", "new_abs", "missing_parent", "dot_dot_into") and code != 0 \
                and command != "generate" and node is not None:
            return [f"--out {self.value} was created, yet exit {code} (written whole or not at all)"]
        return []


def leftovers(scratch):
    """Temporary files a writer left behind."""
    found = []
    for dirpath, dirnames, filenames in os.walk(scratch):
        for n in dirnames + filenames:
            if ".tmp-" in n or n.endswith(".tmp"):
                found.append(os.path.relpath(os.path.join(dirpath, n), scratch))
    return found


# ---------------------------------------------------------------------------
# Values for flags.
# ---------------------------------------------------------------------------

def hostile_strings(rng):
    return [
        Value(b""), Value(b" "), Value(b"\xff\xfe"), Value(b"\xc0\xaf"), Value(b"\xed\xa0\x80"),
        Value(b"abc\xff"), Value(b"\xe4\xb8"), Value("全县\u202e\u0000".encode()[:-1]), Value("１２３"),
        Value(b"--"), Value(b"-"), Value(b"--data"), Value(b"="), Value(b"a=b=c"), Value(b"\n"),
        Value(b"x\ny"), Value(b"\t"), Value(b"%s%n%x"), Value(b"${HOME}"), Value(b"'\""),
        Value(b"\x1b[31m"), Value(b"\x7f"), Value(b"\x01"),
        repeated(b"x", MAX_ARG), repeated(b"\xe5\x85\xa8", MAX_ARG // 3), repeated(b"a,", MAX_ARG // 2),
        repeated(b"\xff", rng.choice([1000, MAX_ARG])), repeated(b"9", rng.choice([400, 5000, MAX_ARG])),
        repeated(b"region=6104,", 10000), repeated(b"(", 20000),
    ]


def flag_values(fx, name, meta, rng):
    """Valid values for a flag (by its name, else by its metavariable)."""
    inp = fx.inputs
    if name == "data":
        return [Value(str(l)) for l in fx.ledgers] + [Value("../inputs/data")]
    if name == "regions":
        return [Value(str(inp / "data" / "regions.csv")), Value(str(inp / "data"))]
    if name == "encoding":
        return [Value(v) for v in ["auto", "utf8", "gb18030", "UTF-8", "gbk"]]
    if name == "merge-duplicates":
        return [Value("sum")]
    if name == "fx":
        return [Value(v) for v in ["USD=7.1", "EUR=7.8", "USD=0", "USD=-1", "USD=1e3", "=7", "USD="]]
    if name == "as-of":
        return [Value(v) for v in VALID_DATES]
    if name == "filter":
        return [Value(v) for v in ["region=6104", "category=industry|urban", "level=provincial", "size>=500",
                                   "industrial=1", "tags=重点", "region=610403", "stage=started",
                                   "category=nope", "size>=-1", "size>=" + str(2 ** 63), "region="]]
    if name == "schedule":
        return [Value(v) for v in ["months", "days", "curve:8,16,25,33,41,50,58,66,85,90,95,100",
                                   "curve:" + str(inp / "curve.txt"), "curve:", "curve:" + str(inp / "fifo"),
                                   "curve:/dev/zero", "curve:" + str(inp / "big"), "curve:1,2",
                                   "curve:100,90,80,70,60,50,40,30,20,10,5,0", "curve:nan,nan",
                                   "curve:" + ",".join([str(2 ** 63)] * 12)]]
    if name in ("deadline-day", "stalled-months", "countdown-days", "signed-months", "threads", "projects", "months",
                "seed"):
        edges = {"threads": ["1024", "1025"], "countdown-days": ["366", "367"], "signed-months": ["120", "121"]}
        return [Value(v) for v in SMALL_NUMBERS + edges.get(name, [])]
    if name == "behind-points":
        return [Value(v) for v in ["10", "7.5", "0", "0.01", "0.001", "100", "-1"]]
    if name == "group-by":
        return [Value(d) for d in DIMENSIONS] + [Value(",".join(rng.sample(DIMENSIONS, 2))),
                                                 Value(",".join(DIMENSIONS)), Value("nope")]
    if name == "indicators":
        ids = fx.indicator_ids
        return ([Value(i) for i in rng.sample(ids, min(5, len(ids)))]
                + [Value(",".join(rng.sample(ids, min(len(ids), rng.randint(2, 8))))), Value(",".join(ids)),
                   Value("support_approved.central_budget"), Value("problems_by_kind.land"),
                   Value("projects_over_1yi"), Value("nope"), Value("projects."), Value(".")])
    if name in ("targets", "scheme", "template"):
        # The valid file as often as all the hostile ones together.
        valid = {"targets": fx.targets, "scheme": fx.schemes, "template": fx.templates}[name]
        hostile = fx.hostile_specs[name]
        return [Value(str(p)) for p in valid * len(hostile) + hostile]
    if name == "unit":
        return [Value(v) for v in ["wan", "yi", "万元", "亿元", "万", "亿", "yuan"]]
    if name == "places":
        ids = fx.indicator_ids
        return [Value(f"{rng.choice(ids)}={rng.randint(0, 6)}"), Value("start_rate=0"), Value("start_rate=7"),
                Value("x=1"), Value("=1"), Value("start_rate=-1")]
    if name == "format":
        return [Value(v) for v in ["table", "json", "csv", "md", "xlsx", "text", "html"]]
    if name == "out-encoding":
        return [Value(v) for v in ["utf8", "gb18030", "auto"]]
    if name == "scope-name":
        return [Value(v) for v in ["全县", "全市", "全省", "x" * 200]]
    if name == "usd-rate":
        return [Value(v) for v in ["7.1", "none", "0", "-1", "7.123456789", "1e3"]]
    # A flag this file does not know: its metavariable says what it takes.
    m = (meta or "").upper()
    if "DIR" in m:
        return [Value(str(l)) for l in fx.ledgers]
    if "FILE" in m:
        return [Value(str(p)) for p in fx.targets + fx.schemes + fx.templates + [fx.inputs / "curve.txt"]]
    if "DATE" in m:
        return [Value(v) for v in VALID_DATES]
    if m in ("N", "M", "S", "X", "R") or "NUM" in m:
        return [Value(v) for v in SMALL_NUMBERS]
    if meta and "|" in meta:
        return [Value(v) for v in meta.split("|")]
    return [Value(meta or "x")]


def hostile_value(fx, name, meta, rng):
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(fx.hostile_paths())
    if kind < 0.5:
        return Value(rng.choice(EDGE_DATES))
    if kind < 0.7:
        return Value(rng.choice(HUGE_NUMBERS))
    if kind < 0.95:
        return rng.choice(hostile_strings(rng))
    # A valid value of another flag.
    other = rng.choice(["data", "targets", "as-of", "filter", "group-by", "indicators", "format"])
    return rng.choice(flag_values(fx, other, None, rng))


# ---------------------------------------------------------------------------
# One invocation.
# ---------------------------------------------------------------------------

def build_argv(fx, specs, rng, scratch):
    """argv (Values) and the --out targets it names."""
    outs = []

    def out_value():
        kinds = [k for k in OutTarget.KINDS if k != "device" or fx.is_root]
        t = OutTarget(fx, scratch, rng.choice(kinds))
        outs.append(t)
        return Value(t.value)

    r = rng.random()
    if r < 0.01:
        return [], outs
    if r < 0.02:
        return [Value(rng.choice(["--help", "-h", "help", "--version", "--nope", "REPORT", "", "\xff"]))], outs
    command = rng.choice(COMMANDS)
    flags = specs[command]
    argv = [Value(command)]

    def value_for(name, hostile):
        if name == "out":
            return out_value()  # never anything outside the scratch folder
        if hostile:
            return hostile_value(fx, name, flags.get(name), rng)
        return rng.choice(flag_values(fx, name, flags.get(name), rng))

    # A mostly valid command line first ...
    pairs = []  # [name, Value or None]
    for name, meta in flags.items():
        if name == "help":
            continue
        required = name in ("data", "targets", "scheme") or (name == "out" and command == "generate")
        if rng.random() < (0.92 if required else 0.15):
            pairs.append([name, value_for(name, False) if meta else None])
    rng.shuffle(pairs)

    # ... then a few hostile mutations.
    names = [n for n in flags if n != "help"]
    for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4])):
        m = rng.random()
        named = [p for p in pairs if p[0] != "positional" and p[1] != "missing"]
        if m < 0.55 and named:  # a hostile value
            p = rng.choice(named)
            p[1] = value_for(p[0], True)
            if flags.get(p[0]) is None:
                p.append("eq")  # a value for a switch: --lenient=VALUE
        elif m < 0.68 and names:  # another flag, hostile value
            n = rng.choice(names)
            pairs.append([n, value_for(n, True) if flags[n] else None])
        elif m < 0.74 and named:  # a repeated flag
            p = rng.choice(named)
            pairs.append([p[0], value_for(p[0], rng.random() < 0.5) if flags.get(p[0]) else None])
        elif m < 0.79:  # an unknown flag
            pairs.append([rng.choice(["nope", "DATA", "data-", "out_", "", "-", "help=1", "\xff",
                                      "x" * 5000]), rng.choice([None, Value("1")])])
        elif m < 0.84 and names:  # a flag without its value, at the end
            pairs.append([rng.choice([n for n in names if flags[n]] or names), "missing"])
        elif m < 0.89:  # positional junk
            pairs.insert(rng.randint(0, len(pairs)), ["positional", hostile_value(fx, "", None, rng)])
        elif m < 0.94 and pairs:  # a flag dropped
            pairs.pop(rng.randrange(len(pairs)))
        elif named:  # --name=value instead of --name value
            rng.choice(named).append("eq")

    tail = []
    for p in pairs:
        name, val = p[0], p[1]
        if name == "positional":
            argv.append(val)
        elif isinstance(val, str):  # "missing"
            tail.append(Value("--" + name))
        elif val is None:
            argv.append(Value("--" + name))
        elif "eq" in p[2:] and len(name) + len(val.data) + 3 <= MAX_ARG + 63:
            argv.append(Value(b"--" + os.fsencode(name) + b"=" + val.data,
                              None if val._shell is None else "--%s=%s" % (name, val._shell)))
        else:
            argv.append(Value("--" + name))
            argv.append(val)
    argv.extend(tail)
    return argv, outs


def argv_size(argv):
    return sum(len(v.data) + 1 for v in argv)


class Runner:
    def __init__(self, fx, bin_path, timeout, mem_mb, asan):
        self.fx = fx
        self.bin = bin_path
        self.timeout = timeout
        self.asan = asan
        self.mem = mem_mb * 1024 * 1024 if mem_mb and not asan else 0
        self.env = dict(os.environ)
        self.env.pop("KEYPROJ_PROGRESS_DELAY_MS", None)
        if asan:
            # Reading /dev/zero forever ends as a sanitizer report, not the machine's memory.
            opts = self.env.get("ASAN_OPTIONS", "")
            if "hard_rss_limit_mb" not in opts and mem_mb:
                self.env["ASAN_OPTIONS"] = (opts + ":" if opts else "") + f"hard_rss_limit_mb={mem_mb}"

    def _limits(self):
        if self.mem:
            resource.setrlimit(resource.RLIMIT_AS, (self.mem, self.mem))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def run(self, index, rng):
        fx = self.fx
        scratch = fx.root / f"scratch-{index}"
        scratch.mkdir()
        findings = []
        outs = []
        try:
            argv, outs = build_argv(fx, self.specs, rng, scratch)
            while argv_size(argv) > 1_500_000:  # below ARG_MAX, with the environment
                argv.pop()
            args = [os.fsencode(str(self.bin))] + [v.data for v in argv]
            stdout_kind = rng.choices(["pipe", "devfull", "closed"], [0.9, 0.05, 0.05])[0]
            allowed = [a for t in outs for a in t.allowed]
            before = snapshot(fx, scratch, args)
            t0 = time.monotonic()
            try:
                code, err, timed_out = self._exec(args, scratch, stdout_kind)
            except OSError as e:  # E2BIG: the fuzzer's mistake, not the CLI's
                print(f"cli_arg_fuzz: run {index} skipped: exec failed: {e}")
                return argv, stdout_kind, [], "skipped", 0.0, b""
            elapsed = time.monotonic() - t0
            for t in outs:
                t.finish()
            after = snapshot(fx, scratch, args)
            if timed_out:
                findings.append(f"no exit within {self.timeout} s (a hang)")
            elif code < 0:
                findings.append(f"killed by signal {signal.Signals(-code).name}")
            else:
                if code not in ALLOWED_EXIT:
                    findings.append(f"exit status {code}, not 0..3")
                if code != 0 and not err.strip():
                    findings.append(f"exit status {code} with nothing on stderr")
            for marker in CRASH_MARKERS:
                if marker in err:
                    line = next((l for l in err.splitlines() if marker in l), marker)
                    line = re.sub(r"^==\d+==", "", line.decode("utf-8", "replace"))
                    findings.append(f"stderr has {marker.decode()!r}: {line[:300]}")
            findings += diff_snapshots(before, after, allowed)
            if not timed_out and isinstance(code, int):
                command = os.fsdecode(argv[0].data) if argv else ""
                for t in outs:
                    findings += t.check(code, command)
                left = leftovers(scratch)
                if left:
                    findings.append("temporary files left behind in scratch: " + ", ".join(left[:5]))
            return argv, stdout_kind, findings, code, elapsed, err
        finally:
            for t in outs:
                t.finish()
            cleanup(scratch)

    def _exec(self, args, cwd, stdout_kind):
        devfull = None
        stdout = subprocess.PIPE
        closed_r = closed_w = None
        if stdout_kind == "devfull":
            devfull = open("/dev/full", "wb")
            stdout = devfull
        elif stdout_kind == "closed":
            closed_r, closed_w = os.pipe()
            os.close(closed_r)  # a reader that went away (`keyproj ... | head -0`)
            stdout = closed_w
        try:
            proc = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout,
                                    stderr=subprocess.PIPE, env=self.env, preexec_fn=self._limits,
                                    start_new_session=True)
        finally:
            if devfull:
                devfull.close()
            if closed_w is not None:
                os.close(closed_w)
        try:
            _, err = proc.communicate(timeout=self.timeout)
            return proc.returncode, err, False
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, err = proc.communicate()
            return proc.returncode, err, True


def cleanup(path):
    """Removes a scratch folder, whatever modes were left in it."""
    def onerror(func, p, exc):
        try:
            os.chmod(os.path.dirname(p), 0o755)
            os.chmod(p, 0o755)
        except OSError:
            pass
        try:
            func(p)
        except OSError:
            pass
    for dirpath, dirnames, _ in os.walk(path):
        for d in dirnames:
            try:
                full = os.path.join(dirpath, d)
                if not os.path.islink(full):
                    os.chmod(full, 0o755)
            except OSError:
                pass
    shutil.rmtree(path, onerror=onerror)


def is_asan_binary(path):
    with open(path, "rb") as f:
        data = f.read()
    # Linked against libasan (gcc) or with it built in (clang).
    return b"__asan_init" in data or b"AddressSanitizer" in data


def main():
    here = Path(__file__).resolve()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the top of this file and tests/cli_fuzz/README.md.")
    ap.add_argument("--bin", default=os.environ.get("KEYPROJ_BIN"),
                    help="the keyproj binary (default: $KEYPROJ_BIN, else build/dev/src/keyproj)")
    ap.add_argument("--source", default=os.environ.get("KEYPROJ_SOURCE_DIR", str(here.parents[2])),
                    help="the source tree (for examples/)")
    ap.add_argument("--runs", type=int, default=300, help="invocations (default 300)")
    ap.add_argument("--time", type=float, default=0, help="stop after this many seconds (0: no limit)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock, printed)")
    ap.add_argument("--only", type=int, action="append", help="replay only run N of the seed (repeatable)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds an invocation may take (default 30)")
    ap.add_argument("--mem-mb", type=int, default=2048,
                    help="address-space limit of an invocation, MiB (ASan: its RSS limit; 0: none)")
    ap.add_argument("--keep", action="store_true", help="keep the fixture folder (for reproducers)")
    ap.add_argument("--verbose", action="store_true", help="print every invocation")
    args = ap.parse_args()

    source = Path(args.source)
    bin_path = Path(args.bin) if args.bin else source / "build" / "dev" / "src" / "keyproj"
    if not bin_path.exists():
        raise SystemExit(f"cli_arg_fuzz: no keyproj binary at {bin_path} (build it, or give --bin)")
    bin_path = bin_path.resolve()
    seed = args.seed if args.seed is not None else int(time.time())
    asan = is_asan_binary(bin_path)

    root = Path(tempfile.mkdtemp(prefix="keyproj-cli-fuzz-"))
    fx = Fixture(root, source, bin_path)
    runner = Runner(fx, bin_path, args.timeout, args.mem_mb, asan)
    runner.specs = {c: parse_help(bin_path, c) for c in COMMANDS}
    print(f"cli_arg_fuzz: seed {seed}, {args.runs} runs, binary {bin_path}{' (ASan)' if asan else ''}, "
          f"fixture {root}")
    for c in COMMANDS:
        print(f"  {c}: " + " ".join(f"--{n}" + (f" {m}" if m else "") for n, m in runner.specs[c].items()))
    sys.stdout.flush()

    found = 0
    kinds = {}  # a finding without its details -> the runs that had it
    codes = {}
    start = time.monotonic()
    done = 0
    indices = args.only if args.only else range(args.runs)
    try:
        for i in indices:
            if args.time and time.monotonic() - start > args.time:
                print(f"cli_arg_fuzz: --time {args.time:g} s reached after {done} runs")
                break
            rng = random.Random(f"{seed}:{i}")
            argv, stdout_kind, findings, code, elapsed, err = runner.run(i, rng)
            done += 1
            codes[str(code)] = codes.get(str(code), 0) + 1
            cmdline = " ".join([shlex.quote(str(bin_path))] + [v.shell() for v in argv])
            if stdout_kind == "devfull":
                cmdline += " >/dev/full"
            elif stdout_kind == "closed":
                cmdline += " | head -c 0  # stdout a pipe whose reader has gone"
            if args.verbose:
                first = next(iter(err.decode("utf-8", "replace").splitlines()), "")
                print(f"run {i}: exit {code} in {elapsed:.2f} s: {cmdline[:400]}\n  stderr: {first[:200]}")
            if findings:
                found += 1
                for f in findings:
                    kind = re.sub(r"\d+", "N", re.sub(r" \(.*|: \S*/\S*.*", "", f)).strip().rstrip(":")
                    kinds.setdefault(kind, []).append(i)
                    print(f"FINDING run {i}: {f}")
                print(f"  reproduce (seed {seed} --only {i}; cwd: an empty scratch folder in {root}):\n"
                      f"  {cmdline if len(cmdline) < 2000 else cmdline[:2000] + ' ...'}")
                tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
                for line in tail:
                    print(f"  stderr: {line[:300]}")
                sys.stdout.flush()
    finally:
        if args.keep:
            print(f"cli_arg_fuzz: fixture kept in {root}")
        else:
            cleanup(root)
    took = time.monotonic() - start
    rate = done / took if took > 0 else 0
    print(f"cli_arg_fuzz: {done} runs in {took:.1f} s ({rate:.1f}/s), exit statuses "
          + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items())) + f"; {found} with findings")
    for kind, runs in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(runs):5d} x {kind[:120]}  (runs {', '.join(map(str, runs[:8]))}{' ...' if len(runs) > 8 else ''})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
