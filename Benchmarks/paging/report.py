"""Lag between each page's due time and its arrival, per escalation level.

Level 1 is due when the incident is detected; level 2 a minute after level 1 was paged (the
benchmark's policy), which is when the incident was detected, since level 1 pages at once."""
import sqlite3
import sys

db, log = sys.argv[1], sys.argv[2]
detected = dict(sqlite3.connect(db).execute("SELECT reference, detected_at FROM incidents"))
arrivals = {}
lines = 0
for line in open(log):
    lines += 1
    at, reference, level = line.split()
    arrivals.setdefault((int(level), reference), float(at))
print(f"incidents {len(detected)}  pages delivered {len(arrivals)}  duplicates {lines - len(arrivals)}")
for level, delay in [(1, 0), (2, 60)]:
    times = {r: t for (l, r), t in arrivals.items() if l == level and r in detected}
    lags = sorted(t - detected[r] / 1000 - delay for r, t in times.items())
    if not lags:
        print(f"level {level}: no pages arrived")
        continue
    pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
    first, last = min(times.values()), max(times.values())
    # How widely the due times were spread: the faster ingestion opens the incidents, the more
    # pages come due together, and the lag and the rate are only comparable at the same spread.
    due = [detected[r] / 1000 + delay for r in times]
    print(f"level {level}: {len(lags)} pages  lag due→delivered  p50 {pick(0.5):.3f} s  p99 {pick(0.99):.3f} s  max {lags[-1]:.3f} s"
          f"  rate {len(lags) / max(last - first, 1e-6):.0f} pages/s over {last - first:.1f} s"
          f"  due within {max(due) - min(due):.2f} s")
