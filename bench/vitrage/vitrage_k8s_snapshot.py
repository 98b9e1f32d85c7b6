#!/usr/bin/python3
"""Vitrage 9's own Kubernetes datasource as one whole process: the baseline of `scale --cold`.

Run with Debian's python3-vitrage (apt-get install python3-vitrage python3-kubernetes):

    /usr/bin/python3 bench/vitrage/vitrage_k8s_snapshot.py --kubeconfig KUBECONFIG [--graph]

What it does is what vitrage-graph does for `[datasources] types = kubernetes` on its first
snapshot, minus the services around it (no message bus, database or API):

1. oslo.config is set up by vitrage.common.config.parse_config, vitrage-graph's own start-up,
   from a vitrage.conf with `[kubernetes] config_file = KUBECONFIG`;
2. the driver is vitrage.datasources.utils.get_drivers_by_name(['kubernetes']) (the class named
   by `[kubernetes] driver`, KubernetesDriver) and its get_all(init_snapshot) lists the nodes with
   python-kubernetes (CoreV1Api.list_node) and builds the events;
3. each event goes through the transformer (`[kubernetes] transformer`, KubernetesTransformer)
   via vitrage's TransformerManager;
4. with --graph, each event goes instead through vitrage's Processor into its NetworkX entity
   graph (vitrage.graph.driver.networkx_graph.NXGraph), which transforms and applies it.

Vitrage's driver takes each node's nova.instance id from the deprecated spec.externalID, so the
simulator serves it (--legacy-external-id); without it every node names the same placeholder (None)
and Vitrage's graph has two vertices.

It prints one JSON line on stdout: the entity count (vertices the transformer produced: the
cluster and one nova.instance placeholder per node), the graph's vertex and edge counts with
--graph, the time of each step and the process's peak resident set (ru_maxrss).
"""
import argparse
import json
import os
import resource
import sys
import tempfile
import time

START = time.monotonic()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--kubeconfig', required=True)
    parser.add_argument('--graph', action='store_true',
                        help="process the events into vitrage's entity graph")
    parser.add_argument('--values-dir',
                        help="vitrage's datasources_values folder (for --graph; default: the one "
                             "python3-vitrage ships with its tests, which has nova.instance.yaml)")
    args = parser.parse_args()

    import vitrage
    from vitrage.common import config
    from vitrage.common.constants import DatasourceAction
    from vitrage.datasources import utils as ds_utils
    imported = time.monotonic()
    values_dir = args.values_dir or os.path.join(
        os.path.dirname(vitrage.__file__), 'tests', 'resources', 'datasources_values')

    with tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False) as conf:
        conf.write('[DEFAULT]\nlog_file = %s\n' % os.devnull)
        conf.write('[datasources]\ntypes = kubernetes,nova.instance\n')
        conf.write('[entity_graph]\ndatasources_values_dir = %s\n' % values_dir)
        conf.write('[kubernetes]\nconfig_file = %s\n' % os.path.abspath(args.kubeconfig))
    try:
        config.parse_config(['vitrage-graph', '--config-file', conf.name])
    finally:
        os.unlink(conf.name)
    configured = time.monotonic()

    driver = ds_utils.get_drivers_by_name(['kubernetes'])[0]
    events = driver.get_all(DatasourceAction.INIT_SNAPSHOT)
    listed = time.monotonic()

    result = {'events': len(events)}
    if args.graph:
        from vitrage.entity_graph.processor.processor import Processor
        from vitrage.graph.driver.networkx_graph import NXGraph
        graph = NXGraph('Entity Graph')
        processor = Processor(graph)
        for event in events:
            processor.process_event(event)
        result['vertices'] = graph.num_vertices()
        result['edges'] = graph.num_edges()
        result['entities'] = graph.num_vertices()
    else:
        from vitrage.entity_graph.processor.transformer_manager import TransformerManager
        transformers = TransformerManager()
        entities = 0
        for event in events:
            wrapper = transformers.transform(event)
            entities += 1 + len(wrapper.neighbors)
        result['entities'] = entities
    done = time.monotonic()

    result.update({
        'import_s': round(imported - START, 3),
        'config_s': round(configured - imported, 3),
        'get_all_s': round(listed - configured, 3),
        ('graph_s' if args.graph else 'transform_s'): round(done - listed, 3),
        'total_s': round(done - START, 3),
        'peak_rss_mib': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
    })
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main())
