"""Lag between each page's due time (the incident's detection, for level 1) and its arrival."""
import sqlite3
import sys

db, log = sys.argv[1], sys.argv[2]
detected = dict(sqlite3.connect(db).execute("SELECT reference, detected_at FROM incidents"))
arrivals = {}
for line in open(log):
    at, reference, level = line.split()
    if level == "1":
        arrivals.setdefault(reference, float(at))
lags = sorted(arrivals[r] - detected[r] / 1000 for r in arrivals if r in detected)
if not lags:
    sys.exit("no pages arrived")
first, last = min(arrivals.values()), max(arrivals.values())
pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
print(f"incidents {len(detected)}  pages delivered {len(lags)}  duplicates {sum(1 for _ in open(log)) - len(lags)}")
print(f"lag due→delivered  p50 {pick(0.5):.3f} s  p99 {pick(0.99):.3f} s  max {lags[-1]:.3f} s")
print(f"delivery rate {len(lags) / max(last - first, 1e-6):.0f} pages/s over {last - first:.1f} s")
