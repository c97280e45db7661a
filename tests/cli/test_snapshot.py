"""keyproj pack, and --data ledger.kpl in every command: the same output as from the
folder (the sample ledger, packed here); a bad snapshot is a clean error."""
import unittest

from cli_support import SAMPLE, SCHEME, TARGETS, CliTestCase, keyproj

AS_OF = "2024-09-30"


class Snapshot(CliTestCase):
    def pack(self, *extra):
        kpl = self.tmp / "ledger.kpl"
        run = keyproj("pack", "--data", SAMPLE, "--out", kpl, *extra)
        self.assertRan(run)
        self.assertIn("1500 projects", run.text)
        return kpl

    def test_every_command_reads_a_snapshot_as_the_folder(self):
        kpl = self.pack()
        commands = [
            ("report", "--as-of", AS_OF),
            ("report", "--as-of", AS_OF, "--format", "json", "--group-by", "county"),
            ("report", "--as-of", AS_OF, "--format", "text"),
            ("report", "--as-of", AS_OF, "--format", "csv", "--group-by", "city,category"),
            ("targets", "--as-of", AS_OF, "--targets", TARGETS),
            ("score", "--as-of", AS_OF, "--scheme", SCHEME),
            ("problems", "--as-of", AS_OF),
            ("summary",),
        ]
        for command in commands:
            with self.subTest(command=command):
                want = keyproj(command[0], "--data", SAMPLE, *command[1:])
                got = keyproj(command[0], "--data", kpl, *command[1:])
                self.assertRan(want)
                self.assertRan(got)
                if command[0] == "summary":  # names its --data in the first line
                    self.assertEqual(got.text.split("\n")[1:], want.text.split("\n")[1:])
                else:
                    self.assertEqual(got.out, want.out)
        run = keyproj("validate", "--data", kpl)
        self.assertRan(run)
        self.assertIn("ok, 1500 projects", run.text)

    def test_regions_flag_overrides_the_packed_names(self):
        kpl = self.pack()
        regions = self.tmp / "regions.csv"
        regions.write_text("region,name\n610302,某某区\n", encoding="utf-8")
        run = keyproj("report", "--data", kpl, "--as-of", AS_OF, "--group-by", "county", "--regions", regions)
        self.assertRan(run)
        self.assertIn("某某区", run.text)
        self.assertNotIn("渭滨区", run.text)

    def test_pack_needs_its_flags(self):
        self.assertCleanError(keyproj("pack", "--data", SAMPLE), 2, "--out")
        self.assertCleanError(keyproj("pack", "--out", self.tmp / "x.kpl"), 2, "--data")
        self.assertCleanError(keyproj("pack", "--data", self.tmp / "none", "--out", self.tmp / "x.kpl"), 3, "none")
        self.assertFalse((self.tmp / "x.kpl").exists())

    def test_bad_snapshots_are_clean_errors(self):
        kpl = self.pack()
        data = kpl.read_bytes()
        cut = self.tmp / "cut.kpl"
        cut.write_bytes(data[: len(data) // 2])
        self.assertCleanError(keyproj("report", "--data", cut, "--as-of", AS_OF), 3, "cut.kpl", "truncated")
        flipped = bytearray(data)
        flipped[len(data) // 3] ^= 0x40
        bad = self.tmp / "flipped.kpl"
        bad.write_bytes(bytes(flipped))
        self.assertCleanError(keyproj("summary", "--data", bad), 3, "flipped.kpl", "checksum")
        foreign = self.tmp / "foreign.kpl"
        foreign.write_text("code,name\n", encoding="utf-8")
        self.assertCleanError(keyproj("validate", "--data", foreign), 3, "not a keyproj snapshot")


if __name__ == "__main__":
    unittest.main()
