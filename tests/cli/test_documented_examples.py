"""The example commands of README.md and of `keyproj --help` and every command's --help,
run exactly as written (in a scratch folder holding the repository's examples/), must
succeed: an example that fails teaches the wrong command."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import unittest

from cli_support import BIN, SAMPLE, SOURCE, CliTestCase, keyproj

sys.path.insert(0, str(SOURCE / "examples" / "python"))
from split_ledger import split_ledger  # noqa: E402  (standard library only)

COMMANDS = ["report", "targets", "score", "problems", "indicators", "validate", "summary", "generate", "pack",
            "merge"]


def join_continued(lines):
    """Lines ending in a backslash joined with the next."""
    out, pending = [], ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        out.append(pending + line)
        pending = ""
    return out


def without_comment(line):
    """A README line without its `# ...` remark, a --help line without its `(...)` one
    (after two spaces or more)."""
    line = re.sub(r"\s+#\s.*$", "", line)
    return re.sub(r"\s{2,}\(.*$", "", line).strip()


def readme_examples():
    """The lines of README.md's example block (after "For example:")."""
    text = (SOURCE / "README.md").read_text(encoding="utf-8")
    block = text.split("For example:\n```\n", 1)[1].split("```", 1)[0]
    return [without_comment(l) for l in join_continued(block.splitlines()) if l.strip()]


def help_examples(help_text):
    """The `keyproj ...` lines after a help's "example:" or "examples:"."""
    tail = re.split(r"\nexamples?:\n", help_text, maxsplit=1)
    if len(tail) < 2:
        return []
    lines = [l.strip() for l in join_continued(tail[1].splitlines())]
    return [without_comment(l) for l in lines if l.startswith("keyproj ")]


class DocumentedExamplesTest(CliTestCase):
    def setUp(self):
        super().setUp()
        # examples/ as in the repository; its data copied, as `generate ... --out
        # examples/data` (the bundled sample's own command) writes there.
        (self.tmp / "examples").mkdir()
        for entry in (SOURCE / "examples").iterdir():
            if entry.name != "data":
                (self.tmp / "examples" / entry.name).symlink_to(entry)
        shutil.copytree(SAMPLE, self.tmp / "examples" / "data")
        # The shards the scale-out examples name: the sample ledger cut by city.
        cities = {}
        def shard_of(row):
            return cities.setdefault(row["region"][:4], f"shard{len(cities) + 1}")
        split_ledger(SAMPLE, self.tmp / "cut", shard_of)
        for shard in (self.tmp / "cut").iterdir():
            shard.rename(self.tmp / shard.name)
        shutil.copytree(self.tmp / "shard1", self.tmp / "north")
        shutil.copytree(self.tmp / "shard2", self.tmp / "south")
        # ./台账, a bureau's folder in the validate and pack examples: as Excel on
        # Chinese Windows saves it (GB18030, Chinese headers); funding in yuan only, as
        # the validate example gives no --fx.
        self.assertRan(keyproj("generate", "--projects", "300", "--encoding", "gb18030", "--chinese-headers",
                               "--usd-rate", "none", "--out", self.tmp / "台账"))

    def run_line(self, line):
        """Runs a documented line (commands joined by &&) in the scratch folder."""
        for command in line.split("&&"):
            argv = shlex.split(command)
            self.assertEqual(argv[0], "keyproj", line)
            # /tmp/... in an example stays inside the scratch folder.
            argv = [a.replace("/tmp/", str(self.tmp) + "/") for a in argv[1:]]
            proc = subprocess.run([BIN, *argv], cwd=self.tmp, capture_output=True, timeout=600)
            self.assertEqual(proc.returncode, 0,
                             f"{command.strip()}\nexit {proc.returncode}:\n{proc.stderr.decode('utf-8', 'replace')}")

    def test_readme(self):
        lines = readme_examples()
        self.assertIn("keyproj generate --projects 300 --format xlsx --out ledger.xlsx && "
                      "keyproj report --data ledger.xlsx --fx USD=7.1", lines)
        for line in lines:
            with self.subTest(line=line):
                self.run_line(line)
                # "per shard": the partial of every shard, then the merge of them all.
                if "--data shard1" in line:
                    for n in (2, 3):
                        self.run_line(line.replace("shard1", f"shard{n}").replace("1.kpp", f"{n}.kpp"))

    def test_help(self):
        top = keyproj("--help")
        self.assertRan(top)
        lines = help_examples(top.text)
        self.assertIn("keyproj report --data ledger.xlsx --fx USD=7.1", lines)
        for command in COMMANDS:
            run = keyproj(command, "--help")
            self.assertRan(run)
            lines += help_examples(run.text)
        for line in lines:
            with self.subTest(line=line):
                self.run_line(line)


if __name__ == "__main__":
    unittest.main()
