using System.Globalization;
using System.Text.Json.Nodes;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// Generates realistic nodes of a modern cluster, deterministically for a seed: control-plane and
/// worker roles, topology labels, providerIDs per cloud, addresses, capacity, the five standard
/// conditions (a few nodes NotReady or Unknown), nodeInfo, images and daemon endpoints. A node is
/// about 4–5 KB of JSON, like a real one.
/// </summary>
public static class NodeGenerator
{
    private static readonly DateTimeOffset Epoch = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Images =
    [
        "registry.k8s.io/kube-proxy", "registry.k8s.io/pause", "docker.io/calico/node", "docker.io/calico/cni",
        "registry.k8s.io/coredns/coredns", "quay.io/prometheus/node-exporter", "docker.io/library/nginx",
        "registry.k8s.io/ingress-nginx/controller", "quay.io/jetstack/cert-manager-controller",
        "docker.io/fluent/fluent-bit", "registry.k8s.io/metrics-server/metrics-server", "docker.io/grafana/promtail",
    ];

    private static readonly ProviderMode[] MixedOrder =
        [ProviderMode.OpenStack, ProviderMode.Aws, ProviderMode.Gce, ProviderMode.Azure, ProviderMode.None];

    /// <summary>The cluster's initial <see cref="SimulatorOptions.NodeCount"/> nodes.</summary>
    public static IEnumerable<JsonObject> Generate(SimulatorOptions options) => Generate(options, 0, options?.NodeCount ?? 0);

    /// <summary>
    /// Nodes number <paramref name="firstIndex"/> onwards. Node i is the same for a seed whichever
    /// call makes it, so nodes added later never collide with the initial ones.
    /// </summary>
    public static IEnumerable<JsonObject> Generate(SimulatorOptions options, int firstIndex, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        var controlPlanes = Math.Min(3, Math.Max(1, options.NodeCount / 100));
        for (var i = firstIndex; i < firstIndex + count; i++)
        {
            var random = new Random(unchecked((options.Seed * 1_000_003) + i));
            var provider = options.Provider == ProviderMode.Mixed ? MixedOrder[i % MixedOrder.Length] : options.Provider;
            yield return Generate(random, options, i, i < controlPlanes, provider);
        }
    }

    private static JsonObject Generate(Random random, SimulatorOptions options, int index, bool controlPlane, ProviderMode provider)
    {
        var name = controlPlane
            ? string.Create(CultureInfo.InvariantCulture, $"{options.ClusterName}-control-plane-{index + 1}")
            : string.Create(CultureInfo.InvariantCulture, $"{options.ClusterName}-worker-{index:D5}");
        var uid = NewGuid(random);
        var instanceId = NewGuid(random);
        var region = provider switch
        {
            ProviderMode.Aws => "us-east-1",
            ProviderMode.Gce => "us-central1",
            ProviderMode.Azure => "westeurope",
            _ => "RegionOne",
        };
        var zone = provider switch
        {
            ProviderMode.Aws => $"us-east-1{(char)('a' + (index % 3))}",
            ProviderMode.Gce => $"us-central1-{(char)('a' + (index % 3))}",
            ProviderMode.Azure => $"westeurope-{1 + (index % 3)}",
            _ => $"nova-az{1 + (index % 3)}",
        };
        var awsId = "i-" + Convert.ToHexString(instanceId.ToByteArray()).ToLowerInvariant()[..17];
        var providerId = provider switch
        {
            ProviderMode.OpenStack => index % 4 == 3 ? $"openstack://{region}/{instanceId}" : $"openstack:///{instanceId}",
            ProviderMode.Aws => $"aws:///{zone}/{awsId}",
            ProviderMode.Gce => $"gce://sim-project/{zone}/{name}",
            ProviderMode.Azure => $"azure:///subscriptions/{uid}/resourceGroups/sim-rg/providers/Microsoft.Compute/virtualMachines/{name}",
            _ => null,
        };
        var created = Epoch.AddMinutes(index * 3 + random.Next(0, 3));
        var internalIp = string.Create(CultureInfo.InvariantCulture, $"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}");
        // 10.128.0.0/9 holds 32,768 node /24s; past that (GKE goes to 65,000 nodes) IPv6 ranges, so
        // no two nodes share a pod CIDR.
        var podCidr = index < 32_768
            ? string.Create(CultureInfo.InvariantCulture, $"10.{128 + ((index >> 8) & 127)}.{index & 255}.0/24")
            : string.Create(CultureInfo.InvariantCulture, $"fd00:10:{index:x}::/64");
        var roll = random.Next(100);
        var ready = roll switch { < 3 => "False", < 4 => "Unknown", _ => "True" };
        var cpu = controlPlane ? 4 : 8 << random.Next(0, 3);
        var memoryKi = cpu * 4L * 1024 * 1024;

        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["node.kubernetes.io/instance-type"] = controlPlane ? "m1.large" : $"m1.{(cpu >= 16 ? "xlarge" : "large")}",
            ["topology.kubernetes.io/region"] = region,
            ["topology.kubernetes.io/zone"] = zone,
        };
        if (controlPlane)
        {
            labels["node-role.kubernetes.io/control-plane"] = string.Empty;
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = string.Empty;
        }
        else
        {
            labels["node-role.kubernetes.io/worker"] = string.Empty;
        }

        var addresses = new JsonArray { Address("InternalIP", internalIp) };
        if (index % 5 == 0)
        {
            addresses.Add(Address("ExternalIP", string.Create(CultureInfo.InvariantCulture, $"203.0.{(index >> 8) & 255}.{index & 255}")));
        }

        addresses.Add(Address("Hostname", name));

        var spec = new JsonObject
        {
            ["podCIDR"] = podCidr,
            ["podCIDRs"] = new JsonArray(podCidr),
        };
        if (providerId is not null)
        {
            spec["providerID"] = providerId;
        }

        if (options.LegacyExternalId)
        {
            spec["externalID"] = provider switch
            {
                ProviderMode.OpenStack => instanceId.ToString(),
                ProviderMode.Aws => awsId,
                _ => name,
            };
        }

        if (controlPlane)
        {
            spec["taints"] = new JsonArray(new JsonObject
            {
                ["key"] = "node-role.kubernetes.io/control-plane",
                ["effect"] = "NoSchedule",
            });
        }

        if (index % 97 == 5)
        {
            spec["unschedulable"] = true;
        }

        var heartbeat = Epoch.AddDays(30).AddSeconds(random.Next(0, 40));
        var images = new JsonArray();
        foreach (var image in Images.Take(10))
        {
            var digest = Convert.ToHexString(NewGuid(random).ToByteArray()).ToLowerInvariant();
            images.Add(new JsonObject
            {
                ["names"] = new JsonArray($"{image}@sha256:{digest}{digest}", $"{image}:v1.{random.Next(1, 30)}.{random.Next(0, 9)}"),
                ["sizeBytes"] = random.Next(300_000, 120_000_000),
            });
        }

        return new JsonObject
        {
            ["kind"] = "Node",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["uid"] = uid.ToString(),
                ["resourceVersion"] = "0",
                ["creationTimestamp"] = Timestamp(created),
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    ["kubeadm.alpha.kubernetes.io/cri-socket"] = "unix:///var/run/containerd/containerd.sock",
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["projectcalico.org/IPv4Address"] = internalIp + "/16",
                    ["projectcalico.org/IPv4VXLANTunnelAddr"] = string.Create(CultureInfo.InvariantCulture, $"192.168.{index & 255}.0"),
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["capacity"] = Resources(cpu, memoryKi, 110),
                ["allocatable"] = Resources(cpu, memoryKi - 1024 * 1024, 110),
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat, created),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat, created),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat, created),
                    Condition("NetworkUnavailable", "False", "CalicoIsUp", "Calico is running on this node", heartbeat, created),
                    ready switch
                    {
                        "True" => Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat, created),
                        "False" => Condition("Ready", "False", "KubeletNotReady", "container runtime network not ready", heartbeat, heartbeat),
                        _ => Condition("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", heartbeat, heartbeat),
                    }),
                ["addresses"] = addresses,
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = Convert.ToHexString(NewGuid(random).ToByteArray()).ToLowerInvariant(),
                    ["systemUUID"] = provider == ProviderMode.OpenStack ? instanceId.ToString().ToUpperInvariant() : NewGuid(random).ToString().ToUpperInvariant(),
                    ["bootID"] = NewGuid(random).ToString(),
                    ["kernelVersion"] = "6.1.0-28-amd64",
                    ["osImage"] = "Debian GNU/Linux 12 (bookworm)",
                    ["containerRuntimeVersion"] = "containerd://1.7.24",
                    ["kubeletVersion"] = options.KubernetesVersion,
                    ["kubeProxyVersion"] = options.KubernetesVersion,
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
                ["images"] = images,
            },
        };
    }

    private static JsonObject Address(string type, string address) => new() { ["type"] = type, ["address"] = address };

    private static JsonObject Resources(int cpu, long memoryKi, int pods) => new()
    {
        ["cpu"] = cpu.ToString(CultureInfo.InvariantCulture),
        ["ephemeral-storage"] = "101430960Ki",
        ["hugepages-1Gi"] = "0",
        ["hugepages-2Mi"] = "0",
        ["memory"] = memoryKi.ToString(CultureInfo.InvariantCulture) + "Ki",
        ["pods"] = pods.ToString(CultureInfo.InvariantCulture),
    };

    private static JsonObject Condition(string type, string status, string reason, string message, DateTimeOffset heartbeat, DateTimeOffset transition) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastHeartbeatTime"] = Timestamp(heartbeat),
        ["lastTransitionTime"] = Timestamp(transition),
        ["reason"] = reason,
        ["message"] = message,
    };

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
