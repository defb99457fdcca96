#!/usr/bin/env python3
"""Publishes Unbound's statistics as CloudWatch metrics; a systemd timer runs it every minute.

Reads `unbound-control stats_noreset` (counters since unbound started, so operators can read
them too without disturbing this), turns them into per-interval deltas against the previous
run's snapshot, and sends them with `aws cloudwatch put-metric-data` (the AWS CLI ships with the
image; the instance role may put metrics into this namespace only). Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

# CloudWatch metric name -> unbound counter (totals over all threads).
COUNTERS = {
    "Queries": "total.num.queries",
    "CacheHits": "total.num.cachehits",
    "CacheMisses": "total.num.cachemiss",
    "Prefetches": "total.num.prefetch",
    "RecursiveReplies": "total.num.recursivereplies",
    "NxdomainAnswers": "num.answer.rcode.NXDOMAIN",
    "ServfailAnswers": "num.answer.rcode.SERVFAIL",
    "RefusedAnswers": "num.answer.rcode.REFUSED",
    "RequestListExceeded": "total.requestlist.exceeded",
}


def parse_stats(text):
    """`name=value` lines -> {name: float}; other lines are ignored."""
    stats = {}
    for line in text.splitlines():
        name, sep, value = line.strip().partition("=")
        if not sep:
            continue
        try:
            stats[name] = float(value)
        except ValueError:
            continue
    return stats


def restarted(previous, current):
    """Unbound restarted (its counters began again) since the previous snapshot."""
    return current.get("time.up", 0.0) < previous.get("time.up", 0.0) or any(
        current.get(key, 0.0) < previous.get(key, 0.0) for key in COUNTERS.values()
    )


def interval_metrics(previous, current):
    """Per-interval values between two snapshots: counter deltas, and the mean recursion time (ms)."""
    if previous is None or restarted(previous, current):
        previous = {}
    metrics = {name: current.get(key, 0.0) - previous.get(key, 0.0) for name, key in COUNTERS.items()}
    # Unbound reports the mean since start; the interval's mean follows from the two running sums.
    replies = metrics["RecursiveReplies"]
    if replies > 0:
        total_now = current.get("total.recursion.time.avg", 0.0) * current.get("total.num.recursivereplies", 0.0)
        total_before = previous.get("total.recursion.time.avg", 0.0) * previous.get("total.num.recursivereplies", 0.0)
        metrics["RecursionTimeMs"] = max(0.0, (total_now - total_before) / replies * 1000.0)
    return metrics


def metric_data(metrics, environment, resolver, timestamp):
    """PutMetricData entries: each metric per resolver and for the environment's whole fleet."""
    data = []
    for dimensions in (
        [{"Name": "Environment", "Value": environment}, {"Name": "Resolver", "Value": resolver}],
        [{"Name": "Environment", "Value": environment}],
    ):
        for name, value in sorted(metrics.items()):
            data.append({
                "MetricName": name,
                "Dimensions": dimensions,
                "Timestamp": timestamp,
                "Value": round(value, 3),
                "Unit": "Milliseconds" if name == "RecursionTimeMs" else "Count",
            })
    return data


def read_snapshot(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write_snapshot(path, stats):
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(stats, handle)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="/etc/unbound/unbound.conf")
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--environment", required=True)
    parser.add_argument("--resolver", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--state", default="/var/lib/unbound-stats/snapshot.json")
    parser.add_argument("--unbound-control", default="unbound-control")
    parser.add_argument("--aws-cli", default="/usr/bin/aws", help="the AWS CLI (the image's own by default)")
    args = parser.parse_args(argv)

    text = subprocess.run(
        [args.unbound_control, "-c", args.config, "stats_noreset"], check=True, capture_output=True, text=True, timeout=20
    ).stdout
    current = parse_stats(text)
    if "total.num.queries" not in current:
        print("unbound-control returned no statistics:\n" + text, file=sys.stderr)
        return 1
    metrics = interval_metrics(read_snapshot(args.state), current)
    timestamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(current.get("time.now", time.time())))
    data = metric_data(metrics, args.environment, args.resolver, timestamp)

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(data, handle)
    try:
        subprocess.run(
            [args.aws_cli, "cloudwatch", "put-metric-data", "--region", args.region, "--namespace", args.namespace,
             "--metric-data", "file://" + handle.name],
            check=True, timeout=50,
        )
    finally:
        os.unlink(handle.name)
    # Only a published interval moves the baseline: a failed put is retried with the next run's larger delta.
    write_snapshot(args.state, current)
    return 0


if __name__ == "__main__":
    sys.exit(main())
