"""Multi-worker training's `TF_CONFIG`, checked before any work starts (no TensorFlow needed)."""

from __future__ import annotations

import json

from vae_explorer.errors import ConfigError


def check_tf_config(text: str | None) -> None:
    """Refuse a `TF_CONFIG` that cannot start multi-worker training, with what to write instead.

    Without it TensorFlow trains alone on this machine and with a wrong one the workers wait for each
    other for ever, so `--strategy multiworker` checks it before anything starts.
    """
    example = ('TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
               '"task": {"type": "worker", "index": 0}}\' (see the README)')
    if not text:
        raise ConfigError("--strategy multiworker needs the TF_CONFIG environment variable on every worker, e.g. {example}",
                          example=example)
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError("TF_CONFIG is not valid JSON ({reason} at character {position}); write it as {example}",
                          reason=exc.msg, position=exc.pos, example=example) from None
    cluster = spec.get("cluster") if isinstance(spec, dict) else None
    task = spec.get("task") if isinstance(spec, dict) else None
    if not isinstance(cluster, dict) or not cluster or not all(
        isinstance(hosts, list) and hosts and all(isinstance(h, str) and ":" in h for h in hosts)
        for hosts in cluster.values()
    ):
        raise ConfigError('TF_CONFIG needs a "cluster" that lists each job\'s workers as "host:port" strings, e.g. {example}',
                          example=example)
    if not isinstance(task, dict) or task.get("type") not in cluster:
        raise ConfigError('TF_CONFIG needs a "task" whose "type" is one of the cluster\'s jobs ({jobs}), e.g. {example}',
                          jobs=", ".join(cluster), example=example)
    index, hosts = task.get("index"), cluster[task["type"]]
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(hosts):
        raise ConfigError(
            'TF_CONFIG: the task "index" must be a whole number from 0 to {last} '
            '(this worker\'s place in the "{job}" list), got {value!r}', last=len(hosts) - 1, job=task["type"], value=index,
        )
