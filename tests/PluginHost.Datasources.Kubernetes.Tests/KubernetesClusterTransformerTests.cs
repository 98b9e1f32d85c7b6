using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Tests;

public sealed class KubernetesClusterTransformerTests
{
    [Fact]
    public void Transform_ClusterEvent_GivesVitragesClusterVertexComprisingEachOpenStackInstanceOnce()
    {
        var e = new DatasourceEvent(KubernetesEntityTypes.Cluster, DatasourceAction.InitSnapshot, NodeEvents.SampleTime, "kubernetes",
            JsonSerializer.SerializeToElement(new
            {
                name = "prod",
                server = "https://k8s.example:6443",
                context = "prod-admin",
                kubernetes_version = "v1.31.2",
                node_count = 3,
                node_identities = new object[]
                {
                    new { provider_id = "openstack:///vm-1" },
                    new { provider_id = "openstack://RegionOne/vm-2" },
                    new { provider_id = "aws:///us-east-1a/i-0123" },
                    new { provider_id = "openstack:///vm-1" },
                },
            }));

        var update = new KubernetesClusterTransformer(new NodeMappingSettings(false, false)).Transform(e);

        update.Vertex.Key.ShouldBe("RESOURCE:kubernetes:prod");
        update.Vertex.Name.ShouldBe("prod");
        update.Vertex.Properties["server"].ShouldBe("https://k8s.example:6443");
        update.Vertex.Properties["context"].ShouldBe("prod-admin");
        update.Vertex.Properties["kubernetes_version"].ShouldBe("v1.31.2");
        update.Vertex.Properties["node_count"].ShouldBe(3L);
        update.Neighbors.Select(n => (n.Vertex.Key, n.RelationshipType, n.Direction)).ShouldBe(
        [
            ("RESOURCE:nova.instance:vm-1", EdgeLabels.Comprised, EdgeDirection.FromVertex),
            ("RESOURCE:nova.instance:vm-2", EdgeLabels.Comprised, EdgeDirection.FromVertex),
        ]);
    }
}
