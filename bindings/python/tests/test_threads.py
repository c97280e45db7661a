"""One ledger, many Python threads: ctypes releases the GIL during each call, so the
reports are made in parallel in the library; each thread's errors stay its own, and
closing the ledger while others use it frees it only when they are done."""
import threading
import unittest
from concurrent.futures import ThreadPoolExecutor

from support import SAMPLE, keyproj

MONTHS = [f"2024-{m:02d}" for m in range(1, 10)]


def snapshot(report):
    return [[(row.group, dict(row)) for row in t] for t in report.tables]


class Threads(unittest.TestCase):
    def test_many_threads_one_ledger(self):
        with keyproj.Ledger.from_csv(SAMPLE) as ledger:
            expected = {m: snapshot(ledger.report(as_of=m, group_by=["county", "category"])) for m in MONTHS}
            self.assertEqual(len({str(v) for v in expected.values()}), len(MONTHS), "months must differ")

            def work(i):
                month = MONTHS[i % len(MONTHS)]
                with ledger.report(as_of=month, group_by=["county", "category"], threads=1) as report:
                    got = snapshot(report)
                    report.render("json")
                return month, got

            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(work, range(48)))
            for month, got in results:
                self.assertEqual(got, expected[month], month)

    def test_errors_stay_with_their_thread(self):
        with keyproj.Ledger.from_csv(SAMPLE) as ledger:
            start = threading.Barrier(6)
            failures = []

            def bad(i):
                start.wait()
                for _ in range(30):
                    try:
                        ledger.report(as_of=f"2024-13-{i:02d}")
                    except keyproj.InvalidArgumentError as e:
                        if f"as_of '2024-13-{i:02d}'" not in e.message:
                            failures.append(e.message)
                    else:
                        failures.append("no error")

            def good(_):
                start.wait()
                for _ in range(10):
                    ledger.report(group_by="county", indicators="projects,investment_ytd")

            threads = [threading.Thread(target=bad, args=(i,)) for i in range(1, 4)]
            threads += [threading.Thread(target=good, args=(i,)) for i in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(failures, [])

    def test_close_while_in_use(self):
        ledger = keyproj.Ledger.from_csv(SAMPLE)
        with ledger.report(group_by="county") as r:
            expected = r.tables[0].total["projects"]
        started = threading.Event()
        outcomes = []

        def work():
            started.set()
            for _ in range(20):
                try:
                    with ledger.report(group_by="county") as r:
                        outcomes.append(r.tables[0].total["projects"])
                except ValueError as e:  # closed: refused before any call
                    outcomes.append(str(e))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        started.wait()
        ledger.close()
        for t in threads:
            t.join()
        self.assertEqual(len(outcomes), 80)
        # Each report either ran whole on the open ledger or was refused: which ones is
        # up to the scheduler.
        self.assertEqual([o for o in outcomes if o != "keyproj: this ledger is closed"],
                         [expected] * sum(o != "keyproj: this ledger is closed" for o in outcomes))
        self.assertTrue(ledger._handle.closed)


if __name__ == "__main__":
    unittest.main()
