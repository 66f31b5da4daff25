#!/usr/bin/env python3
"""Turns a JMH JSON result (-rf json -rff FILE) into the markdown table RESULTS.md uses.

On a shared two-core machine a mean hides noise, so each row gives the median of the measured
iterations with their range, and the median allocation per operation from -prof gc.
Usage: benchmarks/jmh-table.py result.json
"""
import json
import statistics
import sys


def main(path):
    rows = json.load(open(path))
    print("| benchmark | median | range (min–max) | unit | alloc B/op (median) |")
    print("|---|---:|---:|---|---:|")
    for r in rows:
        name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
        params = r.get("params")
        if params:
            name += " (" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        unit = r["primaryMetric"]["scoreUnit"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        alloc_median = ""
        if alloc:
            alloc_median = "%.1f" % statistics.median(x for fork in alloc["rawData"] for x in fork)
        print(f"| {name} | {statistics.median(raw):.1f} | {min(raw):.1f}–{max(raw):.1f} | {unit} | {alloc_median} |")


if __name__ == "__main__":
    main(sys.argv[1])
