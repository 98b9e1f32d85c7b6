using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Tests;

public sealed class KubernetesClusterTransformerTests
{
    [Fact]
    public void Transform_ClusterEvent_GivesVitragesClusterVertexComprisingItsInstances()
    {
        var e = new DatasourceEvent(KubernetesEntityTypes.Cluster, DatasourceAction.InitSnapshot, NodeEvents.SampleTime, "kubernetes",
            JsonSerializer.SerializeToElement(new
            {
                name = "prod",
                server = "https://k8s.example:6443",
                context = "prod-admin",
                kubernetes_version = "v1.31.2",
                node_count = 3,
                instance_ids = new[] { "vm-1", "vm-2" },
            }));

        var update = new KubernetesClusterTransformer().Transform(e);

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
