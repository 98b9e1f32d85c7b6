# Produced the golden message next to it: Debian bookworm python3-oslo.messaging 14.0.3
# publishing to a local RabbitMQ, then the raw AMQP message read back with kombu.
# Run: /usr/bin/python3 make-golden.py > oslo-messaging-14.0.3-kubernetes-node.json
# Publishes one PluginHost-shaped event with Python's oslo.messaging 14 and prints the raw AMQP message.
import json, sys
from oslo_config import cfg
import oslo_messaging
import kombu

conf = cfg.ConfigOpts()
conf([], project="golden")
transport = oslo_messaging.get_notification_transport(conf, url="rabbit://guest:guest@127.0.0.1:5672/")
conf.set_override("control_exchange", "golden_exchange")
notifier = oslo_messaging.Notifier(transport, publisher_id="plugin_host.python-edge", driver="messagingv2", topics=["golden"])
payload = {
    "cluster_name": "python-cluster",
    "include_annotations": False,
    "instance_id_from_system_uuid": False,
    "node": {"metadata": {"name": "py-node-1", "uid": "5b0c1e2a-9d8f-4c1b-a3e4-7f6d5c4b3a21", "resourceVersion": "42"},
             "spec": {"providerID": "openstack:///41c40aab-80e9-4bb6-a280-27976bfc811f"},
             "status": {"conditions": [{"type": "Ready", "status": "True"}],
                        "addresses": [{"type": "InternalIP", "address": "10.0.0.7"}]}},
    "vitrage_entity_type": "kubernetes.node",
    "vitrage_datasource_action": "snapshot",
    "vitrage_sample_date": "2026-11-26T08:00:00.000000Z",
    "vitrage_datasource_name": "kubernetes",
}
notifier.info({}, "kubernetes.node.snapshot", payload)
transport.cleanup()

with kombu.Connection("amqp://guest:guest@127.0.0.1:5672//") as connection:
    channel = connection.default_channel
    message = channel.basic_get("golden.info", no_ack=True)
    body = message.body.decode() if isinstance(message.body, bytes) else message.body
    props = message.properties
    print(json.dumps({"exchange": message.delivery_info["exchange"], "routing_key": message.delivery_info["routing_key"],
                      "content_type": props.get("content_type"), "content_encoding": props.get("content_encoding"),
                      "delivery_mode": props.get("delivery_mode"), "body": body}))
