#!/usr/bin/env python3
"""Reads a Prometheus text exposition on stdin with the reference parser (prometheus_client) and
prints its samples as JSON: [{"name": ..., "labels": {...}, "value": ...}]. A malformed
exposition raises, and the test that called this fails."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

samples = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        samples.append({"name": sample.name, "labels": sample.labels, "value": sample.value})
json.dump(samples, sys.stdout)
